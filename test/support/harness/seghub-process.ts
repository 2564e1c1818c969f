import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface SeghubProcess {
  readonly child: ChildProcess;
  /** Every JSON log line printed so far (stdout). */
  readonly logs: LogLine[];
  /** Everything printed to stderr. */
  stderr(): string;
  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /**
   * npm's (or node's, for `spawnBuilt`) exit status, once every process of the group is gone: npm
   * exits first, while the node process it started may still be shutting down (holding the embedded
   * store's lock, writing its data directory) or, SIGKILL'd, not yet reaped.
   */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to the whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
}

/** Runs `npm start` exactly as an operator would, in its own process group. */
export function spawnSeghub(env: Record<string, string>): SeghubProcess {
  return spawnNpmScript('start', env);
}

/** Runs `npm run <script>` in its own process group, collecting its JSON log lines. */
export function spawnNpmScript(script: string, env: Record<string, string>): SeghubProcess {
  return spawnLogged('npm', ['run', script, '--silent'], env, `npm run ${script}`);
}

/**
 * Runs an already built entry point (`main.js`, `sim/main.js` under `dist/`) with node itself: what
 * `npm start` runs after its build step, for callers that start many processes and build once.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export function spawnBuilt(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): SeghubProcess {
  return spawnLogged('node', [...scriptNodeFlags(entry), ...nodeArgs, `dist/${entry}`], env, entry);
}

/**
 * The node flags of the npm script that runs `dist/<entry>` (`start`: `node <flags> dist/main.js`),
 * so a process started here runs as `npm start` runs it: the young generation's size among them.
 */
function scriptNodeFlags(entry: string): string[] {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const command of Object.values(scripts)) {
    const words = command.trim().split(/\s+/);
    if (words[0] === 'node' && words.at(-1) === `dist/${entry}`) return words.slice(1, -1);
  }
  throw new Error(`no npm script runs dist/${entry}`);
}

/**
 * Process groups started here and not yet seen gone. A test that times out before its cleanup knows
 * of a process (one still starting) would leave it running after the run, holding its port and
 * files: whatever the file's own hooks left is killed once they have all run (a root-level hook).
 */
const liveGroups = new Set<number>();
// The benchmarks (`npm run bench`) use this module outside vitest, where a hook cannot be registered.
if (process.env.VITEST) (await import('vitest')).afterAll(killLeftovers);

function killLeftovers(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  liveGroups.clear();
}

function spawnLogged(
  command: string,
  args: string[],
  env: Record<string, string>,
  what: string,
): SeghubProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    // On etcd seghub refuses to run open unless told to; tests that want auth configure it.
    env: { ...process.env, LOG_LEVEL: 'info', ...(env.ETCD_ENDPOINTS && { AUTH_DISABLED: 'true' }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: LogLine[] = [];
  const waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return; // npm's own chatter
    }
    logs.push(line);
    for (const waiter of waiters) {
      if (waiter.match(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  liveGroups.add(child.pid!);
  const npmExited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const groupGone = () =>
    waitFor(
      () => {
        try {
          process.kill(-child.pid!, 0);
          return false;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
          throw error;
        }
      },
      { timeoutMs: 30_000, message: `process group ${child.pid} gone` },
    );
  const exited = npmExited.then(async (status) => {
    await groupGone();
    liveGroups.delete(child.pid!);
    return status;
  });

  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    signal: (signal) => {
      try {
        process.kill(-child.pid!, signal);
      } catch (error) {
        // The whole group is gone already (it crashed, or was killed): nothing left to signal.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
    waitForLog(match, timeoutMs = 20_000) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${what} exited before logging the expected line; stderr: ${stderr}`));
        });
        const done = waiter.resolve;
        waiter.resolve = (line) => {
          clearTimeout(timer);
          done(line);
        };
      });
    },
  };
}
