import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { statfs, writeFile } from 'node:fs/promises';
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
