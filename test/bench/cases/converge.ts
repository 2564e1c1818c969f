import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { segmentSeatsCodec } from '../../../src/records/segment-seats.js';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { SetSeatLabels, UpsertSeatGroup } from '../../support/documents/seat-group-documents.js';
import { SetDesiredVersion } from '../../support/documents/upgrade-documents.js';
import { buildSegmentZip } from '../../support/fixtures/archives.js';
import { addSeats, syncedSegment } from '../../support/fixtures/installs.js';
import { httpGraphQL } from '../../support/harness/graphql-client.js';
import { waitFor, withTimeout } from '../../support/harness/wait-for.js';
import type { BenchEnv } from '../env.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { summarize } from '../stats.js';

const POLL_MS = '250';
const BATCH = 200;
const BYTES_PER_SEAT_LIMIT = 1024;

/**
 * converge-10k (SPEC-FLEET D4): every seat is labelled into a group that has a desired version,
 * timed from the relabelling request until the version's seat list names every seat (seen by a
 * watch of the bench's own), against the simulator's own time for the same installs: the same
 * batches of CONVERGE_BATCH_SEATS devices, one task after another (D1 allows one change of a name at
 * a time), with a fixed device time. The same watch sums every byte written to the store meanwhile.
 */
export async function convergeCase(env: BenchEnv): Promise<BenchResult> {
  const seatCount = env.quick ? 1000 : 10_000;
  const deviceMs = env.quick ? 300 : 2000;
  const sim = await env.startSim('converge', {
    SDP_SIM_DEVICE_MS: String(deviceMs),
    SDP_SIM_DEVICE_JITTER: '0',
    SDP_SIM_FAILURE_RATE: '0',
  });
  const seghub = await env.startSeghub('converge', sim, {
    INSTALL_POLL_MS: POLL_MS,
    CONVERGE_BATCH_SEATS: String(BATCH),
  });
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix: seghub.prefix });
  const sdp = new SdpClient('DEPLOY_PLATFORM', sim.addresses.DEPLOY_PLATFORM, {
    callTimeoutMs: 30_000,
    streamIdleMs: 30_000,
    logger: pino({ level: 'silent' }),
  });
  let converge: Awaited<ReturnType<typeof seghubConverge>>;
  let baselineMs: number;
  try {
    const seats = await addSeats(seghub.url, seatCount, 'desk');
    const segment = await syncedSegment(seghub.url, 'bench-converge');
    await ok(httpGraphQL(seghub.url, UpsertSeatGroup, { input: { name: 'fleet', selector: 'ring=a' } }));
    await ok(httpGraphQL(seghub.url, SetDesiredVersion, { group: 'fleet', segmentId: segment.id }));
    converge = await seghubConverge(
      store,
      seghub.url,
      seats.map((s) => s.id),
      seatCount,
    );
    baselineMs = await simulatorBatches(
      sdp,
      env.dir,
      seats.map((s) => s.ip),
    );
  } finally {
    sdp.close();
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
  const { ms: seghubMs, bytes, ...timing } = converge;
  const s = summarize([seghubMs]);
  const b = summarize([baselineMs]);
  return result({
    case: 'converge-10k',
    unit: 'ms',
    metric: 'median',
    seghub: s,
    baseline: b,
    checks: [
      atMost('ratio', s.median / b.median, 1.2),
      atMost('bytes written per seat', round(bytes / seatCount), BYTES_PER_SEAT_LIMIT, ' B'),
    ],
    extra: { seats: seatCount, deviceMs, batch: BATCH, pollMs: Number(POLL_MS), bytes, ...timing },
  });
}

async function ok(request: Promise<{ data?: Record<string, { __typename: string }> | null }>) {
  const response = await request;
  const payload = Object.values(response.data ?? {})[0];
  if (!payload?.__typename.endsWith('Success')) throw new Error(`bench setup: ${JSON.stringify(response)}`);
}

async function seghubConverge(store: KvStore, url: string, seatIds: string[], seatCount: number) {
  const watch = store.watch('');
  await watch.ready;
  let bytes = 0;
  // When each batch's record appeared and ended: where the time between batches goes.
  const created = new Map<string, number>();
  const ended = new Map<string, number>();
  const started = performance.now();
  const converged = (async () => {
    for await (const message of watch) {
      if (message.kind !== 'events') continue;
      for (const e of message.events) {
        if (e.type !== 'put') continue;
        bytes += e.kv.key.length + e.kv.value.length;
        if (e.kv.key.startsWith(keys.installs)) {
          if (!created.has(e.kv.key)) created.set(e.kv.key, performance.now());
          if (/"status":"(SUCCEEDED|PARTIALLY_SUCCEEDED|FAILED)"/.test(e.kv.value) && !ended.has(e.kv.key))
            ended.set(e.kv.key, performance.now());
        }
        // The seat list of the desired version, complete: every seat converged.
        if (e.kv.key === keys.segmentSeats('bench-converge/1.0.0')) {
          const head = segmentSeatsCodec.decode(e.kv.key, e.kv.value);
          const listed = head.chunked?.count ?? head.seats?.length ?? 0;
          if (listed === seatCount) return performance.now();
        }
      }
    }
    throw new Error('the watch ended before converge did');
  })();
  const labelled = await httpGraphQL(url, SetSeatLabels, { seatIds, set: [{ key: 'ring', value: 'a' }] });
  if (labelled.data?.setSeatLabels.__typename !== 'SetSeatLabelsSuccess')
    throw new Error(`setSeatLabels: ${JSON.stringify(labelled)}`);
  const endedAt = await withTimeout(converged, 1_800_000, 'converge to reach every seat');
  await watch.close();
  const batches = [...created].sort((a, b) => a[1] - b[1]);
  const run = batches.map(([key, at]) => (ended.get(key) ?? at) - at);
  const gaps = batches.slice(1).map(([, at], i) => at - (ended.get(batches[i]![0]) ?? at));
  const mean = (xs: number[]) => Math.round(xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length));
  return {
    ms: endedAt - started,
    bytes,
    batches: batches.length,
    firstBatchAfterMs: Math.round((batches[0]?.[1] ?? started) - started),
    batchMs: mean(run),
    gapMs: mean(gaps),
  };
}

/** The same installs straight on the simulator: one task per batch, each started when the last ended. */
async function simulatorBatches(sdp: SdpClient, dir: string, ips: string[]): Promise<number> {
  const name = 'bench-converge-baseline';
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
  let total = 0;
  for (let from = 0; from < ips.length; from += BATCH) {
    const { task } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: ips.slice(from, from + BATCH),
      idempotencyKey: randomUUID(),
    });
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
    total += ended.finishedAt.getTime() - task.createdAt.getTime();
  }
  return total;
}
