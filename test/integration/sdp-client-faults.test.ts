import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SdpRejectedError, SdpUnavailableError } from '../../src/sdp/errors.js';
import type { SdpClient } from '../../src/sdp/sdp-client.js';
import { faultSettingsFromConfig } from '../../src/sim/simulator.js';
import {
  clientFor,
  startTestSimulator,
  type TestSimulator,
  writeTestFile,
} from '../support/harness/sdp-sim.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const target = 'DEPLOY_PLATFORM';
let sim: TestSimulator;
let work: { dir: string; remove: () => Promise<void> };
let sdp: SdpClient;

const platform = () => sim.sim.platform(target);

async function elapsed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T | unknown }> {
  const started = performance.now();
  const result = await run().catch((err: unknown) => err);
  return { ms: performance.now() - started, result };
}

async function createInput(name: string, size: number) {
  const file = await writeTestFile(work.dir, `${name}.zip`, size);
  const input = {
    name,
    version: '1.0.0',
    format: 'ZIP' as const,
    fileName: `${name}.zip`,
    size,
    sha256: file.sha256,
    idempotencyKey: `key-${name}`,
  };
  return { file, input };
}

beforeAll(async () => {
  sim = await startTestSimulator({ targets: [target] });
  work = await tempDir('sdp-faults');
  sdp = clientFor(sim.sim, target, { callTimeoutMs: 600, streamIdleMs: 600 });
});

afterEach(() => platform().faults.clear());

afterAll(async () => {
  sdp.close();
  await sim.dispose();
  await work.remove();
});

