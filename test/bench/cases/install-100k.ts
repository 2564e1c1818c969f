import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { pino } from 'pino';
import { MAX_DEVICES_PER_TASK } from '../../../src/domain/installs/install-steps.js';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { buildSegmentZip } from '../../support/fixtures/archives.js';
import { installOk, syncedSegment } from '../../support/fixtures/installs.js';
import { memoryOf } from '../../support/harness/memory.js';
import { waitFor, withTimeout } from '../../support/harness/wait-for.js';
import { type BenchEnv, freshPrefix } from '../env.js';
import { cpuDuring } from '../processes.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { seedSeats } from '../seed-seats.js';
import { MIB, summarize } from '../stats.js';
import { etcdStatus, familiesText, meterStore, type StoreTotals } from '../store-meter.js';

const POLL_MS = '250';
const RATIO_LIMIT = 1.2;
const BYTES_PER_POLL_LIMIT = 512 * 1024;
const PEAK_RSS_LIMIT_MIB = 400;

/**
 * install-100k (issue 29): one `installSegment` onto 100,000 seats (five SDP tasks of 20,000, D1),
 * devices 3 s ± 50 % with 1 % failures, timed from the request to the store write that ends the
 * record, against the simulator's own time for the same five tasks started straight through the SDP
 * client (first creation to last finish). A watch over seghub's whole prefix sums what each poll
 * writes (key + value of every put between two log summaries); etcd's revision and database size are
 * read around each install. Peak RSS is the seghub process's over its whole life (VmHWM), the seat
 * cache's 100,000 seats included. The seats are written into etcd before seghub starts; the seat
 * cache, which a process loads on first use, is loaded before the first round (untimed, reported as
 * `seatCacheLoadMs`): a running server has it, and the first round would otherwise time its loading.
 */
export async function install100kCase(env: BenchEnv): Promise<BenchResult> {
  const seatCount = env.quick ? 2000 : 100_000;
  const rounds = env.quick ? 1 : 3;
  const deviceMs = env.quick ? 1000 : 3000;
  const prefix = freshPrefix('install-100k');
  const seats = await seedSeats(env.etcd.endpoints, prefix, seatCount);
  const sim = await env.startSim('install-100k', {
    SDP_SIM_DEVICE_MS: String(deviceMs),
    SDP_SIM_DEVICE_JITTER: '0.5',
    SDP_SIM_FAILURE_RATE: '0.01',
  });
  const seghub = await env.startSeghub('install-100k', sim, {
    ETCD_PREFIX: prefix,
    INSTALL_POLL_MS: POLL_MS,
    // 100,000 seat ids are ~2.5 MB of JSON: the operator of such a fleet raises the body limit.
    MAX_JSON_BODY_BYTES: String(16 * MIB),
  });
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix });
  const sdp = new SdpClient('DEPLOY_PLATFORM', sim.addresses.DEPLOY_PLATFORM, {
    callTimeoutMs: 60_000,
    streamIdleMs: 60_000,
    logger: pino({ level: 'silent' }),
  });
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  const installs: InstallRun[] = [];
  let idle: { rss: number; peak: number };
  let peak: number;
  let warmMs: number;
  try {
    idle = await memoryOf(seghub.pid);
    warmMs = await loadSeatCache(seghub.url);
    const seatIds = seats.map((s) => encodeGlobalID('Seat', s.name));
    const ips = seats.map((s) => s.ip);
    for (let r = 0; r < rounds; r++) {
      const segment = await syncedSegment(seghub.url, `bench-install100k-${r}`);
      const one = await seghubInstall(env, sdp, store, seghub, segment.id, seatIds);
      installs.push(one);
      seghubMs.push(one.ms);
      baselineMs.push(await simulatorTasks(sdp, env.dir, `bench-install100k-b${r}`, ips));
    }
    peak = (await memoryOf(seghub.pid)).peak;
  } finally {
    sdp.close();
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
  const s = summarize(seghubMs);
  const b = summarize(baselineMs);
  const polls = installs.flatMap((i) => i.pollBytes);
  const average = polls.reduce((a, x) => a + x, 0) / Math.max(1, polls.length);
  const last = installs.at(-1)!;
  return result({
    case: 'install-100k',
    unit: 'ms',
    metric: 'median',
    seghub: s,
    baseline: b,
    checks: [
      atMost('ratio', s.median / b.median, RATIO_LIMIT),
      atMost('store bytes per poll', round(average / 1024, 1), BYTES_PER_POLL_LIMIT / 1024, ' KiB'),
      atMost('peak RSS', round(peak / MIB), PEAK_RSS_LIMIT_MIB, ' MiB'),
    ],
    extra: {
      seats: seatCount,
      deviceMs,
      pollMs: Number(POLL_MS),
      polls: polls.length,
      bytesPerPoll: Math.round(average),
      maxBytesPerPoll: Math.max(0, ...polls),
      idleRssMiB: round(idle.rss / MIB),
      seatCacheLoadMs: Math.round(warmMs),
      startPeakRssMiB: round(idle.peak / MIB),
      installBytes: installs.map((i) => i.totals.bytes).join('/'),
      installTxns: installs.map((i) => i.totals.txns).join('/'),
      installEvents: installs.map((i) => i.totals.events).join('/'),
      etcdRevisions: installs.map((i) => i.revisions).join('/'),
      etcdDbGrowthKiB: installs.map((i) => Math.round(i.dbGrowth / 1024)).join('/'),
      maxTxnBytes: Math.max(...installs.map((i) => i.totals.maxTxnBytes)),
      maxValueBytes: Math.max(...installs.map((i) => i.totals.maxValueBytes)),
      seghubCpuS: installs.map((i) => round(i.cpuS, 2)).join('/'),
      bytesByFamily: familiesText(last.totals.bytesByFamily),
      steps: installs.map((i) => i.steps).join('; '),
    },
  });
}

