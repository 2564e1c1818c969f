import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Etcd3 } from 'etcd3';
import type { EtcdProcess } from '../support/harness/etcd.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort } from '../support/harness/temp.js';
import { hotSpots } from './profile.js';

/** What every case gets: the run's options, one etcd, a scratch directory, and process starters. */
export interface BenchEnv {
  readonly quick: boolean;
  /** Set with --profile: seghub runs with --cpu-prof, and its hot spots are printed when it stops. */
  readonly profileDir?: string;
  readonly etcd: EtcdProcess;
  /** Scratch space for this run, removed at the end. */
  readonly dir: string;
  /** Files shared between cases (the big archives), made once. */
  fixture<T>(name: string, make: () => Promise<T>): Promise<T>;
  startSim(label: string, env?: Record<string, string>): Promise<SimProcess>;
  startSeghub(label: string, sim: SimProcess, env?: Record<string, string>): Promise<SeghubServer>;
}

export interface SimProcess {
  readonly addresses: { DEPLOY_PLATFORM: string; STORE_15S: string };
  readonly pid: number;
  stop(): Promise<void>;
}

export interface SeghubServer {
  readonly url: string;
  readonly pid: number;
  /** ETCD_PREFIX of this process: a fresh one per start, so cases never see each other's keys. */
  readonly prefix: string;
  readonly dataDir: string;
  readonly process: SeghubProcess;
  stop(): Promise<void>;
}

let prefixes = 0;

/** A fresh ETCD_PREFIX, unique in this run. */
export function freshPrefix(label: string): string {
  return `/bench-${process.pid}-${++prefixes}-${label.replace(/[^A-Za-z0-9._-]/g, '-')}/`;
}

export async function createBenchEnv(options: {
  quick: boolean;
  profileDir?: string;
  etcd: EtcdProcess;
}): Promise<BenchEnv & { dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'seghub-bench-'));
  const fixtures = new Map<string, Promise<unknown>>();
  const running = new Set<{ stop(): Promise<void> }>();
  const track = <T extends { stop(): Promise<void> }>(p: T): T => {
    const stop = p.stop.bind(p);
    const tracked = Object.assign(p, {
      stop: async () => {
        running.delete(tracked);
        await stop();
      },
    });
    running.add(tracked);
    return tracked;
  };

  const env: BenchEnv = {
    quick: options.quick,
    profileDir: options.profileDir,
    etcd: options.etcd,
    dir,
    fixture<T>(name: string, make: () => Promise<T>) {
      let made = fixtures.get(name);
      if (!made) {
        made = make();
        fixtures.set(name, made);
      }
      return made as Promise<T>;
    },
    async startSim(label, simEnv = {}) {
      const dataDir = path.join(dir, `sim-${label}`);
      const child = spawnBuilt('sim/main.js', {
        SDP_SIM_PORT: '0',
        SDP_SIM_DATA_DIR: dataDir,
        SDP_SIM_SEED: '7',
        ...simEnv,
      });
      const ready = await child.waitForLog((line) => line.msg === 'SDP simulator ready', 60_000);
      return track({
        addresses: ready.addresses as SimProcess['addresses'],
        pid: ready.pid as number,
        async stop() {
          child.signal('SIGTERM');
          await child.exited;
          await rm(dataDir, { recursive: true, force: true });
        },
      });
    },
    async startSeghub(label, sim, seghubEnv = {}) {
      const port = await freePort();
      const prefix = seghubEnv.ETCD_PREFIX ?? freshPrefix(label);
      const dataDir = path.join(dir, `seghub-${label}-${prefixes}`);
      await mkdir(dataDir, { recursive: true });
      const profiling = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
      const child = spawnBuilt(
        'main.js',
        {
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          ETCD_ENDPOINTS: options.etcd.endpoints.join(','),
          ETCD_PREFIX: prefix,
          SDP_DEPLOY_ADDR: sim.addresses.DEPLOY_PLATFORM,
          SDP_STORE15S_ADDR: sim.addresses.STORE_15S,
          // The remote sync pass runs once at start; a second one must not land inside a measurement.
          REMOTE_SYNC_INTERVAL_MS: '86400000',
          // Open mode, as the tests run it: what is measured is the product, not token checks.
          AUTH_DISABLED: 'true',
          ...seghubEnv,
        },
        profiling,
      );
      const serving = await child.waitForLog((line) => line.msg === 'seghub is serving', 120_000);
      const pid = serving.pid as number;
      return track({
        url: `http://127.0.0.1:${port}/graphql`,
        pid,
        prefix,
        dataDir,
        process: child,
        async stop() {
          child.signal('SIGTERM');
          await child.exited;
          if (options.profileDir) await printProfile(options.profileDir, pid, label);
          await rm(dataDir, { recursive: true, force: true });
          await clearPrefix(options.etcd.endpoints, prefix);
        },
      });
    },
  };
  return Object.assign(env, {
    async dispose() {
      for (const p of [...running].reverse()) await p.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  });
}

/**
 * Deletes a finished process's keys and compacts etcd's history up to the delete, as a production
 * etcd's auto-compaction would, so that no case carries another's data into its measurement: left
 * uncompacted, list-100k's 100,000 records and their tombstones stay in etcd's index.
 */
export async function clearPrefix(endpoints: string[], prefix: string): Promise<void> {
  const etcd = new Etcd3({ hosts: endpoints });
  try {
    const { header } = await etcd.delete().prefix(prefix).exec();
    // physical: returns once the compaction is done, not while it still runs into the next case.
    await etcd.kv.compact({ revision: header.revision, physical: true });
  } finally {
    etcd.close();
  }
}

async function printProfile(dir: string, pid: number, label: string): Promise<void> {
  const file = (await readdir(dir)).find((name) => name.includes(`.${pid}.`) && name.endsWith('.cpuprofile'));
  if (!file) {
    console.warn(`  (no CPU profile of seghub ${label}, pid ${pid})`);
    return;
  }
  console.info(`  CPU profile of seghub (${label}): ${path.join(dir, file)}`);
  console.info(await hotSpots(path.join(dir, file)));
}
