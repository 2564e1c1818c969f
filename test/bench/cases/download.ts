import { waitForSyncStatus } from '../../support/fixtures/segments.js';
import type { BenchEnv } from '../env.js';
import { document, gql } from '../graphql.js';
import { forkHelper, nextMessage, peakRssMiB, resetPeakRss, run, stopHelper } from '../processes.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { GIB, MIB, summarize } from '../stats.js';
import { bigZip, curlUpload } from './upload.js';

const RSS_LIMIT_MIB = 180;

const DOWNLOAD_URL = document<{ segment: { downloadUrl: string } | null }>(
  'query BenchDownloadUrl($id: ID!) { segment(id: $id) { downloadUrl } }',
);

/** A GET by curl into /dev/null: wall time to curl's exit, and the bytes it received. */
async function curlDownload(url: string): Promise<{ ms: number; bytes: number }> {
  const { stdout, ms } = await run('curl', [
    '--silent',
    '--show-error',
    '--fail',
    '--output',
    '/dev/null',
    '--write-out',
    '%{size_download}',
    url,
  ]);
  return { ms, bytes: Number(stdout) };
}

export interface DownloadCaseSpec {
  name: string;
  payloadBytes: number;
  rounds: number;
  ratioLimit: number;
}

/**
 * `download-1g`: the segment's bytes from `/files/` (a fresh downloadUrl per round, asked for
 * outside the measurement) against a plain node:http server streaming the same archive from disk.
 * The archive is uploaded and synced once before the rounds, so no sync shares the disk with them.
 */
export async function downloadCase(env: BenchEnv, spec: DownloadCaseSpec): Promise<BenchResult> {
  const zip = await bigZip(env, spec.payloadBytes);
  const sim = await env.startSim(spec.name);
  const seghub = await env.startSeghub(spec.name, sim);
  const baselineChild = forkHelper('download-baseline-server', [zip.path]);
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  const peaks: number[] = [];
  try {
    const { port } = await nextMessage(
      baselineChild,
      (m): m is { port: number } => typeof m === 'object' && m !== null && 'port' in m,
    );
    const uploaded = JSON.parse((await curlUpload(seghub.url, zip.path)).body) as {
      data?: { uploadSegment: { segment?: { id: string } } };
    };
    const id = uploaded.data?.uploadSegment.segment?.id;
    if (!id) throw new Error(`upload refused: ${JSON.stringify(uploaded).slice(0, 500)}`);
    await waitForSyncStatus(seghub.url, id, 'SYNCED', 600_000);
    const base = new URL(seghub.url).origin;
    for (let round = 0; round < spec.rounds; round++) {
      const { segment } = await gql(seghub.url, DOWNLOAD_URL, { id });
      if (!segment) throw new Error('the segment is gone');
      await resetPeakRss(seghub.pid);
      const ours = await curlDownload(`${base}${segment.downloadUrl}`);
      peaks.push(await peakRssMiB(seghub.pid));
      const theirs = await curlDownload(`http://127.0.0.1:${port}/`);
      for (const got of [ours, theirs]) {
        if (got.bytes !== zip.size) throw new Error(`downloaded ${got.bytes} of ${zip.size} bytes`);
      }
      seghubMs.push(ours.ms);
      baselineMs.push(theirs.ms);
    }
  } finally {
    await stopHelper(baselineChild);
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
      seghubMiBps: mbps(seghubStats.median),
      baselineMiBps: mbps(baselineStats.median),
      peakRssMiB: round(peak, 0),
      fileGiB: round(zip.size / GIB, 2),
    },
  });
}
