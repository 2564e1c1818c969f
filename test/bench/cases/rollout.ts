import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { SetSeatLabels, UpsertSeatGroup } from '../../support/documents/seat-group-documents.js';
import { buildSegmentZip } from '../../support/fixtures/archives.js';
import { addSeats, syncedSegment } from '../../support/fixtures/installs.js';
import { createRolloutOk } from '../../support/fixtures/rollouts.js';
import { httpGraphQL } from '../../support/harness/graphql-client.js';
import { waitFor, withTimeout } from '../../support/harness/wait-for.js';
import type { BenchEnv } from '../env.js';
import { forkHelper, nextMessage, stopHelper } from '../processes.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { isRolloutReport, type RolloutClientReport } from '../rollout-protocol.js';
import { summarize } from '../stats.js';
import { followRollout, matchLatencies, type RolloutTimeline } from './rollout-timeline.js';

const POLL_MS = '250';
const WAVES = [{ percent: 1 }, { percent: 10 }, { percent: 30 }, { percent: 30 }, {}];
const RATIO_LIMIT = 1.15;
const BYTES_PER_SEAT_LIMIT = 2048;
const P99_LIMIT_MS = 100;

/**
 * rollout-10k (issue 25): `createRollout` of one version to a group of 10,000 labelled seats in
 * five waves (1 %, 10 %, 30 %, 30 %, the rest), no soak, devices of fixed time and no failures,
 * timed from the request to the head write that says SUCCEEDED (seen by a watch of the bench's
 * own), against the simulator's own time for the same five waves as tasks straight through the
 * SDP client, one after another, summed. The watch also sums every byte written to the store, and
 * times each head write: `rolloutUpdated` subscribers (graphql-ws, in a process of their own) are
 * measured from that write to their receipt of it.
 */
