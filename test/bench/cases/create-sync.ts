import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { buildSegmentZip } from '../../support/archives.js';
import { wsClient } from '../../support/graphql-client.js';
import { uploadOk } from '../../support/segments.js';
import { withTimeout } from '../../support/wait-for.js';
import type { BenchEnv } from '../env.js';
import { inPool } from '../pool.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';

const CLIENTS = 8;
const PAYLOAD_BYTES = 16 * 1024;

interface SmallFile {
  path: string;
  name: string;
  version: string;
}

/**
 * `count` small segments uploaded to seghub by 8 concurrent clients, timed until the last one is
 * SYNCED (seen through `segmentUpdated`, so no polling loads seghub), against the same number of
 * files created straight on the simulator by the SDP client, 8 at a time. Each side and round has
 * its own names, so nothing is ever a repeat for the simulator or the store.
 */
export async function createSyncCase(env: BenchEnv): Promise<BenchResult> {
  const count = env.quick ? 50 : 500;
  const rounds = env.quick ? 1 : 3;
  const sim = await env.startSim('create-sync');
  const seghub = await env.startSeghub('create-sync', sim);
  const sdp = new SdpClient('DEPLOY_PLATFORM', sim.addresses.DEPLOY_PLATFORM, {
    callTimeoutMs: 15_000,
    streamIdleMs: 15_000,
    logger: pino({ level: 'silent' }),
  });
  const ws = wsClient(seghub.url, { lazy: false });
  const synced = followSynced(ws);
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  try {
    await synced.ready(seghub.url, await smallFiles(env, 'warm', 1));
    for (let round = 0; round < rounds; round++) {
      const mine = await smallFiles(env, `s${round}`, count);
      const started = performance.now();
      const allSynced = synced.waitFor(mine.map((f) => `${f.name}/${f.version}`));
      await inPool(mine, CLIENTS, async (file) => {
        await uploadOk(seghub.url, { path: file.path });
      });
      await withTimeout(allSynced, 600_000, `${count} segments to be SYNCED`);
      seghubMs.push(performance.now() - started);

      const theirs = await smallFiles(env, `b${round}`, count);
      const baselineStarted = performance.now();
      await inPool(theirs, CLIENTS, async (file) => {
        const bytes = await readFile(file.path);
        await sdp.createSegment(
          {
            name: file.name,
            version: file.version,
            format: 'ZIP',
            fileName: path.basename(file.path),
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            idempotencyKey: randomUUID(),
          },
          file.path,
        );
      });
      baselineMs.push(performance.now() - baselineStarted);
    }
  } finally {
    synced.close();
    await ws.dispose();
    sdp.close();
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

const SEGMENT_UPDATED = 'subscription BenchSegments { segmentUpdated { name version sync { status } } }';

/** One `segmentUpdated` subscription for every segment; resolves waits as names become SYNCED. */
function followSynced(client: Client) {
  const synced = new Set<string>();
  const waiters = new Set<{ ids: string[]; resolve: () => void; reject: (e: unknown) => void }>();
  const check = () => {
    for (const w of waiters) {
      if (w.ids.every((id) => synced.has(id))) {
        waiters.delete(w);
        w.resolve();
      }
    }
  };
  const fail = (error: unknown) => {
    for (const w of waiters) w.reject(error);
    waiters.clear();
  };
  type Update = { segmentUpdated: { name: string; version: string; sync: { status: string } } };
  const unsubscribe = client.subscribe<Update>(
    { query: SEGMENT_UPDATED },
    {
      next: (r) => {
        const s = r.data?.segmentUpdated;
        if (!s) return;
        if (s.sync.status === 'SYNCED') synced.add(`${s.name}/${s.version}`);
        if (s.sync.status === 'FAILED') fail(new Error(`${s.name} ${s.version} FAILED to sync`));
        check();
      },
      error: fail,
      complete: () => fail(new Error('segmentUpdated completed')),
    },
  );
  const waitFor = (ids: string[]) =>
    new Promise<void>((resolve, reject) => {
      waiters.add({ ids, resolve, reject });
      check();
    });
  return {
    waitFor,
    /** The subscription is live once it reports a segment uploaded after it was made. */
    async ready(url: string, files: SmallFile[]) {
      const ids = files.map((f) => `${f.name}/${f.version}`);
      const seen = waitFor(ids);
      for (const file of files) await uploadOk(url, { path: file.path });
      await withTimeout(seen, 60_000, 'segmentUpdated to report the warm-up segment');
    },
    close: unsubscribe,
  };
}
