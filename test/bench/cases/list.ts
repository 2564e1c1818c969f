import { createHash, randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { encodeSegmentRecord, type SegmentRecord } from '../../../src/records/segment-schema.js';
import { waitFor } from '../../support/harness/wait-for.js';
import type { BenchEnv } from '../env.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';

const WORDS = ['radar', 'sonar', 'nav', 'comms', 'display', 'core', 'ui', 'db'];
const VERSIONS_PER_NAME = 10;
/** Matches the radar names whose number starts with 1: about 1.4 % of the records, several pages. */
const NAME_CONTAINS = 'dar-1';
const TXN_PUTS = 128;

const PAGE_QUERY = `query BenchList($filter: SegmentFilter) {
  segments(first: 50, filter: $filter) {
    totalCount
    edges { cursor node { id name version format sync { status } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PageAnswer {
  data?: { segments: { totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean } } };
  errors?: unknown[];
}

/**
 * `segments(first: 50)` over HTTP against a store seeded with `count` records before seghub starts,
 * p99 of single requests one at a time, alternating with the same page read straight from etcd
 * (a range over the segments prefix, limit 50) by etcd3 in this process; then with a name filter.
 */
export async function listCases(env: BenchEnv, wanted: string[]): Promise<BenchResult[]> {
  const count = env.quick ? 2000 : 100_000;
  const requests = env.quick ? 200 : 1000;
  const sim = await env.startSim('list');
  const prefix = `/bench-list-${randomUUID()}/`;
  const seeded = await seed(env, prefix, count);
  const seghub = await env.startSeghub('list', sim, { ETCD_PREFIX: prefix });
  const etcd = new Etcd3({ hosts: env.etcd.endpoints });
  const results: BenchResult[] = [];
  try {
    await remoteSyncDone(env, prefix);
    const plain = JSON.stringify({ query: PAGE_QUERY, variables: {} });
    const filtered = JSON.stringify({
      query: PAGE_QUERY,
      variables: { filter: { nameContains: NAME_CONTAINS } },
    });
    const direct = () =>
      etcd
        .getAll()
        .prefix(`${prefix}${keys.segments}`)
        .limit(50)
        .exec()
        .then((r) => r.kvs.length === 50);
    if (wanted.includes('list-100k')) {
      const seghubMs: number[] = [];
      const etcdMs: number[] = [];
      for (let i = 0; i < 50; i++) await Promise.all([page(seghub.url, plain, count), direct()]);
      for (let i = 0; i < requests; i++) {
        seghubMs.push(await timed(() => page(seghub.url, plain, count)));
        etcdMs.push(await timed(direct));
      }
      const s = summarize(seghubMs);
      const b = summarize(etcdMs);
      results.push(
        result({
          case: 'list-100k',
          unit: 'ms',
          metric: 'p99',
          seghub: s,
          baseline: b,
          checks: [atMost('p99', s.p99, 20, ' ms'), atMost('ratio', s.p99 / b.p99, 2.5)],
          extra: { records: count },
        }),
      );
    }
    if (wanted.includes('list-100k-filter')) {
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) await page(seghub.url, filtered, seeded.matching);
      for (let i = 0; i < requests; i++)
        samples.push(await timed(() => page(seghub.url, filtered, seeded.matching)));
      const s = summarize(samples);
      results.push(
        result({
          case: 'list-100k-filter',
          unit: 'ms',
          metric: 'p99',
          seghub: s,
          checks: [atMost('p99', s.p99, 30, ' ms')],
          extra: { records: count, matching: seeded.matching, nameContains: NAME_CONTAINS },
        }),
      );
    }
  } finally {
    etcd.close();
    await seghub.stop();
    await sim.stop();
  }
  return results;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** One page over HTTP; checks that it is whole and counted right, so a fast wrong answer cannot pass. */
async function page(url: string, body: string, expectedTotal: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const answer = (await response.json()) as PageAnswer;
  const segments = answer.data?.segments;
  if (!segments || answer.errors?.length)
    throw new Error(`segments failed: ${JSON.stringify(answer.errors)}`);
  if (segments.totalCount !== expectedTotal || segments.edges.length !== Math.min(50, expectedTotal)) {
    throw new Error(
      `segments: totalCount ${segments.totalCount} (want ${expectedTotal}), ${segments.edges.length} edges`,
    );
  }
}

/**
 * `count` records, as uploads and remote syncs would have left them. They are SYNCED without an SDP
 * uid, or FAILED: the remote sync pass at seghub's start would remove a SYNCED record whose uid the
 * (empty) simulator lacks, and a PENDING one would set the controller syncing.
 */
async function seed(env: BenchEnv, prefix: string, count: number): Promise<{ matching: number }> {
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  const createdAt = new Date().toISOString();
  let matching = 0;
  const records: SegmentRecord[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(i / VERSIONS_PER_NAME);
    const name = `${WORDS[n % WORDS.length]}-${n}`;
    const version = `1.${i % VERSIONS_PER_NAME}.0`;
    const mpk = n % 5 === 4;
    if (name.includes(NAME_CONTAINS)) matching++;
    records.push({
      instanceId: randomUUID(),
      name,
      version,
      format: mpk ? 'MPK' : 'ZIP',
      target: mpk ? 'STORE_15S' : 'DEPLOY_PLATFORM',
      fileName: `${name}-${version}.${mpk ? 'mpk' : 'zip'}`,
      size: 1_000_000 + i,
      sha256: createHash('sha256').update(`${name}/${version}`).digest('hex'),
      description: `${name} console`,
      metadata: { vendor: 'Acme', platform: { os: 'linux', arch: 'x86_64' } },
      isLocal: true,
      createdAt,
      sync:
        i % 10 === 9
          ? {
              status: 'FAILED',
              attempts: 8,
              lastError: 'UNAVAILABLE: connection refused',
              lastAttemptAt: createdAt,
            }
          : { status: 'SYNCED', attempts: 0, lastAttemptAt: createdAt, syncedAt: createdAt },
      deleteStatus: 'NONE',
    });
  }
  try {
    await putAll(store, records);
  } finally {
    await store.close();
  }
  return { matching };
}

/** Batched transactions of at most 128 puts (etcd's default limit), four in flight. */
async function putAll(store: KvStore, records: SegmentRecord[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const batch = records.slice(next, next + TXN_PUTS);
      next += TXN_PUTS;
      await store.txn({
        compare: [],
        success: batch.map((r) => ({
          type: 'put' as const,
          key: keys.segment(`${r.name}/${r.version}`),
          value: encodeSegmentRecord(r),
        })),
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** seghub's start-up remote sync reads every record; it must be over before anything is timed. */
async function remoteSyncDone(env: BenchEnv, prefix: string): Promise<void> {
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  try {
    await waitFor(
      async () =>
        (await store.get(keys.remoteSyncReport('DEPLOY_PLATFORM'))) &&
        (await store.get(keys.remoteSyncReport('STORE_15S'))),
      { timeoutMs: 120_000, intervalMs: 100, message: 'the start-up remote sync pass' },
    );
  } finally {
    await store.close();
  }
}