interface InstallRun {
  ms: number;
  /** Where the time went, from the head writes the watch saw and the simulator's task times. */
  steps: string;
  /** Key + value bytes put per poll: every transaction up to and including a log summary write. */
  pollBytes: number[];
  totals: StoreTotals;
  /** etcd revisions the install took, and how much its database file grew. */
  revisions: number;
  dbGrowth: number;
  cpuS: number;
}

async function seghubInstall(
  env: BenchEnv,
  sdp: SdpClient,
  store: KvStore,
  seghub: { url: string; pid: number; prefix: string },
  segmentId: string,
  seatIds: string[],
): Promise<InstallRun> {
  const before = await etcdStatus(env.etcd.endpoints);
  let recordId: string | undefined;
  let pending = 0;
  const pollBytes: number[] = [];
  const headPrefix = keys.segmentInstalls(localId(segmentId, 'Segment'));
  const marks: HeadMark[] = [];
  let answeredAt = 0;
  let resolveEnd: (at: number) => void = () => {};
  const ended = new Promise<number>((resolve) => {
    resolveEnd = resolve;
  });
  const meter = await meterStore(store, seghub.prefix, (message, txnBytes) => {
    pending += txnBytes;
    const puts = message.events.filter((e) => e.type === 'put');
    // One install at a time: the only record head written is this one's (its id comes with the answer).
    const head = puts.find((e) => e.kv.key.startsWith(headPrefix));
    if (head) marks.push(markOf(head.kv.value));
    if (recordId === undefined) return;
    const summary = puts.some((e) => e.kv.key === keys.installLogSummary(recordId!));
    if (head && /"status":"(SUCCEEDED|PARTIALLY_SUCCEEDED|FAILED)"/.test(head.kv.value)) {
      resolveEnd(performance.now());
    }
    // A poll ends with its summary; writes of the head (create, plan, task ids, end) are not polls.
    if (head || summary) {
      if (summary && !head) pollBytes.push(pending);
      pending = 0;
    }
  });
  // Resident memory sampled through the install: which step the peak belongs to.
  const rss: { at: number; mib: number }[] = [];
  const sampler = setInterval(() => {
    memoryOf(seghub.pid).then(
      (m) => rss.push({ at: Date.now(), mib: m.rss / MIB }),
      () => {},
    );
  }, 100);
  const started = performance.now();
  const startedWall = Date.now();
  const { value: endedAt, cpu } = await cpuDuring(seghub.pid, async () => {
    const record = await installOk(seghub.url, segmentId, seatIds);
    answeredAt = Date.now();
    recordId = localId(record.id, 'InstallRecord');
    return withTimeout(ended, 900_000, 'the install to end');
  });
  clearInterval(sampler);
  const totals = await meter.stop();
  const after = await etcdStatus(env.etcd.endpoints);
  return {
    ms: endedAt - started,
    steps: await breakdown(sdp, startedWall, answeredAt, marks, pollBytes.length, rss),
    pollBytes,
    totals,
    revisions: after.revision - before.revision,
    dbGrowth: after.dbSize - before.dbSize,
    cpuS: cpu.total,
  };
}

