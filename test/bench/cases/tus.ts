import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { storageContents, waitForSyncStatus } from '../../support/fixtures/segments.js';
import { tusSend } from '../../support/fixtures/tus-upload.js';
import { waitFor } from '../../support/harness/wait-for.js';
import type { BenchEnv, SeghubServer } from '../env.js';
import { DELETE_SEGMENT, document, gql, SEGMENT_GONE } from '../graphql.js';
import { peakRssMiB, resetPeakRss } from '../processes.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { MIB, summarize } from '../stats.js';
import { type BigZip, bigZip, curlUpload, startBaselineServer } from './upload.js';

/**
 * `tus-1g` (issue 27): a 1 GiB archive through an upload session, tus-js-client sending it in
 * 64 MiB PATCHes, from `createUploadSession` to `completeUploadSession`'s answer. Held to 1.3× the
 * wall time of `upload-1g`'s raw baseline (curl into a plain node:http server that writes and
 * fsyncs the file) and to 200 MiB of server RSS.
 */

const RSS_LIMIT_MIB = 200;

const CREATE = document<{
  createUploadSession: { __typename: string; session?: { id: string; uploadUrl: string; token: string } };
}>(
  'mutation BenchCreateSession($input: UploadSessionInput!) { createUploadSession(input: $input) { __typename ' +
    '... on CreateUploadSessionSuccess { session { id uploadUrl token } } ... on Error { code message } } }',
);
const COMPLETE = document<{
  completeUploadSession: { __typename: string; segment?: { id: string; sha256: string }; message?: string };
}>(
  'mutation BenchCompleteSession($id: ID!) { completeUploadSession(id: $id) { __typename ' +
    '... on UploadSegmentSuccess { segment { id sha256 } } ... on Error { code message } } }',
);

export interface TusCaseSpec {
  name: string;
  payloadBytes: number;
  chunkBytes: number;
  rounds: number;
  ratioLimit: number;
}

export async function tusCase(env: BenchEnv, spec: TusCaseSpec): Promise<BenchResult> {
  const zip = await bigZip(env, spec.payloadBytes);
  const sim = await env.startSim(spec.name);
  const seghub = await env.startSeghub(spec.name, sim);
  const baseline = await startBaselineServer(env.dir);
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  const peaks: number[] = [];
  try {
    for (let round = 0; round < spec.rounds; round++) {
      await resetPeakRss(seghub.pid);
      const ms = await tusRound(seghub, zip, spec.chunkBytes);
      seghubMs.push(ms);
      peaks.push(await peakRssMiB(seghub.pid));
      const answer = await curlUpload(baseline.url, zip.path);
      const received = JSON.parse(answer.body) as { file: string; size: number };
      if (received.size < zip.size)
        throw new Error(`baseline received ${received.size} of ${zip.size} bytes`);
      baselineMs.push(answer.ms);
      await rm(received.file, { force: true });
    }
  } finally {
    await baseline.stop();
    await seghub.stop();
    await sim.stop();
  }
  const seghubStats = summarize(seghubMs);
  const baselineStats = summarize(baselineMs);
  const peak = Math.max(...peaks);
  const mbps = (ms: number) => round(zip.size / MIB / (ms / 1000), 0);
  return result({
    case: spec.name,
    unit: 'ms',
    metric: 'median',
    seghub: seghubStats,
    baseline: baselineStats,
    checks: [
      atMost('wall ratio', seghubStats.median / baselineStats.median, spec.ratioLimit),
      atMost('server peak RSS', peak, RSS_LIMIT_MIB, ' MiB'),
    ],
    extra: {
      fileMiB: round(zip.size / MIB, 0),
      patchMiB: round(spec.chunkBytes / MIB, 0),
      seghubMiBps: mbps(seghubStats.median),
      baselineMiBps: mbps(baselineStats.median),
      peakRssMiB: round(peak, 0),
    },
  });
}

/** One session, measured from its creation to the completion's answer; then the delete (unmeasured). */
async function tusRound(seghub: SeghubServer, zip: BigZip, chunkBytes: number): Promise<number> {
  const started = performance.now();
  const created = await gql(seghub.url, CREATE, {
    input: { fileName: 'bench-big.zip', size: zip.size, sha256: zip.sha256 },
  });
  const session = created.createUploadSession.session;
  if (!session) throw new Error(`createUploadSession refused: ${JSON.stringify(created)}`);
  await tusSend(new URL(seghub.url).origin, session, createReadStream(zip.path), { chunkSize: chunkBytes });
  const completed = await gql(seghub.url, COMPLETE, { id: session.id });
  const ms = performance.now() - started;
  const segment = completed.completeUploadSession.segment;
  if (!segment) throw new Error(`completeUploadSession refused: ${JSON.stringify(completed)}`);
  if (segment.sha256 !== zip.sha256) throw new Error('seghub stored different bytes');
  // The next round sends the same bytes: the segment must be gone (synced first, as upload-1g does).
  await waitForSyncStatus(seghub.url, segment.id, 'SYNCED', 600_000);
  const deleted = await gql(seghub.url, DELETE_SEGMENT, { id: segment.id });
  if (deleted.deleteSegment.__typename !== 'DeleteSegmentSuccess') {
    throw new Error(`delete refused: ${JSON.stringify(deleted)}`);
  }
  await waitFor(
    async () =>
      (await gql(seghub.url, SEGMENT_GONE, { id: segment.id })).segment === null &&
      !(await storageContents(seghub.dataDir)).files.includes(zip.sha256),
    { timeoutMs: 120_000, intervalMs: 100, message: 'the uploaded segment to be deleted' },
  );
  return ms;
}