describe('SDP faults surface as domain errors', () => {
  it('an injected error on one method is retryable and leaves the other methods alone', async () => {
    platform().faults.set({ errorRate: { ListSegments: 1 } });
    const err = await sdp.listSegments().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdpUnavailableError);
    expect(err).toMatchObject({ grpcCode: 'UNAVAILABLE', retryable: true, method: 'ListSegments' });
    await expect(sdp.checkHealth()).resolves.toBe('SERVING');
    expect(platform().faults.injectedErrors().ListSegments).toBeGreaterThanOrEqual(1);

    platform().faults.clear();
    await expect(sdp.listSegments()).resolves.toMatchObject({ segments: expect.any(Array) });
  });

  it('an injected status that can never work is not retryable', async () => {
    platform().faults.set({ errorRate: { '*': 1 }, errorCode: status.INVALID_ARGUMENT });
    const err = await sdp.getTask('task-x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdpRejectedError);
    expect(err).toMatchObject({ retryable: false, grpcCode: 'INVALID_ARGUMENT' });
  });

  it('added latency delays the answer but the call succeeds', async () => {
    platform().faults.set({ latencyMs: { Check: 300 } });
    const { ms, result } = await elapsed(() => sdp.checkHealth());
    expect(result).toBe('SERVING');
    expect(ms).toBeGreaterThanOrEqual(290);
  });

  it('an outage fails every call, health checks included, until it ends', async () => {
    platform().faults.startOutage(60_000);
    await expect(sdp.checkHealth()).rejects.toMatchObject({ grpcCode: 'UNAVAILABLE', retryable: true });
    await expect(sdp.listSegments()).rejects.toBeInstanceOf(SdpUnavailableError);

    platform().faults.endOutage();
    await expect(sdp.checkHealth()).resolves.toBe('SERVING');
  });

  it('a hung unary call ends at its deadline as a retryable DEADLINE_EXCEEDED', async () => {
    platform().faults.set({ hang: { GetTask: true } });
    const { ms, result } = await elapsed(() => sdp.getTask('task-y'));
    expect(result).toBeInstanceOf(SdpUnavailableError);
    expect(result).toMatchObject({ grpcCode: 'DEADLINE_EXCEEDED', retryable: true });
    expect(ms).toBeGreaterThanOrEqual(550);
  });

  it('a hung upload is cancelled when it stops moving, and the platform keeps nothing', async () => {
    platform().faults.set({ hang: { CreateSegment: true } });
    const { file, input } = await createInput('hung-upload', 8 * 1024 * 1024);
    const err = await sdp.createSegment(input, file.path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdpUnavailableError);
    expect(err).toMatchObject({ grpcCode: 'DEADLINE_EXCEEDED' });

    platform().faults.clear();
    expect(
      platform()
        .segments.list()
        .some((s) => s.name === 'hung-upload'),
    ).toBe(false);
    await waitFor(
      async () => (await readdir(path.join(sim.dir, 'deploy-platform', 'incoming'))).length === 0,
      {
        message: 'the cancelled upload to be cleaned up',
      },
    );
    const retried = await sdp.createSegment(input, file.path);
    expect(retried.replayed).toBe(false);
  });

  it('a hung download is cancelled when it stops moving, and leaves no partial file', async () => {
    const { file, input } = await createInput('hung-download', 1024 * 1024);
    const { segment } = await sdp.createSegment(input, file.path);
    platform().faults.set({ hang: { DownloadSegment: true } });
    const dest = path.join(work.dir, 'hung.download');
    const err = await sdp.downloadSegment(segment.uid, dest).catch((e: unknown) => e);
    expect(err).toMatchObject({ grpcCode: 'DEADLINE_EXCEEDED', retryable: true, method: 'DownloadSegment' });
    await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("the caller's abort ends a call with the caller's reason", async () => {
    platform().faults.set({ latencyMs: { ListSegments: 5000 } });
    const controller = new AbortController();
    const call = sdp.listSegments({}, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(call).rejects.toThrow('shutting down');
  });
});

describe('faults from the environment', () => {
  it('applies the SDP_SIM_* fault variables', async () => {
    const { faults } = loadConfig({
      SDP_SIM_ERROR_RATE: 'ListSegments=1',
      SDP_SIM_ERROR_CODE: 'RESOURCE_EXHAUSTED',
      SDP_SIM_HANG: 'GetTask',
      SDP_SIM_OUTAGE: '60000:1000',
    }).sim;
    const configured = await startTestSimulator({
      targets: ['STORE_15S'],
      faults: faultSettingsFromConfig(faults),
    });
    const client = clientFor(configured.sim, 'STORE_15S', { callTimeoutMs: 500 });
    try {
      await expect(client.listSegments()).rejects.toMatchObject({
        grpcCode: 'RESOURCE_EXHAUSTED',
        retryable: true,
      });
      await expect(client.getTask('task-z')).rejects.toMatchObject({ grpcCode: 'DEADLINE_EXCEEDED' });
      await expect(client.checkHealth()).resolves.toBe('SERVING');
      const outage = configured.sim.platform('STORE_15S').faults;
      expect(outage.inOutage()).toBe(false);
      outage.startOutage(1000);
      await expect(client.checkHealth()).rejects.toMatchObject({ grpcCode: 'UNAVAILABLE' });
    } finally {
      client.close();
      await configured.dispose();
    }
  });
});

describe('SDP simulator restart', () => {
  it('fails calls while it is down and the same client recovers when it is back, with its data', async () => {
    const { file, input } = await createInput('survives-restart', 256 * 1024);
    const { segment } = await sdp.createSegment(input, file.path);
    const { task } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: ['10.9.0.1', '10.9.0.2'],
      idempotencyKey: 'restart-install',
    });

    await sim.stop();
    const down = await sdp.getSegment(segment.uid).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(SdpUnavailableError);
    expect(down).toMatchObject({ retryable: true });

    await sim.start();
    const back = await waitFor(() => sdp.getSegment(segment.uid).catch(() => undefined), {
      timeoutMs: 10_000,
      message: 'the client to reach the restarted simulator',
    });
    expect(back).toEqual(segment);

    const replay = await sdp.createSegment(input, file.path);
    expect(replay).toMatchObject({ replayed: true, segment: { uid: segment.uid } });
    const ended = await waitFor(
      async () => {
        const t = await sdp.getTask(task.taskId);
        return t.state !== 'RUNNING' && t;
      },
      { timeoutMs: 10_000, message: 'the task started before the restart to end' },
    );
    expect(ended.state).toBe('SUCCEEDED');
    expect(await sdp.listInstalledDevices(segment.uid)).toEqual(['10.9.0.1', '10.9.0.2']);
  });

  it('a download cut by the platform going down fails as retryable and leaves no partial file', async () => {
    const { file, input } = await createInput('cut-download', 64 * 1024 * 1024);
    const { segment } = await sdp.createSegment(input, file.path);
    const slow = clientFor(sim.sim, target, { streamIdleMs: 10_000 });
    const dest = path.join(work.dir, 'cut.download');
    let stopped = false;
    try {
      const download = slow.downloadSegment(segment.uid, dest).catch((e: unknown) => e);
      await waitFor(async () => (await stat(dest).catch(() => undefined))?.size, {
        message: 'the download to have written its first bytes',
      });
      await sim.stop();
      stopped = true;
      const err = await download;
      expect(err).toBeInstanceOf(SdpUnavailableError);
      await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });

      await sim.start();
      stopped = false;
      const again = await waitFor(() => slow.downloadSegment(segment.uid, dest).catch(() => undefined), {
        timeoutMs: 10_000,
        message: 'the download to work once the platform is back',
      });
      expect(again.sha256).toBe(file.sha256);
    } finally {
      slow.close();
      if (stopped) await sim.start();
    }
  });
});