/**
 * The same tasks straight on the simulator: 20,000 devices each, started one after another as
 * seghub starts them; the platform's own time from the first task's creation to the last's finish.
 */
async function simulatorTasks(sdp: SdpClient, dir: string, name: string, ips: string[]): Promise<number> {
  const bytes = await buildSegmentZip({ name, version: '1.0.0' }, { payload: name });
  const file = path.join(dir, `${name}-1.0.0.zip`);
  await writeFile(file, bytes);
  const { segment } = await sdp.createSegment(
    {
      name,
      version: '1.0.0',
      format: 'ZIP',
      fileName: path.basename(file),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      idempotencyKey: randomUUID(),
    },
    file,
  );
  const tasks = [];
  for (let from = 0; from < ips.length; from += MAX_DEVICES_PER_TASK) {
    const { task } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: ips.slice(from, from + MAX_DEVICES_PER_TASK),
      idempotencyKey: randomUUID(),
    });
    tasks.push(task);
  }
  const finished = await Promise.all(
    tasks.map(async (task) => {
      let revision = task.revision;
      const ended = await waitFor(
        async () => {
          const now = await sdp.getTask(task.taskId, { sinceRevision: revision });
          revision = now.revision;
          return now.state !== 'RUNNING' && now;
        },
        { timeoutMs: 900_000, intervalMs: 250, message: 'the simulator task to end' },
      );
      if (!ended.finishedAt) throw new Error('the simulator task ended without finishedAt');
      return ended.finishedAt.getTime();
    }),
  );
  return Math.max(...finished) - Math.min(...tasks.map((t) => t.createdAt.getTime()));
}

/** A head write as the watch saw it: when, and how far the record had come. */
interface HeadMark {
  at: number;
  planned: boolean;
  taskIds: string[];
}

function markOf(value: string): HeadMark {
  const head = JSON.parse(value) as { plan?: { tasks?: { taskId?: string }[] } };
  const taskIds = (head.plan?.tasks ?? []).flatMap((t) => (t.taskId ? [t.taskId] : []));
  return { at: Date.now(), planned: head.plan !== undefined, taskIds };
}

/**
 * ms from the request to the record's creation (`create`; `answer`: to the mutation's answer), to its plan (`plan`), to the task ids
 * (`start`); the simulator's first task creation to its last finish (`sdp`); that finish to the
 * record's end (`end`, with the number of polls that wrote). In brackets: the highest RSS sampled in
 * that span (every 100 ms).
 */
async function breakdown(
  sdp: SdpClient,
  startedWall: number,
  answeredAt: number,
  marks: HeadMark[],
  polls: number,
  rss: { at: number; mib: number }[],
): Promise<string> {
  const first = marks[0];
  const planned = marks.find((m) => m.planned);
  const withIds = marks.find((m) => m.taskIds.length > 0);
  const last = marks.at(-1);
  const ids = last?.taskIds ?? [];
  const tasks = await Promise.all(ids.map((id) => sdp.getTask(id)));
  const created = Math.min(...tasks.map((t) => t.createdAt.getTime()));
  const finished = Math.max(...tasks.map((t) => t.finishedAt?.getTime() ?? Number.NaN));
  const gap = (a?: number, b?: number) => {
    if (a === undefined || b === undefined || Number.isNaN(b - a)) return '?';
    const top = Math.max(0, ...rss.filter((r) => r.at >= a && r.at <= b).map((r) => r.mib));
    return `${Math.round(b - a)}${top ? ` [${Math.round(top)} MiB]` : ''}`;
  };
  return [
    `create ${gap(startedWall, first?.at)} (answer ${gap(startedWall, answeredAt)})`,
    `plan ${gap(first?.at, planned?.at)}`,
    `start ${gap(planned?.at, withIds?.at)} (sim ${gap(planned?.at, created)})`,
    `sdp ${gap(created, finished)}`,
    `end ${gap(finished, last?.at)} (polls ${polls})`,
  ].join(' ');
}

function localId(globalId: string, type: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').replace(`${type}:`, '');
}

/** A `seats` page with a selector: loads the seat cache and its label index. Returns how long it took. */
async function loadSeatCache(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ seats(first: 1, selector: "ring=a") { totalCount } }' }),
  });
  const answer = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || answer.errors?.length) throw new Error(`seats page: ${JSON.stringify(answer)}`);
  return performance.now() - started;
}
