import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSegmentZip } from '../../support/fixtures/archives.js';
import { type CreateSyncCommand, isCreateSyncReport, type SmallFile } from '../create-sync-protocol.js';
import type { BenchEnv } from '../env.js';
import { forkHelper, nextMessage, stopHelper } from '../processes.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';

const CLIENTS = 8;
const PAYLOAD_BYTES = 16 * 1024;

/**
 * `count` small segments uploaded to seghub by 8 concurrent clients, timed until the last one is
 * SYNCED (seen through `segmentUpdated`, so no polling loads seghub), against the same number of
 * files created straight on the simulator by the SDP client, 8 at a time. Each side and round has
 * its own names, so nothing is ever a repeat for the simulator or the store. The clients of both
 * sides run in one process of their own (`create-sync-clients.ts`), which times each round.
 */
export async function createSyncCase(env: BenchEnv): Promise<BenchResult> {
  const count = env.quick ? 50 : 500;
  const rounds = env.quick ? 1 : 3;
  const sim = await env.startSim('create-sync');
  const seghub = await env.startSeghub('create-sync', sim);
  const clients = forkHelper('create-sync-clients');
  const seghubRound = (files: SmallFile[], timeoutMs: number) =>
    timed(clients, { cmd: 'seghub', url: seghub.url, files, clients: CLIENTS, timeoutMs });
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  try {
    // Untimed: the subscription that reports SYNCED is live once it has reported one segment.
    await seghubRound(await smallFiles(env, 'warm', 1), 60_000);
    for (let round = 0; round < rounds; round++) {
      seghubMs.push(await seghubRound(await smallFiles(env, `s${round}`, count), 600_000));
      const theirs = await smallFiles(env, `b${round}`, count);
      const address = sim.addresses.DEPLOY_PLATFORM;
      baselineMs.push(await timed(clients, { cmd: 'baseline', address, files: theirs, clients: CLIENTS }));
    }
  } finally {
    await stopHelper(clients);
    await seghub.stop();
    await sim.stop();
    await rm(path.join(env.dir, 'create-sync'), { recursive: true, force: true });
  }
  const s = summarize(seghubMs);
  const b = summarize(baselineMs);
  return result({
    case: 'create-sync-500',
    unit: 'ms',
    metric: 'median',
    seghub: s,
    baseline: b,
    checks: [atMost('ratio', s.median / b.median, 2)],
    extra: { segments: count, clients: CLIENTS, seghubPerSecond: Math.round((count * 1000) / s.median) },
  });
}

/** One round run by the client process; its duration as the client measured it. */
async function timed(clients: ChildProcess, command: CreateSyncCommand): Promise<number> {
  const report = nextMessage(clients, isCreateSyncReport);
  clients.send(command);
  const answer = await report;
  if (answer.kind === 'error') throw new Error(`create-sync clients: ${answer.message}`);
  return answer.ms;
}

async function smallFiles(env: BenchEnv, label: string, count: number): Promise<SmallFile[]> {
  const dir = path.join(env.dir, 'create-sync', label);
  await mkdir(dir, { recursive: true });
  const files: SmallFile[] = [];
  for (let i = 0; i < count; i++) {
    const name = `bench-cs-${label}-${i}`;
    const version = '1.0.0';
    const bytes = await buildSegmentZip(
      { name, version, description: 'create-sync bench' },
      { 'bin/app': randomBytes(PAYLOAD_BYTES) },
      { compression: 'STORE' },
    );
    const file = path.join(dir, `${name}-${version}.zip`);
    await writeFile(file, bytes);
    files.push({ path: file, name, version });
  }
  return files;
}
