import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import { syncedSegment } from '../../support/fixtures/installs.js';
import { cloneSegment, controllerMembers, syncCounts } from '../../support/fixtures/sharded-fleet.js';
import { waitFor } from '../../support/harness/wait-for.js';
import { type BenchEnv, freshPrefix } from '../env.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';

const LATENCY_MS = 50;
/**
 * Per replica, in both runs. Few, so that SDP's latency bounds the sync rate, not the machine: with
 * the default 8, one replica already syncs ~70 segments/s here, near what the simulator itself takes
 * on two cores (create-sync-500's baseline: 130–140/s), and three replicas found no more (ratio 0.9).
 */
const WORKERS = 2;

/**
 * sharded-sync-3 (issue 29): create-sync of 3,000 segments with 50 ms simulated SDP latency per call,
 * on one seghub replica and on three (`CONTROLLER_MODE=sharded`, the same `CONTROLLER_WORKERS` per
 * replica, see `WORKERS`), timed from the first record written to the last one SYNCED. The records are copies of
 * one uploaded file written straight into etcd (PENDING, as an upload leaves them), so what is timed
 * is the controllers' sync throughput, not the upload path; the replicas share `STORAGE_DIR`.
 */
export async function shardedSyncCase(env: BenchEnv): Promise<BenchResult> {
  const count = env.quick ? 300 : 3000;
  const storage = path.join(env.dir, 'sharded-sync-storage');
  await mkdir(storage, { recursive: true });
  try {
    const one = await timedRun(env, storage, 1, count);
    const three = await timedRun(env, storage, 3, count);
    return result({
      case: 'sharded-sync-3',
      unit: 'ms',
      metric: 'median',
      seghub: summarize([three]),
      baseline: summarize([one]),
      checks: [atMost('3 replicas ÷ 1 replica', three / one, 0.5)],
      extra: {
        segments: count,
        latencyMs: LATENCY_MS,
        workersPerReplica: WORKERS,
        perSecondOn1: Math.round((count * 1000) / one),
        perSecondOn3: Math.round((count * 1000) / three),
      },
    });
  } finally {
    await rm(storage, { recursive: true, force: true });
  }
}

/** `replicas` members on a fresh prefix; ms from the first record written until all are SYNCED. */
async function timedRun(env: BenchEnv, storage: string, replicas: number, count: number) {
  const prefix = freshPrefix(`sharded-sync-${replicas}`);
  // A simulator per run: the leader's remote sync would otherwise import the other run's segments.
  const sim = await env.startSim(`sharded-sync-${replicas}`, { SDP_SIM_LATENCY_MS: String(LATENCY_MS) });
  const servers = [];
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  try {
    for (let i = 0; i < replicas; i++) {
      const memberEnv = {
        CONTROLLER_MODE: 'sharded',
        MEMBER_ID: `bench-${i}`,
        CONTROLLER_WORKERS: String(WORKERS),
      };
      servers.push(
        await env.startSeghub(`sharded-sync-${replicas}`, sim, {
          ...memberEnv,
          ETCD_PREFIX: prefix,
          STORAGE_DIR: storage,
        }),
      );
    }
    const url = servers[0]!.url;
    await waitFor(async () => (await controllerMembers(url)).length === replicas, {
      timeoutMs: 60_000,
      message: `${replicas} members`,
    });
    const seed = `ss${replicas}-seed`;
    await syncedSegment(url, seed);
    const names = Array.from({ length: count }, (_, i) => `ss${replicas}-${i}`);
    const started = performance.now();
    await cloneSegment(store, `${seed}/1.0.0`, names);
    await waitFor(async () => (await syncCounts(store)).SYNCED === count + 1, {
      timeoutMs: 10 * 60_000,
      intervalMs: 250,
      message: `${count} segments synced on ${replicas} replicas`,
    });
    return performance.now() - started;
  } finally {
    await store.close();
    // Together: they share one prefix, which each stop clears and compacts; all but the first find
    // nothing left to compact (etcd refuses a compaction at a revision already compacted).
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
    await sim.stop();
  }
}
