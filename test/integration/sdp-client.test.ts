import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdpTarget, SegmentFormat } from '../../src/model/targets.js';
import {
  SdpAlreadyExistsError,
  SdpFailedPreconditionError,
  SdpNotFoundError,
  SdpRejectedError,
} from '../../src/sdp/errors.js';
import type { SdpClient } from '../../src/sdp/sdp-client.js';
import type { CreateSegmentInput, RemoteTask } from '../../src/sdp/types.js';
import {
  clientFor,
  startTestSimulator,
  type TestSimulator,
  writeTestFile,
} from '../support/harness/sdp-sim.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const FORMAT: Record<SdpTarget, SegmentFormat> = { DEPLOY_PLATFORM: 'ZIP', STORE_15S: 'MPK' };

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

let sim: TestSimulator;
let work: { dir: string; remove: () => Promise<void> };
const clients: SdpClient[] = [];
let serial = 0;

function client(target: SdpTarget): SdpClient {
  const c = clientFor(sim.sim, target);
  clients.push(c);
  return c;
}

/** A file and the create input that describes it, with a fresh name so tests do not collide. */
async function segmentFile(target: SdpTarget, size = 3 * 1024 * 1024) {
  serial += 1;
  const name = `radar-display-${serial}`;
  const suffix = FORMAT[target].toLowerCase();
  const file = await writeTestFile(work.dir, `${name}.${suffix}`, size);
  const input: CreateSegmentInput = {
    name,
    version: '3.5.1',
    format: FORMAT[target],
    fileName: `${name}-3.5.1.${suffix}`,
    size: file.size,
    sha256: file.sha256,
    idempotencyKey: `test-${serial}`,
  };
  return { file, input };
}

beforeAll(async () => {
  sim = await startTestSimulator();
  work = await tempDir('sdp-client');
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sim.dispose();
  await work.remove();
});

describe.each(['DEPLOY_PLATFORM', 'STORE_15S'] as const)('SDP client on %s', (target) => {
  it('creates, reads, lists, downloads and deletes a segment', async () => {
    const sdp = client(target);
    const { file, input } = await segmentFile(target);

    const { segment, replayed } = await sdp.createSegment(input, file.path);
    expect(replayed).toBe(false);
    expect(segment).toMatchObject({
      name: input.name,
      version: '3.5.1',
      format: FORMAT[target],
      size: file.size,
    });
    expect(segment.sha256).toBe(file.sha256);
    expect(await sha256Of(sim.sim.platform(target).segments.filePath(segment.uid))).toBe(file.sha256);

    expect(await sdp.getSegment(segment.uid)).toEqual(segment);
    const listed = [];
    for await (const s of sdp.allSegments({ pageSize: 1 })) listed.push(s.uid);
    expect(listed).toContain(segment.uid);

    const dest = path.join(work.dir, `${input.name}.download`);
    const downloaded = await sdp.downloadSegment(segment.uid, dest);
    expect(downloaded.uid).toBe(segment.uid);
    expect(await sha256Of(dest)).toBe(file.sha256);

    await sdp.deleteSegment(segment.uid);
    await expect(sdp.getSegment(segment.uid)).rejects.toBeInstanceOf(SdpNotFoundError);
    await expect(sdp.deleteSegment(segment.uid)).rejects.toMatchObject({
      grpcCode: 'NOT_FOUND',
      retryable: false,
    });
    expect(sim.sim.platform(target).segments.has(segment.uid)).toBe(false);
  });

  it('answers a repeated create with the same idempotency key with the first answer, without the file again', async () => {
    const sdp = client(target);
    const { file, input } = await segmentFile(target, 16 * 1024 * 1024);
    const before = sim.sim.platform(target).segments.stats();
    const first = await sdp.createSegment(input, file.path);

    let sentAgain = 0;
    const again = await sdp.createSegment(input, file.path, { onProgress: (bytes) => (sentAgain = bytes) });
    expect(again.replayed).toBe(true);
    expect(again.segment.uid).toBe(first.segment.uid);
    expect(sentAgain).toBeLessThan(file.size);
    const after = sim.sim.platform(target).segments.stats();
    expect(after.created - before.created).toBe(1);
    expect(after.replayed - before.replayed).toBe(1);
  });

  it('refuses the same name and version under another key, and a file whose hash is wrong', async () => {
    const sdp = client(target);
    const { file, input } = await segmentFile(target);
    await sdp.createSegment(input, file.path);

    const duplicate = sdp.createSegment(
      { ...input, idempotencyKey: `${input.idempotencyKey}-other` },
      file.path,
    );
    await expect(duplicate).rejects.toBeInstanceOf(SdpAlreadyExistsError);

    const count = sim.sim.platform(target).segments.list().length;
    const wrongHash = sdp.createSegment(
      { ...input, version: '3.5.2', sha256: '0'.repeat(64), idempotencyKey: `${input.idempotencyKey}-hash` },
      file.path,
    );
    await expect(wrongHash).rejects.toMatchObject({ grpcCode: 'INVALID_ARGUMENT', retryable: false });
    expect(sim.sim.platform(target).segments.list()).toHaveLength(count);
    expect(
      await readdir(
        path.join(sim.dir, target === 'DEPLOY_PLATFORM' ? 'deploy-platform' : 'store-15s', 'incoming'),
      ),
    ).toEqual([]);
  });

  it("refuses the other platform's format as a request that can never work", async () => {
    const sdp = client(target);
    const { file, input } = await segmentFile(target);
    const other = FORMAT[target] === 'ZIP' ? 'MPK' : 'ZIP';
    const err = await sdp.createSegment({ ...input, format: other }, file.path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SdpRejectedError);
    expect(err).toMatchObject({ retryable: false, target, method: 'CreateSegment' });
  });
});

