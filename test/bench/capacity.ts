import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { UpsertSeats } from '../support/documents/seat-documents.js';
import { SetSeatLabels, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import { installOk, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { createRolloutOk, waitForRollout } from '../support/fixtures/rollouts.js';
import { startEtcd } from '../support/harness/etcd.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { memoryOf } from '../support/harness/memory.js';
import { createBenchEnv, freshPrefix, type SeghubServer } from './env.js';
import { cpuTimes, run } from './processes.js';
import { describeCommit, describeMachine, loadAverage } from './record.js';
import { seededSeat, seedSeats } from './seed-seats.js';
import { MIB } from './stats.js';
import { etcdStatus, meterStore, type StoreTotals } from './store-meter.js';

/**
 * `npx tsx test/bench/capacity.ts [--seats 10000] [--segments 100] [--out file.json]`: what one
 * seat, segment, install and rollout cost the store (bytes put, transactions, watch events, what
 * stays held), seghub's and etcd's CPU, and seghub's resident memory per seat held in its caches,
 * measured on one seghub process with a real etcd and the simulator. docs/capacity.md is planned
 * from its output; the JSON goes to `--out`, a summary to stdout.
 */
const { values } = parseArgs({
  options: {
    seats: { type: 'string', default: '10000' },
    segments: { type: 'string', default: '100' },
    'memory-seats': { type: 'string', default: '100000' },
    out: { type: 'string', default: 'capacity-results.json' },
  },
});
const SEATS = Number(values.seats);
const SEGMENTS = Number(values.segments);
const MEMORY_SEATS = Number(values['memory-seats']);
const BATCH = 1000;

interface Phase {
  name: string;
  /** What the phase made: seats, segments, installs, rollouts. */
  units: number;
  unit: string;
  ms: number;
  store: StoreTotals;
  etcdRevisions: number;
  etcdDbGrowth: number;
  seghubCpuS: number;
  etcdCpuS: number;
}

await run('npm', ['run', '--silent', 'build']);
const etcd = await startEtcd();
const etcdPid = await pidOf(etcd.dataDir);
const env = await createBenchEnv({ quick: false, etcd });
const phases: Phase[] = [];
const memory: Record<string, number> = {};
let held: Awaited<ReturnType<typeof heldBytes>> | undefined;
try {
  const sim = await env.startSim('capacity', {
    SDP_SIM_DEVICE_MS: '1000',
    SDP_SIM_DEVICE_JITTER: '0',
    SDP_SIM_FAILURE_RATE: '0',
  });
  // Memory: idle RSS of a fresh process with no seats, and with MEMORY_SEATS seeded before it starts.
  const empty = await env.startSeghub('capacity-empty', sim);
  Object.assign(memory, prefixed('empty', await settledMemory(empty)));
  await empty.stop();
  const seededPrefix = freshPrefix('capacity-memory');
  await seedSeats(etcd.endpoints, seededPrefix, MEMORY_SEATS);
  const seeded = await env.startSeghub('capacity-memory', sim, { ETCD_PREFIX: seededPrefix });
  memory.seededSeats = MEMORY_SEATS;
  Object.assign(memory, prefixed('seeded', await settledMemory(seeded)));
  await seeded.stop();

  const seghub = await env.startSeghub('capacity', sim, { INSTALL_POLL_MS: '250' });
  const store = await openEtcdKv({ endpoints: etcd.endpoints, prefix: seghub.prefix });
  const measure = phaseMeter(seghub, store);
  try {
    const seats = Array.from({ length: SEATS }, (_, i) => seededSeat(i, 'cap'));
    phases.push(
      await measure('seats (upsertSeats, 1,000 a call)', SEATS, 'seat', async () => {
        for (let from = 0; from < SEATS; from += BATCH) {
          const r = await httpGraphQL(seghub.url, UpsertSeats, { seats: seats.slice(from, from + BATCH) });
          if (r.data?.upsertSeats.__typename !== 'UpsertSeatsSuccess') throw new Error(JSON.stringify(r));
        }
      }),
    );
    const ids = seats.map((s) => encodeGlobalID('Seat', s.name));
    phases.push(
      await measure('labels (setSeatLabels, one label)', SEATS, 'seat', async () => {
        for (let from = 0; from < SEATS; from += BATCH) {
          await labelOk(seghub.url, ids.slice(from, from + BATCH), 'ring', 'a');
        }
        await labelOk(seghub.url, ids.slice(0, SEATS / 10), 'tier', 'small');
      }),
    );
    const segments: { id: string }[] = [];
    phases.push(
      await measure('segments (upload and sync, 4 at once)', SEGMENTS, 'segment', async () => {
        for (let i = 0; i < SEGMENTS; i += 4) {
          const made = await Promise.all(
            [0, 1, 2, 3]
              .filter((k) => i + k < SEGMENTS)
              .map((k) => syncedSegment(seghub.url, `cap-${i + k}`)),
          );
          segments.push(...made);
        }
      }),
    );
    for (const [index, count] of [
      [0, SEATS / 100],
      [1, SEATS / 10],
      [2, SEATS],
    ] as const) {
      phases.push(
        await measure(`install of ${count} seats`, 1, 'install', async () => {
          const record = await installOk(seghub.url, segments[index]!.id, ids.slice(0, count));
          await waitForInstallEnd(seghub.url, record.id, 600_000);
        }),
      );
    }
    await groupOk(seghub.url, 'all', 'ring=a');
    await groupOk(seghub.url, 'small', 'tier=small');
    for (const [group, index, count] of [
      ['small', 3, SEATS / 10],
      ['all', 4, SEATS],
    ] as const) {
      phases.push(
        await measure(`rollout of ${count} seats in 5 waves`, 1, 'rollout', async () => {
          const rollout = await createRolloutOk(seghub.url, {
            segmentId: segments[index]!.id,
            group,
            waves: [{ percent: 1 }, { percent: 10 }, { percent: 30 }, { percent: 30 }, {}].map((w) => ({
              ...w,
              soakSeconds: 0,
            })),
          });
          await waitForRollout(seghub.url, rollout.id, (r) => r.state === 'SUCCEEDED', {
            timeoutMs: 600_000,
          });
        }),
      );
    }
    Object.assign(memory, prefixed('after', await settledMemory(seghub)));
    memory.afterPeakMiB = (await memoryOf(seghub.pid)).peak / MIB;
    held = await heldBytes(store);
  } finally {
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
} finally {
  await env.dispose();
  await etcd.stop();
}

const record = {
  at: new Date().toISOString(),
  machine: describeMachine(),
  commit: await describeCommit(),
  load: loadAverage(),
  sizes: { seats: SEATS, segments: SEGMENTS },
  held,
  memory: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  phases: phases.map((p) => ({ ...p, perUnit: perUnit(p) })),
};
await writeFile(values.out, `${JSON.stringify(record, null, 2)}\n`);
for (const p of record.phases) console.info(`${p.name}: ${JSON.stringify(p.perUnit)}`);
console.info(`memory: ${JSON.stringify(record.memory)}\nwrote ${values.out}`);
process.exit(0);

function perUnit(p: Phase) {
  const per = (x: number, digits = 1) => Math.round((x / p.units) * 10 ** digits) / 10 ** digits;
  return {
    unit: p.unit,
    bytes: per(p.store.bytes),
    txns: per(p.store.txns, 3),
    events: per(p.store.events, 2),
    etcdDbGrowth: per(p.etcdDbGrowth),
    seghubCpuMs: per(p.seghubCpuS * 1000, 3),
    etcdCpuMs: per(p.etcdCpuS * 1000, 3),
    maxTxnBytes: p.store.maxTxnBytes,
    maxValueBytes: p.store.maxValueBytes,
  };
}

/** Runs `work` with the store metered and both processes' CPU counted. */
function phaseMeter(seghub: SeghubServer, store: KvStore) {
  return async (name: string, units: number, unit: string, work: () => Promise<void>): Promise<Phase> => {
    const before = await etcdStatus(etcd.endpoints);
    const cpu0 = await Promise.all([cpuTimes(seghub.pid), cpuTimes(etcdPid)]);
    const meter = await meterStore(store, seghub.prefix);
    const started = performance.now();
    await work();
    const ms = performance.now() - started;
    // Whatever the last write set off (a watch, a pruning) lands before the meter stops.
    await quiet(meter.totals);
    const totals = await meter.stop();
    const cpu1 = await Promise.all([cpuTimes(seghub.pid), cpuTimes(etcdPid)]);
    const after = await etcdStatus(etcd.endpoints);
    const used = (i: number) => cpu1[i]!.user + cpu1[i]!.system - cpu0[i]!.user - cpu0[i]!.system;
    console.info(
      `${name}: ${Math.round(ms)} ms, ${totals.txns} txns, ${Math.round(totals.bytes / 1024)} KiB`,
    );
    return {
      name,
      units,
      unit,
      ms: Math.round(ms),
      store: totals,
      etcdRevisions: after.revision - before.revision,
      etcdDbGrowth: after.dbSize - before.dbSize,
      seghubCpuS: used(0),
      etcdCpuS: used(1),
    };
  };
}

/** Resolves once no transaction arrived for a second: the phase's last writes are in. */
async function quiet(totals: StoreTotals): Promise<void> {
  let last = -1;
  while (last !== totals.txns) {
    last = totals.txns;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function labelOk(url: string, seatIds: string[], key: string, value: string) {
  const r = await httpGraphQL(url, SetSeatLabels, { seatIds, set: [{ key, value }] });
  if (r.data?.setSeatLabels.__typename !== 'SetSeatLabelsSuccess') throw new Error(JSON.stringify(r));
}

async function groupOk(url: string, name: string, selector: string) {
  const r = await httpGraphQL(url, UpsertSeatGroup, { input: { name, selector } });
  if (r.data?.upsertSeatGroup.__typename !== 'UpsertSeatGroupSuccess') throw new Error(JSON.stringify(r));
}

/**
 * Resident memory and V8's used heap once the process has its caches (a `seats` page with a selector
 * loads the seat cache and its label index) and has been quiet long enough for its idle collection
 * (`src/util/idle-gc.ts`: 5 s under 10 % busy) to have run: what it holds, not its garbage.
 */
async function settledMemory(seghub: SeghubServer) {
  const r = await fetch(seghub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ seats(first: 1, selector: "ring=a") { totalCount } }' }),
  });
  if (!r.ok) throw new Error(`seats page: ${r.status}`);
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  return { rssMiB: (await memoryOf(seghub.pid)).rss / MIB, heapUsedMiB: (await heapUsed(seghub.url)) / MIB };
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]),
  );
}

