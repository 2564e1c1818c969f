import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, statfs, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { memoryOf } from '../support/harness/memory.js';
import { MIB } from './stats.js';

/** Forks one of the bench's TypeScript helpers (through tsx) as its own process. */
export function forkHelper(name: string, args: string[] = []): ChildProcess {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  return fork(file, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next IPC message from `child` that `match` accepts. */
export function nextMessage<T>(child: ChildProcess, match: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!match(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`helper exited (code ${code}) before answering`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function stopHelper(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * Resets the kernel's peak-RSS mark (VmHWM) of a process, so the next reading is the peak of what
 * follows rather than of the process's whole life (Linux: `5` to `/proc/<pid>/clear_refs`).
 */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

export async function peakRssMiB(pid: number): Promise<number> {
  return (await memoryOf(pid)).peak / MIB;
}

/** Linux reports CPU times in /proc in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const USER_HZ = 100;

/** CPU time (every thread) a process has used so far, in seconds (Linux: /proc/<pid>/stat). */
export async function cpuTimes(pid: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after it start behind its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line: the 12th and 13th after the command name.
  return { user: Number(fields[11]) / USER_HZ, system: Number(fields[12]) / USER_HZ };
}

/** The CPU time a process uses while `work` runs: user, system and their sum, in seconds. */
export async function cpuDuring<T>(pid: number, work: () => Promise<T>) {
  const before = await cpuTimes(pid);
  const value = await work();
  const after = await cpuTimes(pid);
  const user = after.user - before.user;
  const system = after.system - before.system;
  return { value, cpu: { user, system, total: user + system } };
}

/** Bytes free for an unprivileged user on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Runs a command to its end; rejects on a non-zero exit with its stderr. */
export async function run(command: string, args: string[]): Promise<{ stdout: string; ms: number }> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} exited with ${code}: ${stderr.trim()}`);
  return { stdout, ms };
}
