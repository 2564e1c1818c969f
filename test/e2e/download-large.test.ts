import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { writeLargeSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { memoryOf } from '../support/harness/memory.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const RSS_GROWTH_LIMIT = 50 * MIB;

/**
 * The segment is uploaded through one seghub process, which is then stopped; a fresh process on
 * the same data serves the download, so what it holds in memory is the download's alone.
 */
describe('a 1 GiB download from a seghub process', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let seghub: SeghubProcess | undefined;
  let segment: { id: string; size: number; sha256: string };

  const start = async () => {
    const port = await freePort();
    const started = spawnBuilt('main.js', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      LOG_LEVEL: 'debug',
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
    });
    const serving = await started.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return { process: started, pid: serving.pid as number, base: `http://127.0.0.1:${port}` };
  };
  const stop = async () => {
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    seghub = undefined;
  };

  beforeAll(async () => {
    sim = await startTestSimulator();
    data = await tempDir('seghub-download');
    const file = path.join(data.dir, 'big-download-1.0.0.zip');
    const written = await writeLargeSegmentZip(file, {
      name: 'big-download',
      version: '1.0.0',
      payloadBytes: GIB,
    });
    const uploader = await start();
    seghub = uploader.process;
    const uploaded = await uploadOk(`${uploader.base}/graphql`, { path: file });
    // Synced first: a sync left for the next process would read the file while it serves the download.
    await waitForSyncStatus(`${uploader.base}/graphql`, uploaded.id, 'SYNCED', 120_000);
    segment = { id: uploaded.id, ...written };
    await stop();
  }, 300_000);

  afterAll(async () => {
    await stop();
    await sim?.dispose();
    await data?.remove();
  });

  it('streams the bytes with RSS growth under 50 MiB, and logs no token', async () => {
    const server = await start();
    seghub = server.process;
    const result = await httpGraphQL(`${server.base}/graphql`, SegmentDownloadUrl, { id: segment.id });
    const url = result.data?.segment?.downloadUrl;
    expect(url).toMatch(/^\/files\//);

    const before = (await memoryOf(server.pid)).rss;
    // Resets the kernel's peak (VmHWM) to the current RSS, so the peak read after is the download's.
    await writeFile(`/proc/${server.pid}/clear_refs`, '5');
    const response = await fetch(`${server.base}${url}`);
    expect(response.status).toBe(200);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
    }
    const peak = (await memoryOf(server.pid)).peak;
    expect({ size, sha256: hash.digest('hex') }).toEqual({ size: segment.size, sha256: segment.sha256 });
    console.info(
      `1 GiB download: server RSS ${(before / MIB).toFixed(0)} MiB before, peak ${(peak / MIB).toFixed(0)} MiB`,
    );
    expect(peak - before).toBeLessThan(RSS_GROWTH_LIMIT);

    const token = url?.split('/')[2] ?? '';
    const logs = JSON.stringify(server.process.logs) + server.process.stderr();
    expect(logs).not.toContain(token.split('.')[0]);
  }, 300_000);
});