/** What the store holds under seghub's prefix now (what stays after compaction): keys and bytes by family. */
async function heldBytes(store: KvStore) {
  const families: Record<string, { keys: number; bytes: number }> = {};
  for (let startAfter: string | undefined; ; ) {
    const page = await store.range('', { limit: 1000, startAfter });
    for (const kv of page.kvs) {
      const family = kv.key.split('/')[0] ?? '';
      const f = families[family] ?? { keys: 0, bytes: 0 };
      f.keys++;
      f.bytes += Buffer.byteLength(kv.key) + Buffer.byteLength(kv.value);
      families[family] = f;
    }
    if (!page.more || page.kvs.length === 0) return families;
    startAfter = page.kvs.at(-1)!.key;
  }
}

/** V8's used heap from seghub's `/metrics` (prom-client's default metrics). */
async function heapUsed(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** The pid of the etcd whose data directory is `dataDir` (the harness does not expose it). */
async function pidOf(dataDir: string): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(path.join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (cmdline.startsWith(etcdBinary(cmdline)) && cmdline.includes(dataDir)) return Number(entry);
  }
  throw new Error(`no etcd process with ${dataDir}`);
}

function etcdBinary(cmdline: string): string {
  return cmdline.split('\0')[0]?.endsWith('etcd') ? (cmdline.split('\0')[0] ?? '') : '\0never';
}
