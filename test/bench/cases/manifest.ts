import { readManifest } from '../../../src/archive/read-manifest.js';
import type { BenchEnv } from '../env.js';
import { atMost, type BenchResult, result, round } from '../report.js';
import { MIB, summarize } from '../stats.js';
import { bigZip } from './upload.js';

const LIMIT_MS = 50;

/**
 * `readManifest` on the big archive, in this process, file cache warm after the first run: the
 * cost of finding `segment.json` through the central directory, which must not grow with the file.
 */
export async function manifestCase(env: BenchEnv, payloadBytes: number, runs: number): Promise<BenchResult> {
  const zip = await bigZip(env, payloadBytes);
  const samples: number[] = [];
  let name = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const manifest = await readManifest(zip.path);
    samples.push(performance.now() - started);
    name = manifest.name;
  }
  if (name !== 'bench-big') throw new Error(`read the wrong manifest: ${name}`);
  const stats = summarize(samples);
  return result({
    case: 'manifest-2.5g',
    unit: 'ms',
    metric: 'median',
    seghub: stats,
    checks: [atMost('median', stats.median, LIMIT_MS, ' ms')],
    extra: { fileMiB: round(zip.size / MIB, 0), firstRunMs: round(samples[0]!, 1) },
  });
}
