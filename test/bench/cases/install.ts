import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore, WatchMessage } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { buildSegmentZip } from '../../support/fixtures/archives.js';
import { addSeats, installOk, syncedSegment } from '../../support/fixtures/installs.js';
import { waitFor, withTimeout } from '../../support/harness/wait-for.js';
import type { BenchEnv } from '../env.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { summarize } from '../stats.js';

const POLL_MS = '250';
const BYTES_PER_POLL_LIMIT = 256 * 1024;

/**
 * One install onto every seat, timed from the `installSegment` request to the store write that ends
 * the record (seen by a watch of the bench's own), against the simulator's own duration for a task
 * on the same devices started straight through the SDP client. The same watch sums what each log
 * write puts into the store: the bytes one poll costs.
 */
export async function installCase(env: BenchEnv): Promise<BenchResult> {
  const seatCount = env.quick ? 200 : 10_000;
  const rounds = env.quick ? 2 : 3;
  const deviceMs = env.quick ? 1000 : 3000;
  const sim = await env.startSim('install', {
    SDP_SIM_DEVICE_MS: String(deviceMs),
    SDP_SIM_DEVICE_JITTER: '0.5',
    SDP_SIM_FAILURE_RATE: '0.01',
  });
  const seghub = await env.startSeghub('install', sim, { INSTALL_POLL_MS: POLL_MS });
  const store = await openEtcdKv({ endpoints: env.etcd.endpoints, prefix: seghub.prefix });
  const sdp = new SdpClient('DEPLOY_PLATFORM', sim.addresses.DEPLOY_PLATFORM, {
    callTimeoutMs: 30_000,
    streamIdleMs: 30_000,
    logger: pino({ level: 'silent' }),
  });
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  const pollBytes: number[] = [];
  let polls = 0;
  let maxPollBytes = 0;
  try {
    const seats = await addSeats(seghub.url, seatCount, 'desk');
    const seatIds = seats.map((s) => s.id);
    const ips = seats.map((s) => s.ip);
    for (let r = 0; r < rounds; r++) {
      const segment = await syncedSegment(seghub.url, `bench-install-${r}`);
      const one = await seghubInstall(store, seghub.url, segment.id, seatIds);
      seghubMs.push(one.ms);
      pollBytes.push(...one.pollBytes);
      polls += one.pollBytes.length;
      maxPollBytes = Math.max(maxPollBytes, ...one.pollBytes);
      baselineMs.push(await simulatorInstall(sdp, env.dir, `bench-install-b${r}`, ips));
    }
  } finally {
    sdp.close();
    await store.close();
    await seghub.stop();
    await sim.stop();
  }
  const s = summarize(seghubMs);
  const b = summarize(baselineMs);
  const average = pollBytes.reduce((a, x) => a + x, 0) / Math.max(1, pollBytes.length);
  return result({
    case: 'install-10k',
    unit: 'ms',
    metric: 'median',
    seghub: s,
    baseline: b,
    checks: [
      atMost('ratio', s.median / b.median, 1.2),
      atMost('bytes per poll', round(average / 1024, 1), BYTES_PER_POLL_LIMIT / 1024, ' KiB'),
    ],
    extra: {
      seats: seatCount,
      deviceMs,
      pollMs: Number(POLL_MS),
      bytesPerPoll: Math.round(average),
      maxBytesPerPoll: maxPollBytes,
      polls,
    },
  });
}

async function seghubInstall(store: KvStore, url: string, segmentId: string, seatIds: string[]) {
  // Everything under `install`: records, the active marker and logs.
  const watch = store.watch('install');
  await watch.ready;
  const started = performance.now();
  const record = await installOk(url, segmentId, seatIds);
  const recordId = localId(record.id);
  const logPrefix = keys.installLog(recordId);
  const writes: number[] = [];
  const ended = (async () => {
    for await (const message of watch) {
      if (message.kind !== 'events') continue;
      const logBytes = bytesUnder(message, logPrefix);
      if (logBytes > 0) writes.push(logBytes);
      const final = message.events.some(
        (e) =>
          e.type === 'put' &&
          e.kv.key === keys.install(recordId) &&
          /"status":"(SUCCEEDED|PARTIALLY_SUCCEEDED|FAILED)"/.test(e.kv.value),
      );
      if (final) return performance.now();
    }
    throw new Error('the watch ended before the install did');
  })();
  const endedAt = await withTimeout(ended, 600_000, 'the install to end');
  await watch.close();
  // The first log write comes with the record; every later one is a poll's.
  return { ms: endedAt - started, pollBytes: writes.slice(1) };
}

/** The same install straight on the simulator: its own task duration, from creation to finish. */
async function simulatorInstall(sdp: SdpClient, dir: string, name: string, ips: string[]): Promise<number> {
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
  const { task } = await sdp.startTask({
    segmentUid: segment.uid,
    action: 'INSTALL',
    deviceIps: ips,
    idempotencyKey: randomUUID(),
  });
  let revision = task.revision;
  const ended = await waitFor(
    async () => {
      const now = await sdp.getTask(task.taskId, { sinceRevision: revision });
      revision = now.revision;
      return now.state !== 'RUNNING' && now;
    },
    { timeoutMs: 600_000, intervalMs: 100, message: 'the simulator task to end' },
  );
  if (!ended.finishedAt) throw new Error('the simulator task ended without finishedAt');
  return ended.finishedAt.getTime() - task.createdAt.getTime();
}

function localId(globalId: string): string {
  return Buffer.from(globalId, 'base64')
    .toString('utf8')
    .replace(/^InstallRecord:/, '');
}

/** Bytes of keys and values one transaction wrote under `prefix`. */
function bytesUnder(message: Extract<WatchMessage, { kind: 'events' }>, prefix: string): number {
  let sum = 0;
  for (const e of message.events) {
    if (e.type === 'put' && e.kv.key.startsWith(prefix)) sum += e.kv.key.length + e.kv.value.length;
  }
  return sum;
}
