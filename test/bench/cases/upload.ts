import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeLargeSegmentZip } from '../../support/fixtures/archives.js';
import { storageContents, waitForSyncStatus } from '../../support/fixtures/segments.js';
import { waitFor } from '../../support/harness/wait-for.js';
import type { BenchEnv, SeghubServer } from '../env.js';
import { DELETE_SEGMENT, gql, SEGMENT_GONE } from '../graphql.js';
import {
  cpuDuring,
  forkHelper,
  freeBytes,
  nextMessage,
  peakRssMiB,
  resetPeakRss,
  run,
  stopHelper,
} from '../processes.js';
import { atMost, type BenchResult, type Check, result, round } from '../report.js';
import { GIB, MIB, summarize } from '../stats.js';

export interface BigZip {
  path: string;
  size: number;
  sha256: string;
}

/** The big archive of a size, written once per run (a stored zip streamed to disk, never in memory). */
export function bigZip(env: BenchEnv, payloadBytes: number): Promise<BigZip> {
  return env.fixture(`zip-${payloadBytes}`, async () => {
    const file = path.join(env.dir, `bench-big-${payloadBytes}.zip`);
    const written = await writeLargeSegmentZip(file, { name: 'bench-big', version: '1.0.0', payloadBytes });
    // On the disk before any round starts: otherwise the kernel writes the fixture back while the
    // first rounds run, and their uploads share the disk with it.
    const handle = await open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { path: file, ...written };
  });
}

const RSS_LIMIT_MIB = 180;
/** seghub's CPU (user + system) per uploaded GiB against the plain server's: the same bytes, hashed and written. */
const CPU_RATIO_LIMIT = 1.2;
const UPLOAD_MUTATION =
  'mutation BenchUpload($file: Upload!) { uploadSegment(file: $file) { __typename ' +
  '... on UploadSegmentSuccess { segment { id size sha256 } } ... on Error { code message } } }';

interface UploadAnswer {
  data?: {
    uploadSegment: { __typename: string; segment?: { id: string; sha256: string }; message?: string };
  };
  errors?: unknown[];
}

/** `uploadSegment` as the GraphQL multipart request spec has it, sent by curl straight from disk. */
export async function curlUpload(url: string, file: string): Promise<{ ms: number; body: string }> {
  const { stdout, ms } = await run('curl', [
    '--silent',
    '--show-error',
    // curl would wait up to a second for "100 Continue" before sending a large body.
    '--header',
    'Expect:',
    // What CSRF prevention asks of a multipart request.
    '--header',
    'x-graphql-yoga-csrf: 1',
    '--form-string',
    `operations=${JSON.stringify({ query: UPLOAD_MUTATION, variables: { file: null } })}`,
    '--form-string',
    `map=${JSON.stringify({ 0: ['variables.file'] })}`,
    '--form',
    `0=@${file};type=application/zip`,
    url,
  ]);
  return { ms, body: stdout };
}

export interface UploadCaseSpec {
  name: string;
  payloadBytes: number;
  rounds: number;
  /** Compare with the plain node:http server, and hold seghub to `ratioLimit` of its wall time. */
  ratioLimit?: number;
}

