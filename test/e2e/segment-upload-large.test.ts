import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLargeSegmentZip } from '../support/fixtures/archives.js';
import { storageContents, uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { memoryOf } from '../support/harness/memory.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { remoteCopy } from '../support/harness/segment-app.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const PEAK_RSS_LIMIT = 200 * MIB;

describe('a 1 GiB segment through a real seghub process', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let seghub: SeghubProcess;
  let url: string;
  let pid: number;

  beforeAll(async () => {
    sim = await startTestSimulator();
    data = await tempDir('seghub-large');
    const port = await freePort();
    seghub = spawnSeghub({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    });
    const serving = await seghub.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    pid = serving.pid as number;
    url = `http://127.0.0.1:${port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await sim?.dispose();
    await data?.remove();
  });

  it('streams in, syncs out, and keeps the server under 200 MiB of memory', async () => {
    const file = path.join(data.dir, 'big-segment-1.0.0.zip');
    const written = await writeLargeSegmentZip(file, {
      name: 'big-segment',
      version: '1.0.0',
      payloadBytes: GIB,
    });

    const idle = (await memoryOf(pid)).peak;
    const started = performance.now();
    const segment = await uploadOk(url, { path: file });
    const uploadSeconds = (performance.now() - started) / 1000;
    const afterUpload = (await memoryOf(pid)).peak;
    expect(segment).toMatchObject({ size: written.size, sha256: written.sha256 });
    const synced = await waitForSyncStatus(url, segment.id, 'SYNCED', 120_000);
    const syncSeconds = (performance.now() - started) / 1000 - uploadSeconds;

    const remote = await remoteCopy(sim, 'DEPLOY_PLATFORM', synced.remoteExtra!.uid);
    expect(remote?.storedSha256).toBe(written.sha256);
    expect((await storageContents(path.join(data.dir, 'seghub'))).files).toEqual([written.sha256]);

    const peak = (await memoryOf(pid)).peak;
    // The figure reported when resolving the upload issue.
    console.info(
      `1 GiB upload: ${uploadSeconds.toFixed(1)} s in, ${syncSeconds.toFixed(1)} s to SYNCED, ` +
        `server peak RSS ${(peak / MIB).toFixed(0)} MiB (idle ${(idle / MIB).toFixed(0)}, after upload ${(afterUpload / MIB).toFixed(0)})`,
    );
    expect(peak).toBeLessThan(PEAK_RSS_LIMIT);
  }, 300_000);
});