describe('SDP client deployment tasks', () => {
  const target = 'DEPLOY_PLATFORM';

  async function uploaded(sdp: SdpClient) {
    const { file, input } = await segmentFile(target, 64 * 1024);
    return (await sdp.createSegment(input, file.path)).segment;
  }

  async function untilEnded(sdp: SdpClient, taskId: string, seen: RemoteTask[] = []) {
    return waitFor(
      async () => {
        const task = await sdp.getTask(taskId);
        seen.push(task);
        return task.state !== 'RUNNING' && task;
      },
      { timeoutMs: 10_000, intervalMs: 20, message: `task ${taskId} to end` },
    );
  }

  it('installs onto devices with rising progress and reports who has the segment', async () => {
    const sdp = client(target);
    const segment = await uploaded(sdp);
    sim.sim.platform(target).tasks.setDevice('10.1.0.3', { outcome: 'fail', error: 'not enough disk space' });
    const ips = ['10.1.0.1', '10.1.0.2', '10.1.0.3'];

    const { task, replayed } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: ips,
      idempotencyKey: `install-${segment.uid}`,
    });
    expect(replayed).toBe(false);
    expect(task).toMatchObject({ state: 'RUNNING', action: 'INSTALL', summary: { total: 3 } });

    const seen: RemoteTask[] = [];
    const ended = await untilEnded(sdp, task.taskId, seen);
    expect(ended.state).toBe('PARTIALLY_SUCCEEDED');
    expect(ended.percent).toBe(100);
    expect(ended.summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(ended.devices.find((d) => d.ip === '10.1.0.3')).toMatchObject({
      state: 'FAILED',
      error: 'not enough disk space',
    });
    const percents = seen.map((t) => t.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(await sdp.listInstalledDevices(segment.uid)).toEqual(['10.1.0.1', '10.1.0.2']);

    const changed = await sdp.getTask(task.taskId, { sinceRevision: ended.revision });
    expect(changed.devices).toEqual([]);
    expect(changed.summary).toEqual(ended.summary);
  });

  it('starts a task once however often the same idempotency key is sent', async () => {
    const sdp = client(target);
    const segment = await uploaded(sdp);
    const request = {
      segmentUid: segment.uid,
      action: 'INSTALL' as const,
      deviceIps: ['10.2.0.1'],
      idempotencyKey: `install-once-${segment.uid}`,
    };
    const answers = await Promise.all([1, 2, 3].map(() => sdp.startTask(request).catch((e: unknown) => e)));
    const tasks = answers.filter((a): a is { task: RemoteTask; replayed: boolean } => !(a instanceof Error));
    expect(new Set(tasks.map((a) => a.task.taskId)).size).toBe(1);
    expect(tasks.filter((a) => !a.replayed)).toHaveLength(1);

    const uninstall = sdp.startTask({ ...request, action: 'UNINSTALL' });
    await expect(uninstall).rejects.toMatchObject({ grpcCode: 'INVALID_ARGUMENT', retryable: false });
  });

  it('cancels a task held open by a device that never answers, which frees the segment', async () => {
    const sdp = client(target);
    const segment = await uploaded(sdp);
    const [ip1, ip2, stalled] = ['10.4.0.1', '10.4.0.2', '10.4.0.3'];
    sim.sim.platform(target).tasks.setDevice(stalled, { outcome: 'stall' });
    const { task } = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'INSTALL',
      deviceIps: [ip1, ip2, stalled],
      idempotencyKey: `install-stalled-${segment.uid}`,
    });
    const twoDone = await waitFor(
      async () => {
        const polled = await sdp.getTask(task.taskId);
        return polled.summary.succeeded === 2 && polled;
      },
      { timeoutMs: 10_000, intervalMs: 20, message: 'the answering devices to finish' },
    );
    expect([twoDone.state, twoDone.summary.running]).toEqual(['RUNNING', 1]);
    const refused = await sdp.deleteSegment(segment.uid).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SdpFailedPreconditionError);
    expect(refused).toMatchObject({ message: expect.stringMatching(/a task for segment .* is running/) });

    const cancelled = await sdp.cancelTask(task.taskId);
    expect([cancelled.state, cancelled.percent, cancelled.summary]).toEqual([
      'PARTIALLY_SUCCEEDED',
      100,
      { total: 3, pending: 0, running: 0, succeeded: 2, failed: 1 },
    ]);
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    expect(cancelled.devices.find((d) => d.ip === stalled)).toMatchObject({
      state: 'FAILED',
      error: 'cancelled',
    });
    expect(await sdp.cancelTask(task.taskId)).toMatchObject({
      state: 'PARTIALLY_SUCCEEDED',
      finishedAt: cancelled.finishedAt,
    });
    expect(await sdp.listInstalledDevices(segment.uid)).toEqual([ip1, ip2]);
    await expect(sdp.deleteSegment(segment.uid)).rejects.toThrow(/is installed on 2 device/);

    const uninstall = await sdp.startTask({
      segmentUid: segment.uid,
      action: 'UNINSTALL',
      deviceIps: [ip1, ip2],
      idempotencyKey: `uninstall-${segment.uid}`,
    });
    expect((await untilEnded(sdp, uninstall.task.taskId)).state).toBe('SUCCEEDED');
    await sdp.deleteSegment(segment.uid);
    await expect(sdp.getSegment(segment.uid)).rejects.toBeInstanceOf(SdpNotFoundError);
    sim.sim.platform(target).tasks.setDevice(stalled, undefined);
  });

  it('reports unknown segments and tasks as not found', async () => {
    const sdp = client(target);
    const start = sdp.startTask({
      segmentUid: 'no-such-uid',
      action: 'INSTALL',
      deviceIps: ['10.3.0.1'],
      idempotencyKey: 'unknown-segment',
    });
    await expect(start).rejects.toBeInstanceOf(SdpNotFoundError);
    await expect(sdp.getTask('task-unknown')).rejects.toBeInstanceOf(SdpNotFoundError);
    await expect(sdp.cancelTask('task-unknown')).rejects.toBeInstanceOf(SdpNotFoundError);
    await expect(sdp.cancelTask('')).rejects.toMatchObject({
      grpcCode: 'INVALID_ARGUMENT',
      retryable: false,
    });
    await expect(sdp.listInstalledDevices('no-such-uid')).rejects.toBeInstanceOf(SdpNotFoundError);
  });
});
