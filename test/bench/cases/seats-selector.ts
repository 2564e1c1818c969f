import { randomUUID } from 'node:crypto';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore, TxnOp } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { seatRecordCodec } from '../../../src/records/seat-schema.js';
import type { BenchEnv } from '../env.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';

const SELECTOR = 'site=north,role in (bridge,engine)';
const SITES = ['north', 'south', 'east', 'west'];
const ROLES = ['bridge', 'engine', 'galley', 'cabin', 'deck'];
/** Seat key and IP index key per seat: 64 seats per 128-operation transaction. */
const SEATS_PER_TXN = 64;

const PAGE_QUERY = `query BenchSeats($selector: String, $after: String) {
  seats(first: 50, selector: $selector, after: $after) {
    totalCount
    edges { cursor node { id name ip labels { key value } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PageAnswer {
  data?: { seats: { totalCount: number; edges: unknown[] } };
  errors?: unknown[];
}

/**
 * `seats(selector: "site=north,role in (bridge,engine)", first: 50)` over 100,000 labelled seats,
 * alternating one request at a time with the same page without a selector (the baseline: the
 * unfiltered list, read from the store). `extra.afterRelabelP99` is the selector page right after a
 * seat's labels changed (an untimed write that moves a seat of the group out and back in), so the
 * label index has a change to settle.
 */
export async function seatsSelectorCase(env: BenchEnv): Promise<BenchResult> {
  const count = env.quick ? 2000 : 100_000;
  const requests = env.quick ? 200 : 1000;
  const prefix = `/bench-seats-${randomUUID()}/`;
  const matching = await seed(env, prefix, count);
  const sim = await env.startSim('seats');
  const seghub = await env.startSeghub('seats', sim, { ETCD_PREFIX: prefix });
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  try {
    const filtered = (after?: string) =>
      JSON.stringify({ query: PAGE_QUERY, variables: { selector: SELECTOR, after } });
    const plain = JSON.stringify({ query: PAGE_QUERY, variables: {} });
    for (let i = 0; i < 50; i++)
      await Promise.all([page(seghub.url, filtered(), matching), page(seghub.url, plain, count)]);
    const selectorMs: number[] = [];
    const plainMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      selectorMs.push(await timed(() => page(seghub.url, filtered(), matching)));
      plainMs.push(await timed(() => page(seghub.url, plain, count)));
    }
    const relabelMs: number[] = [];
    for (let i = 0; i < (env.quick ? 20 : 100); i++) {
      // Seat 0 matches (north, bridge): out on even rounds, back in on odd ones.
      await relabelSeat(store, i % 2 === 0 ? 'galley' : 'bridge');
      const expected = i % 2 === 0 ? matching - 1 : matching;
      relabelMs.push(await timed(() => page(seghub.url, filtered(), expected)));
    }
    const s = summarize(selectorMs);
    const b = summarize(plainMs);
    return result({
      case: 'seats-selector-100k',
      unit: 'ms',
      metric: 'p99',
      seghub: s,
      baseline: b,
      checks: [atMost('p99', s.p99, 20, ' ms'), atMost('ratio', s.p99 / b.p99, 2.5)],
      extra: { seats: count, matching, afterRelabelP99: Math.round(summarize(relabelMs).p99 * 10) / 10 },
    });
  } finally {
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
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
  const seats = answer.data?.seats;
  if (!seats || answer.errors?.length) throw new Error(`seats failed: ${JSON.stringify(answer.errors)}`);
  if (seats.totalCount !== expectedTotal || seats.edges.length !== Math.min(50, expectedTotal)) {
    throw new Error(
      `seats: totalCount ${seats.totalCount} (want ${expectedTotal}), ${seats.edges.length} edges`,
    );
  }
}

function seatOf(i: number, at: string) {
  const site = SITES[i % SITES.length]!;
  const role = ROLES[Math.floor(i / 4) % ROLES.length]!;
  return {
    name: `seat-${String(i).padStart(6, '0')}`,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    createdAt: at,
    updatedAt: at,
    labels: [
      { key: 'deck', value: String(i % 12) },
      { key: 'role', value: role },
      { key: 'site', value: site },
    ],
    description: `Seat ${i}`,
  };
}

/** `count` labelled seats with their IP index keys, four transactions in flight; returns how many match. */
async function seed(env: BenchEnv, prefix: string, count: number): Promise<number> {
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  const at = new Date().toISOString();
  let matching = 0;
  for (let i = 0; i < count; i++) {
    const seat = seatOf(i, at);
    if (seat.labels[2]!.value === 'north' && ['bridge', 'engine'].includes(seat.labels[1]!.value)) matching++;
  }
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next += SEATS_PER_TXN;
      const ops: TxnOp[] = [];
      for (let i = from; i < Math.min(from + SEATS_PER_TXN, count); i++) {
        const seat = seatOf(i, at);
        ops.push({ type: 'put', key: keys.seat(seat.name), value: seatRecordCodec.encode(seat) });
        ops.push({ type: 'put', key: keys.seatIp(seat.ip), value: seat.name });
      }
      await store.txn({ compare: [], success: ops });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    await store.close();
  }
  return matching;
}

/** Gives seat 0 (site north) another role, moving it out of the selector's matches or back in. */
async function relabelSeat(store: KvStore, role: string): Promise<void> {
  const seat = seatOf(0, new Date().toISOString());
  const labels = seat.labels.map((label) => (label.key === 'role' ? { key: 'role', value: role } : label));
  await store.put(keys.seat(seat.name), seatRecordCodec.encode({ ...seat, labels }));
}