export async function rolloutCase(env: BenchEnv): Promise<BenchResult> {
  const seatCount = env.quick ? 1000 : 10_000;
  const subscriberCount = env.quick ? 20 : 100;
  const deviceMs = env.quick ? 1000 : 3000;
  const sim = await env.startSim('rollout', {
    SDP_SIM_DEVICE_MS: String(deviceMs),
    SDP_SIM_DEVICE_JITTER: '0',
    SDP_SIM_FAILURE_RATE: '0',
  });
  const seghub = await env.startSeghub('rollout', sim, { INSTALL_POLL_MS: POLL_MS });
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix: seghub.prefix });
  const sdp = new SdpClient('DEPLOY_PLATFORM', sim.addresses.DEPLOY_PLATFORM, {
    callTimeoutMs: 30_000,
    streamIdleMs: 30_000,
    logger: pino({ level: 'silent' }),
  });
  const clients = forkHelper('rollout-clients');
  let run: Awaited<ReturnType<typeof seghubRollout>>;
  let baseline: number[];
  let stepTasks: TaskSpan[];
  try {
    const seats = await addSeats(seghub.url, seatCount, 'desk');
    const segment = await syncedSegment(seghub.url, 'bench-rollout');
    const labelled = await httpGraphQL(seghub.url, SetSeatLabels, {
      seatIds: seats.map((s) => s.id),
      set: [{ key: 'ring', value: 'a' }],
    });
    if (labelled.data?.setSeatLabels.__typename !== 'SetSeatLabelsSuccess')
      throw new Error(`setSeatLabels: ${JSON.stringify(labelled)}`);
    const group = await httpGraphQL(seghub.url, UpsertSeatGroup, {
      input: { name: 'fleet', selector: 'ring=a' },
    });
    if (group.data?.upsertSeatGroup.__typename !== 'UpsertSeatGroupSuccess')
      throw new Error(`upsertSeatGroup: ${JSON.stringify(group)}`);
    run = await seghubRollout(store, seghub.url, segment.id, clients, subscriberCount);
    stepTasks = await Promise.all(run.timeline.steps.map((s) => taskSpan(sdp, s.taskIds)));
    const ips = seats.map((s) => s.ip);
    baseline = await simulatorWaves(sdp, env.dir, ips, run.waveSizes);
  } finally {
    await stopHelper(clients);
    sdp.close();
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
  const { timeline, ms, latencies, unmatched, waveSizes } = run;
  const baselineMs = baseline.reduce((a, x) => a + x, 0);
  const s = summarize([ms]);
  const b = summarize([baselineMs]);
  const latency = summarize(latencies);
  return result({
    case: 'rollout-10k',
    unit: 'ms',
    metric: 'median',
    seghub: s,
    baseline: b,
    checks: [
      atMost('ratio', s.median / b.median, RATIO_LIMIT),
      atMost('bytes written per seat', round(timeline.bytes / seatCount), BYTES_PER_SEAT_LIMIT, ' B'),
      atMost('rolloutUpdated p99', latency.p99, P99_LIMIT_MS, ' ms'),
    ],
    extra: {
      seats: seatCount,
      deviceMs,
      pollMs: Number(POLL_MS),
      waves: waveSizes.join('/'),
      subscribers: subscriberCount,
      headWrites: timeline.heads.length,
      events: latencies.length,
      unmatchedEvents: unmatched,
      latencyMedianMs: latency.median,
      latencyMaxMs: latency.max,
      bytes: timeline.bytes,
      bytesByPrefix: Object.entries(timeline.bytesByPrefix)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k}${v}`)
        .join(' '),
      baselineWavesMs: baseline.map(Math.round).join('/'),
      ...run.reconciles,
      ...waveBreakdown(timeline, run.startedWall, stepTasks),
    },
  });
}

async function seghubRollout(
  store: Awaited<ReturnType<typeof openEtcdKv>>,
  url: string,
  segmentId: string,
  clients: ReturnType<typeof forkHelper>,
  subscriberCount: number,
) {
  const before = await reconcileTotals(url);
  const watch = store.watch('');
  await watch.ready;
  const followed = followRollout(watch);
  // Fails the case at once if the rollout ends otherwise, instead of waiting for the timeout.
  followed.catch(() => {});
  const started = performance.now();
  const startedWall = Date.now();
  const rollout = await createRolloutOk(url, {
    segmentId,
    group: 'fleet',
    waves: WAVES.map((wave) => ({ ...wave, soakSeconds: 0 })),
  });
  const report = (kind: RolloutClientReport['kind']) =>
    nextMessage(
      clients,
      (m): m is RolloutClientReport => isRolloutReport(m) && (m.kind === kind || m.kind === 'error'),
    );
  const ready = report('ready');
  const done = report('done');
  // Awaited after the rollout: a subscriber process that dies meanwhile is reported then.
  done.catch(() => {});
  clients.send({ url, rolloutId: rollout.id, count: subscriberCount });
  const first = await Promise.race([ready, followed.then(() => undefined)]);
  if (first?.kind === 'error') throw new Error(`subscriber process: ${first.message}`);
  const timeline = await withTimeout(followed, 1_800_000, 'the rollout to succeed');
  const after = await reconcileTotals(url);
  await watch.close();
  const end = await withTimeout(done, 60_000, 'the subscribers to complete');
  if (end.kind === 'error') throw new Error(`subscriber process: ${end.message}`);
  if (end.kind !== 'done') throw new Error(`subscriber process: ${end.kind}`);
  const { latencies, unmatched } = matchLatencies(timeline.heads, end.received);
  const reconciles: Record<string, string> = {};
  for (const [name, total] of after) {
    const was = before.get(name) ?? { count: 0, seconds: 0 };
    const count = total.count - was.count;
    if (count > 0)
      reconciles[`${name}Reconciles`] = `${count} in ${Math.round((total.seconds - was.seconds) * 1000)} ms`;
  }
  return {
    reconciles,
    startedWall,
    ms: timeline.endedAt - started,
    timeline,
    latencies,
    unmatched,
    waveSizes: rollout.waves.map((w) => w.seatCount),
  };
}

/**
 * Where each wave's time went (ms), from the watch and the simulator's task times: `start` the head
 * saying the last wave SUCCEEDED (for the first, the request) to the head starting this one; `step`
 * that head to the step's install record; `plan` the record to its plan; `startTask` the plan to
 * the task ids (the simulator created the task `sim` ms after the plan); `sdp` the simulator's own
 * time for the tasks; `end` their finish to the record's end (`polls` log writes); `accounted` the
 * record's end to the head that accounted it; `done` that head to the one saying the wave SUCCEEDED.
 */
function waveBreakdown(t: RolloutTimeline, startedWall: number, tasks: TaskSpan[]): Record<string, string> {
  const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '?' : String(Math.round(x)));
  const gap = (a: number | undefined, b: number | undefined) =>
    ms(a === undefined || b === undefined ? undefined : b - a);
  const parts = t.waveSucceeded.map((_, i) => {
    const index = t.steps.findIndex((s) => s.wave === i);
    const step = t.steps[index];
    const task = tasks[index];
    const from = i === 0 ? startedWall : t.waveSucceeded[i - 1];
    return [
      `w${i + 1} start ${gap(from, t.waveStarted[i])}`,
      `step ${gap(t.waveStarted[i], step?.created)}`,
      `plan ${gap(step?.created, step?.planned)}`,
      `startTask ${gap(step?.planned, step?.tasksStarted)} (sim ${gap(step?.planned, task?.created)})`,
      `sdp ${gap(task?.created, task?.finished)}`,
      `end ${gap(task?.finished, step?.ended)} (polls ${step?.logWrites ?? '?'})`,
      `accounted ${gap(step?.ended, t.waveAccounted[i])}`,
      `done ${gap(t.waveAccounted[i], t.waveSucceeded[i])}`,
    ].join(' ');
  });
  return { waveMs: parts.join('; '), steps: String(t.steps.length) };
}

/** Per controller, reconciles so far and the seconds they took (`seghub_reconcile_duration_seconds`). */
async function reconcileTotals(graphqlUrl: string): Promise<Map<string, { count: number; seconds: number }>> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  const out = new Map<string, { count: number; seconds: number }>();
  for (const m of text.matchAll(
    /^seghub_reconcile_duration_seconds_(sum|count)\{[^}]*controller="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    const total = out.get(m[2]!) ?? { count: 0, seconds: 0 };
    if (m[1] === 'sum') total.seconds += Number(m[3]);
    else total.count += Number(m[3]);
    out.set(m[2]!, total);
  }
  return out;
}

interface TaskSpan {
  /** `Date.now()` of the first task's creation and of the last one's finish, by the simulator. */
  created: number;
  finished: number;
}

/** The simulator's own times for a step's tasks. */
async function taskSpan(sdp: SdpClient, taskIds: string[]): Promise<TaskSpan> {
  if (taskIds.length === 0) return { created: Number.NaN, finished: Number.NaN };
  const tasks = await Promise.all(taskIds.map((id) => sdp.getTask(id)));
  return {
    created: Math.min(...tasks.map((task) => task.createdAt.getTime())),
    finished: Math.max(...tasks.map((task) => task.finishedAt?.getTime() ?? Number.NaN)),
  };
}

/** The same waves straight on the simulator: one task per wave, each started when the last ended. */
async function simulatorWaves(
  sdp: SdpClient,
  dir: string,
  ips: string[],
  sizes: number[],
): Promise<number[]> {
  const name = 'bench-rollout-baseline';
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
  const out: number[] = [];
  let from = 0;
  for (const size of sizes) {
    const { task } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: ips.slice(from, from + size),
      idempotencyKey: randomUUID(),
    });
    from += size;
    let revision = task.revision;
    const ended = await waitFor(
      async () => {
        const now = await sdp.getTask(task.taskId, { sinceRevision: revision });
        revision = now.revision;
        return now.state !== 'RUNNING' && now;
      },
      { timeoutMs: 600_000, intervalMs: 20, message: 'the simulator task to end' },
    );
    if (!ended.finishedAt) throw new Error('the simulator task ended without finishedAt');
    out.push(ended.finishedAt.getTime() - task.createdAt.getTime());
  }
  return out;
}
