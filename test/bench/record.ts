import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BenchResult, formatTable } from './report.js';

/**
 * The record a full run leaves in `test/bench/results/`: what was measured, on what, from which code.
 * Runs are compared by these files (committed with the change they measure), not by editing docs.
 */

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  etcd?: string;
}

export interface RunRecord {
  /** When the run started (ISO, UTC); it names the files. */
  startedAt: string;
  /** The command as typed, e.g. `npm run bench -- --case upload-1g`. */
  command: string;
  /** `git describe`-like: the commit, and whether the tree had uncommitted changes. */
  commit: string;
  machine: Machine;
  /** 1, 5 and 15 minute load averages when the run started and ended: how quiet the machine was. */
  load: { start: number[]; end: number[] };
  wallSeconds: number;
  results: readonly BenchResult[];
}

const exec = promisify(execFile);

export function describeMachine(): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** `etcd --version`'s version, or undefined when it cannot be asked. */
export async function etcdVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await exec('etcd', ['--version']);
    return /etcd Version: (\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** The commit the run measured, e.g. `c929b0a` or `c929b0a + uncommitted changes`. */
export async function describeCommit(): Promise<string> {
  try {
    const [{ stdout: head }, { stdout: status }] = await Promise.all([
      exec('git', ['rev-parse', '--short', 'HEAD']),
      // Earlier runs' records are not changes to the code measured.
      exec('git', ['status', '--porcelain', '--', '.', ':!test/bench/results']),
    ]);
    return `${head.trim()}${status.trim() ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function loadAverage(): number[] {
  return os.loadavg().map((n) => Math.round(n * 100) / 100);
}

/** `2026-11-29T0816Z`: sortable, and legal in every file system's names. */
export function stampOf(iso: string): string {
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/**
 * Writes `<stamp>.md` and `<stamp>.json` under `dir` and returns the Markdown file's path. A second
 * run started in the same minute gets `-2`, `-3`, ... rather than overwriting the first.
 */
export async function writeRunRecord(record: RunRecord, dir = RESULTS_DIR): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = stampOf(record.startedAt);
  for (let n = 1; ; n++) {
    const base = n === 1 ? stamp : `${stamp}-${n}`;
    try {
      // `wx`: the JSON claims the name, so two runs never write over each other.
      await writeFile(path.join(dir, `${base}.json`), `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    const md = path.join(dir, `${base}.md`);
    await writeFile(md, markdownOf(record, `${base}.json`));
    return md;
  }
}

export function markdownOf(record: RunRecord, jsonName: string): string {
  const m = record.machine;
  const when = `${record.startedAt.slice(0, 10)} ${record.startedAt.slice(11, 16)} UTC`;
  const missed = record.results.filter((r) => !r.pass).map((r) => r.case);
  return [
    `# npm run bench, ${when}`,
    '',
    `- command: \`${record.command}\``,
    `- code: ${record.commit}`,
    `- machine: ${m.cpus} cpus (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, etcd ${m.etcd ?? 'unknown'}`,
    `- load average (1, 5, 15 min): ${record.load.start.join(' ')} at the start, ${record.load.end.join(' ')} at the end`,
    `- wall time: ${record.wallSeconds} s; ${missed.length ? `missed: ${missed.join(', ')}` : 'every case met its target'}`,
    '',
    formatTable(record.results),
    '',
    `Every case's full statistics: [${jsonName}](${jsonName}).`,
    '',
  ].join('\n');
}
