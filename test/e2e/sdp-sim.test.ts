import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdpClient } from '../../src/sdp/sdp-client.js';
import { memoryOf } from '../support/harness/memory.js';
import { writeTestFile } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnNpmScript, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const MIB = 1024 * 1024;

/** Samples this process's RSS while `run` runs and returns the highest value seen. */
async function peakRssDuring(run: () => Promise<unknown>): Promise<number> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss());
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

let data: { dir: string; remove: () => Promise<void> };
let sim: SeghubProcess;
let addresses: { DEPLOY_PLATFORM: string; STORE_15S: string };
let simPid: number;

beforeAll(async () => {
  data = await tempDir('sdp-sim-e2e');
  sim = spawnNpmScript('sdp-sim', { SDP_SIM_PORT: '0', SDP_SIM_DATA_DIR: path.join(data.dir, 'sim') });
  const ready = await sim.waitForLog((l) => l.msg === 'SDP simulator ready');
  addresses = ready.addresses as typeof addresses;
  simPid = ready.pid as number;
}, 30_000);

afterAll(async () => {
  sim.signal('SIGTERM');
  await sim.exited;
  await data.remove();
});

describe('npm run sdp-sim', () => {
  it('streams a 200 MiB segment up and back down with memory that does not grow with the file', async () => {
    const sdp = new SdpClient('DEPLOY_PLATFORM', addresses.DEPLOY_PLATFORM, {
      callTimeoutMs: 5000,
      streamIdleMs: 10_000,
      logger: pino({ level: 'silent' }),
    });
    try {
      const file = await writeTestFile(data.dir, 'big.zip', 200 * MIB);
      const input = {
        name: 'big-segment',
        version: '1.0.0',
        format: 'ZIP' as const,
        fileName: 'big.zip',
        size: file.size,
        sha256: file.sha256,
        idempotencyKey: 'big-1',
      };
      // Warm both sides up (lazy module loading, first-call allocations) so the baseline is the steady state.
      const small = await writeTestFile(data.dir, 'small.zip', MIB);
      const warm = {
        ...input,
        name: 'warm-up',
        size: small.size,
        sha256: small.sha256,
        idempotencyKey: 'warm-1',
      };
      const warmUid = (await sdp.createSegment(warm, small.path)).segment.uid;
      await sdp.downloadSegment(warmUid, path.join(data.dir, 'small.download'));

      const simBefore = await memoryOf(simPid);
      const baseline = process.memoryUsage.rss();

      let uid = '';
      const uploadPeak = await peakRssDuring(async () => {
        uid = (await sdp.createSegment(input, file.path)).segment.uid;
      });
      const dest = path.join(data.dir, 'big.download');
      const downloadPeak = await peakRssDuring(() => sdp.downloadSegment(uid, dest));
      const simAfter = await memoryOf(simPid);

      expect(await sha256Of(dest)).toBe(file.sha256);
      const growth = {
        clientUpload: (uploadPeak - baseline) / MIB,
        clientDownload: (downloadPeak - baseline) / MIB,
        simulator: (simAfter.peak - simBefore.rss) / MIB,
      };
      console.info('memory growth while streaming 200 MiB (MiB):', growth);
      // Holding the file would take 200 MiB; streaming keeps each side far below that.
      expect(growth.clientUpload).toBeLessThan(80);
      expect(growth.clientDownload).toBeLessThan(80);
      expect(growth.simulator).toBeLessThan(80);
    } finally {
      sdp.close();
    }
  }, 120_000);

  it('is reachable by a seghub in another process through SDP_DEPLOY_ADDR and SDP_STORE15S_ADDR', async () => {
    const port = await freePort();
    const seghub = spawnSeghub({
      PORT: String(port),
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: addresses.DEPLOY_PLATFORM,
      SDP_STORE15S_ADDR: addresses.STORE_15S,
    });
    try {
      await seghub.waitForLog((l) => l.msg === 'seghub is serving');
      const readiness = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          return (
            res.status === 200 && ((await res.json()) as { checks: { name: string; details?: unknown }[] })
          );
        },
        { timeoutMs: 10_000, message: 'seghub to be ready' },
      );
      expect(readiness.checks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'sdp:DEPLOY_PLATFORM',
            details: { address: addresses.DEPLOY_PLATFORM },
          }),
          expect.objectContaining({ name: 'sdp:STORE_15S', details: { address: addresses.STORE_15S } }),
        ]),
      );
      expect(seghub.logs.some((l) => String(l.msg).includes('in-process SDP simulator'))).toBe(false);
    } finally {
      seghub.signal('SIGINT');
      await seghub.exited;
    }
  }, 60_000);
});