export async function uploadCase(env: BenchEnv, spec: UploadCaseSpec): Promise<BenchResult> {
  // The archive, seghub's copy in storage, the simulator's copy, the parser's temp copy, the baseline's.
  const need = 5 * spec.payloadBytes + GIB / 2;
  const free = await freeBytes(env.dir);
  if (free < need) {
    throw new Error(
      `not enough disk in ${env.dir}: need ${(need / GIB).toFixed(1)} GiB, ${(free / GIB).toFixed(1)} GiB free`,
    );
  }
  const zip = await bigZip(env, spec.payloadBytes);
  const sim = await env.startSim(spec.name);
  const seghub = await env.startSeghub(spec.name, sim);
  const baseline = spec.ratioLimit ? await startBaselineServer(env.dir) : undefined;
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  const seghubPeaks: number[] = [];
  const uploadPeaks: number[] = [];
  const baselinePeaks: number[] = [];
  const syncMs: number[] = [];
  const seghubCpu: CpuTime[] = [];
  const baselineCpu: CpuTime[] = [];
  try {
    for (let round = 0; round < spec.rounds; round++) {
      const one = await seghubRound(seghub, zip);
      seghubMs.push(one.ms);
      seghubPeaks.push(one.peakMiB);
      uploadPeaks.push(one.uploadPeakMiB);
      syncMs.push(one.syncMs);
      seghubCpu.push(one.cpu);
      if (baseline) {
        await resetPeakRss(baseline.pid);
        const { value, cpu } = await cpuDuring(baseline.pid, () => curlUpload(baseline.url, zip.path));
        const { ms, body } = value;
        baselineCpu.push(cpu);
        baselinePeaks.push(await peakRssMiB(baseline.pid));
        const answer = JSON.parse(body) as { file: string; size: number };
        if (answer.size < zip.size) throw new Error(`baseline received ${answer.size} of ${zip.size} bytes`);
        baselineMs.push(ms);
        await rm(answer.file, { force: true });
      }
    }
  } finally {
    if (baseline) await baseline.stop();
    await seghub.stop();
    await sim.stop();
  }
  const seghubStats = summarize(seghubMs);
  const baselineStats = baselineMs.length ? summarize(baselineMs) : undefined;
  const peak = Math.max(...seghubPeaks);
  const seghubCpuPerGiB = perGiB(seghubCpu, zip.size);
  const baselineCpuPerGiB = baselineCpu.length ? perGiB(baselineCpu, zip.size) : undefined;
  const checks: Check[] = [];
  if (baselineStats && spec.ratioLimit && baselineCpuPerGiB) {
    checks.push(atMost('wall ratio', seghubStats.median / baselineStats.median, spec.ratioLimit));
    checks.push(atMost('CPU ratio', seghubCpuPerGiB.total / baselineCpuPerGiB.total, CPU_RATIO_LIMIT));
  } else {
    checks.push({ what: 'succeeds', ok: true });
  }
  checks.push(atMost('server peak RSS', peak, RSS_LIMIT_MIB, ' MiB'));
  const mbps = (ms: number) => round(zip.size / MIB / (ms / 1000), 0);
  return result({
    case: spec.name,
    unit: 'ms',
    metric: 'median',
    seghub: seghubStats,
    baseline: baselineStats,
    checks,
    extra: {
      fileMiB: round(zip.size / MIB, 0),
      seghubMiBps: mbps(seghubStats.median),
      ...(baselineStats ? { baselineMiBps: mbps(baselineStats.median) } : {}),
      seghubCpuSecondsPerGiB: round(seghubCpuPerGiB.total, 2),
      seghubUserSystemPerGiB: `${round(seghubCpuPerGiB.user, 2)}+${round(seghubCpuPerGiB.system, 2)}`,
      ...(baselineCpuPerGiB
        ? {
            baselineCpuSecondsPerGiB: round(baselineCpuPerGiB.total, 2),
            baselineUserSystemPerGiB: `${round(baselineCpuPerGiB.user, 2)}+${round(baselineCpuPerGiB.system, 2)}`,
            cpuRatio: round(seghubCpuPerGiB.total / baselineCpuPerGiB.total, 2),
          }
        : {}),
      peakRssMiB: round(peak, 0),
      peakRssUploadOnlyMiB: round(Math.max(...uploadPeaks), 0),
      ...(baselinePeaks.length ? { baselinePeakRssMiB: round(Math.max(...baselinePeaks), 0) } : {}),
      syncedAfterMs: round(summarize(syncMs).median, 0),
    },
  });
}

/**
 * One upload to seghub, measured from curl's start to its exit (wall time, and the CPU the seghub
 * process used meanwhile); then (outside the measurement) the
 * wait for SYNCED, whose memory counts towards the peak, and the delete that makes room for the
 * next round's upload of the same bytes.
 */
async function seghubRound(seghub: SeghubServer, zip: BigZip) {
  await resetPeakRss(seghub.pid);
  const { value, cpu } = await cpuDuring(seghub.pid, () => curlUpload(seghub.url, zip.path));
  const { ms, body } = value;
  const uploadPeakMiB = await peakRssMiB(seghub.pid);
  const answer = JSON.parse(body) as UploadAnswer;
  const payload = answer.data?.uploadSegment;
  if (payload?.__typename !== 'UploadSegmentSuccess' || !payload.segment) {
    throw new Error(`upload refused: ${body.slice(0, 500)}`);
  }
  if (payload.segment.sha256 !== zip.sha256) throw new Error('seghub stored different bytes');
  const id = payload.segment.id;
  const syncStarted = performance.now();
  await waitForSyncStatus(seghub.url, id, 'SYNCED', 600_000);
  const syncMs = performance.now() - syncStarted;
  const peakMiB = await peakRssMiB(seghub.pid);
  const deleted = await gql(seghub.url, DELETE_SEGMENT, { id });
  if (deleted.deleteSegment.__typename !== 'DeleteSegmentSuccess') {
    throw new Error(`delete refused: ${JSON.stringify(deleted)}`);
  }
  await waitFor(
    async () =>
      (await gql(seghub.url, SEGMENT_GONE, { id })).segment === null &&
      !(await storageContents(seghub.dataDir)).files.includes(zip.sha256),
    { timeoutMs: 120_000, intervalMs: 100, message: 'the uploaded segment to be deleted' },
  );
  return { ms, peakMiB, uploadPeakMiB, syncMs, cpu };
}

type CpuTime = { user: number; system: number; total: number };

/** The median round's CPU per GiB uploaded (the round whose total is the median). */
function perGiB(rounds: readonly CpuTime[], bytes: number): CpuTime {
  const sorted = [...rounds].sort((a, b) => a.total - b.total);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const gib = bytes / GIB;
  return { user: median.user / gib, system: median.system / gib, total: median.total / gib };
}

/** The plain node:http server that receives an upload into a file and fsyncs it: the raw baseline. */
export async function startBaselineServer(dir: string) {
  const out = path.join(dir, 'baseline-uploads');
  await mkdir(out, { recursive: true });
  const child = forkHelper('upload-baseline-server', [out]);
  const { port } = await nextMessage(
    child,
    (m): m is { port: number } => typeof m === 'object' && m !== null && 'port' in m,
  );
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    stop: () => stopHelper(child),
  };
}
