import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeStablePorts } from './temp.js';
import { waitFor } from './wait-for.js';

/**
 * A throwaway single-member etcd for integration tests: free loopback ports, a temporary data
 * directory, and helpers to stop, restart (same ports and data) or signal it to provoke faults.
 */
export interface EtcdProcess {
  /** Client URLs, e.g. `['http://127.0.0.1:41234']`. Stable across `restart()`. */
  readonly endpoints: string[];
  readonly dataDir: string;
  /** Stops etcd (if running) and deletes its data directory. */
  stop(): Promise<void>;
  /** Stops etcd if running, then starts it again on the same ports with the same data. */
  restart(): Promise<void>;
  /**
   * Stops etcd but keeps the data directory, so `start()` can bring it back. `SIGKILL` makes it a
   * crash instead of a clean shutdown.
   */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a halted etcd again. */
  start(): Promise<void>;
  /** Sends a signal, e.g. `SIGKILL` to crash it. */
  kill(signal: NodeJS.Signals): void;
  /**
   * Stops the process (SIGSTOP) and resolves once the kernel reports it stopped: from then on
   * etcd accepts connections but answers nothing. Signal delivery is asynchronous, so without the
   * wait a request sent right after could still be served.
   */
  freeze(): Promise<void>;
  /** Lets a frozen etcd run again. */
  thaw(): void;
}

export class EtcdStartError extends Error {
  override name = 'EtcdStartError';
}

const HEALTH_DEADLINE_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** Whether an `etcd` executable is on PATH. */
export function etcdAvailable(): boolean {
  return findOnPath('etcd') !== undefined;
}

/**
 * Policy for etcd suites: skipped when etcd is missing locally, but a CI run (`CI=true`) without
 * etcd is a broken CI image and must fail rather than silently test less.
 */
export function etcdSuitePolicy(): { run: boolean; missingInCi: boolean } {
  const available = etcdAvailable();
  return { run: available, missingInCi: !available && process.env.CI === 'true' };
}

export async function startEtcd(): Promise<EtcdProcess> {
  // Below the ephemeral range: tests halt etcd and start it again on the same ports.
  const [clientPort, peerPort] = await freeStablePorts(2);
  const instance = etcdMember({ name: 'test', clientPort: clientPort!, peerPort: peerPort! });
  try {
    await instance.start();
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return instance;
}

/** One member of a cluster (`etcd-cluster.ts`), or the single member `startEtcd` runs. */
export interface EtcdMemberSpec {
  name: string;
  clientPort: number;
  peerPort: number;
  /** `name=peerURL,...` of every member, and a token unique to the cluster; absent for a cluster of one. */
  cluster?: { initialCluster: string; token: string };
}

/** An etcd member not yet started, with its own temporary data directory. */
export function etcdMember(spec: EtcdMemberSpec): EtcdProcess {
  const binary = findOnPath('etcd');
  if (!binary) throw new EtcdStartError('etcd is not on PATH');
  const dataDir = mkdtempSync(path.join(fastTmpDir(), `seghub-etcd-${spec.name}-`));
  return new EtcdInstance(binary, dataDir, spec);
}

class EtcdInstance implements EtcdProcess {
  readonly endpoints: string[];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderrTail = '';
  /** A test process that dies without calling stop() must not leave etcd running behind it. */
  private readonly onParentExit = () => {
    this.child?.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  };

  constructor(
    private readonly binary: string,
    readonly dataDir: string,
    private readonly spec: EtcdMemberSpec,
  ) {
    this.endpoints = [`http://127.0.0.1:${spec.clientPort}`];
    process.once('exit', this.onParentExit);
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(this.binary, this.args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
    });
    await this.waitHealthy(child);
  }

  async halt(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    // A frozen process ignores SIGTERM until continued.
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.halt();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dataDir, { recursive: true, force: true });
    process.removeListener('exit', this.onParentExit);
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async freeze(): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) throw new EtcdStartError('etcd is not running');
    this.child!.kill('SIGSTOP');
    await waitFor(async () => processState(await readFile(`/proc/${pid}/stat`, 'utf8')) === 'T', {
      timeoutMs: 5000,
      intervalMs: 2,
      message: 'etcd stopped by SIGSTOP',
    });
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  private args(): string[] {
    const { name, clientPort, peerPort, cluster } = this.spec;
    const client = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    return [
      `--name=${name}`,
      `--data-dir=${this.dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${cluster?.initialCluster ?? `${name}=${peer}`}`,
      // A member restarted on its data directory ignores these and rejoins the cluster it knows.
      '--initial-cluster-state=new',
      ...(cluster ? [`--initial-cluster-token=${cluster.token}`] : []),
      // Short raft timings: a single member elects itself faster, and the minimum lease TTL
      // (derived from the election timeout) drops low enough for 1-second test leases. Members
      // of a cluster heartbeat each other over a loaded machine: twice that, against needless elections.
      ...(cluster
        ? ['--heartbeat-interval=50', '--election-timeout=500']
        : ['--heartbeat-interval=25', '--election-timeout=250']),
      '--logger=zap',
      '--log-level=error',
    ];
  }

  /** Polls /health until etcd serves; fails early with etcd's own output if it exits. */
  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + HEALTH_DEADLINE_MS;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    while (Date.now() < deadline) {
      if (exited) {
        throw new EtcdStartError(`etcd exited during start-up (code ${child.exitCode}):\n${this.stderrTail}`);
      }
      if (await this.healthy()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new EtcdStartError(`etcd not healthy after ${HEALTH_DEADLINE_MS} ms:\n${this.stderrTail}`);
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.endpoints[0]}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { health?: string };
      return response.ok && body.health === 'true';
    } catch {
      return false;
    }
  }
}

/** etcd fsyncs its WAL on every write; a RAM-backed directory keeps tests fast where one exists. */
function fastTmpDir(): string {
  try {
    accessSync('/dev/shm', fsConstants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The state letter of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function processState(stat: string): string | undefined {
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
}
