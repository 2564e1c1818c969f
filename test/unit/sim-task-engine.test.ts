import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceState, TaskAction, TaskState } from '../../src/sdp/generated/seghub/sdp/v1/deployment.js';
import type { DeviceBehaviour } from '../../src/sim/deployment/behaviour.js';
import { KEY_RETENTION_MS } from '../../src/sim/deployment/restore.js';
import type { TaskEngine } from '../../src/sim/deployment/task-engine.js';
import { seededRandom } from '../../src/sim/random.js';
import { brief, openTestEngine, T0, taskRequest } from '../support/fixtures/task-engine.js';
import { tempDir } from '../support/harness/temp.js';

const { DEVICE_STATE_SUCCEEDED: SUCCEEDED, DEVICE_STATE_FAILED: FAILED } = DeviceState;

let dir: string;
let remove: () => Promise<void>;
let now: number;
const engines: TaskEngine[] = [];
const segments = new Set(['seg-a', 'seg-b']);

beforeEach(async () => {
  ({ dir, remove } = await tempDir('sim-task-engine'));
  now = T0;
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await remove();
});

async function openEngine(
  behaviour: Partial<DeviceBehaviour> = {},
  seed = 7,
  where = dir,
): Promise<TaskEngine> {
  const engine = await openTestEngine({ dir: where, clock: () => now, segments, behaviour, seed });
  engines.push(engine);
  return engine;
}

const ips = (count: number, base = '10.0') =>
  Array.from({ length: count }, (_, i) => `${base}.${i >> 8}.${i & 255}`);

const request = taskRequest;

describe('TaskEngine progress', () => {
  it('works on `parallelism` devices at a time, in request order', async () => {
    const engine = await openEngine({ parallelism: 2 });
    const { task } = await engine.start(request(ips(5)));
    const at = async (ms: number) => {
      now = T0 + ms;
      return engine.get(task.taskId);
    };
    expect(brief(task.devices)).toBe('R0 R0 P0 P0 P0');
    expect(brief((await at(999)).devices)).toBe('R99 R99 P0 P0 P0');
    const mid = await at(1500);
    expect(brief(mid.devices)).toBe('S100 S100 R50 R50 P0');
    expect(mid.devices[2]!.updateTime).toEqual(new Date(T0 + 1000));
    expect(mid.summary).toEqual({ total: 5, pending: 1, running: 2, succeeded: 2, failed: 0 });
    expect([mid.state, mid.percent, mid.finishTime]).toEqual([TaskState.TASK_STATE_RUNNING, 60, undefined]);
    const last = await at(2999);
    expect([brief(last.devices), last.percent]).toEqual(['S100 S100 S100 S100 R99', 99]);
    const done = await at(3000);
    expect([done.state, done.percent, done.finishTime]).toEqual([
      TaskState.TASK_STATE_SUCCEEDED,
      100,
      new Date(T0 + 3000),
    ]);
    expect(done.createTime).toEqual(new Date(T0));
    expect(engine.installedDevices('seg-a')).toEqual(ips(5));
  });

  it('never lowers a percent, and since_revision diffs rebuild the full view', async () => {
    // A twin engine with the same seed plans the same task; it answers the full view at exactly the
    // revision the first one answers the diff at, since both see the clock move before each call.
    const behaviour = { jitter: 0.5, failureRate: 0.2, stallRate: 0.1, parallelism: 20 };
    const engine = await openEngine(behaviour, 3, path.join(dir, 'diffs'));
    const twin = await openEngine(behaviour, 3, path.join(dir, 'full'));
    const { task } = await engine.start(request(ips(300)));
    const twinTask = (await twin.start(request(ips(300)))).task;
    const client = new Map(task.devices.map((d) => [d.ip, d]));
    let previous = task;
    const random = seededRandom(1);
    for (let sample = 0; sample < 400 && now < T0 + 60_000; sample++) {
      now += 1 + Math.floor(random() * 300);
      const diff = await engine.get(task.taskId, previous.revision);
      const full = await twin.get(twinTask.taskId, 0);
      expect(diff.revision).toBe(now);
      expect(full.revision).toBe(now);
      for (const device of diff.devices) {
        const before = client.get(device.ip)!;
        expect([device.state, device.percent, device.error]).not.toEqual([
          before.state,
          before.percent,
          before.error,
        ]);
        expect(device.percent).toBeGreaterThanOrEqual(before.percent);
        expect(device.state).toBeGreaterThanOrEqual(before.state);
        client.set(device.ip, device);
      }
      expect([...client.values()]).toEqual(full.devices);
      expect({ ...diff, devices: [], taskId: '' }).toEqual({ ...full, devices: [], taskId: '' });
      expect(diff.percent).toBeGreaterThanOrEqual(previous.percent);
      expect(diff.percent === 100).toBe(diff.state !== TaskState.TASK_STATE_RUNNING);
      previous = diff;
    }
    expect(previous.summary.failed).toBeGreaterThan(0);
    expect(previous.summary.succeeded).toBeGreaterThan(0);
  });

  it('returns every device for since_revision 0 and none when nothing changed', async () => {
    const engine = await openEngine();
    engine.setDevice('10.0.0.1', { outcome: 'succeed', durationMs: 5000 });
    const { task } = await engine.start(request(ips(3)));
    now += 500;
    const changed = await engine.get(task.taskId, task.revision);
    expect(brief(changed.devices)).toBe('R50 R10 R50');
    now += 9;
    const few = await engine.get(task.taskId, changed.revision);
    expect(few.devices).toEqual([]);
    expect(few.summary.total).toBe(3);
    now += 41;
    const some = await engine.get(task.taskId, few.revision);
    expect(brief(some.devices)).toBe('R55 R11 R55');
    now += 450;
    const ends = await engine.get(task.taskId, some.revision);
    expect(brief(ends.devices)).toBe('S100 R20 S100');
    now += 50;
    const one = await engine.get(task.taskId, ends.revision);
    expect([one.devices.map((d) => d.ip), brief(one.devices)]).toEqual([['10.0.0.1'], 'R21']);
    // Same clock reading: the revision still moves on, and nothing is reported twice.
    const again = await engine.get(task.taskId, one.revision);
    expect(again.revision).toBe(one.revision + 1);
    expect(again.devices).toEqual([]);
    expect((await engine.get(task.taskId, 0)).devices).toHaveLength(3);
  });
});

describe('TaskEngine outcomes', () => {
  it('fails and stalls devices at the configured rates, the same way for the same seed', async () => {
    const run = async (seed: number, where: string) => {
      const engine = await openEngine({ failureRate: 0.2, stallRate: 0.1, jitter: 0.5 }, seed, where);
      const { task } = await engine.start(request(ips(1000)));
      now = T0 + 100_000;
      const end = await engine.get(task.taskId);
      now = T0 + 1_000_000;
      const later = await engine.get(task.taskId);
      now = T0;
      return { engine, end, later };
    };
    const { engine, end, later } = await run(11, path.join(dir, 'first'));
    expect(end.summary.failed).toBeGreaterThan(150);
    expect(end.summary.failed).toBeLessThan(250);
    expect(end.summary.running).toBeGreaterThan(60);
    expect(end.summary.running).toBeLessThan(140);
    expect(end.summary.pending).toBe(0);
    expect(later.summary).toEqual(end.summary);
    expect([later.state, later.finishTime]).toEqual([TaskState.TASK_STATE_RUNNING, undefined]);
    expect(later.percent).toBeLessThan(100);
    for (const device of later.devices) {
      expect(device.error !== '').toBe(device.state === FAILED);
      if (device.state !== SUCCEEDED) expect(device.percent).toBeLessThan(100);
    }
    expect(engine.isBusy('seg-a')).toBe(true);
    expect(engine.installedCount('seg-a')).toBe(end.summary.succeeded);
    expect((await run(11, path.join(dir, 'same'))).end.devices).toEqual(end.devices);
    expect((await run(12, path.join(dir, 'other'))).end.devices).not.toEqual(end.devices);
  });

  it('ends PARTIALLY_SUCCEEDED or FAILED once every device has finished', async () => {
    const engine = await openEngine({ failureRate: 0.5 });
    const partial = (await engine.start(request(ips(50)))).task;
    engine.setBehaviour({ failureRate: 1 });
    const failed = (await engine.start(request(ips(50, '10.1')))).task;
    now += 1000;
    const [p, f] = [await engine.get(partial.taskId), await engine.get(failed.taskId)];
    expect([p.state, p.percent]).toEqual([TaskState.TASK_STATE_PARTIALLY_SUCCEEDED, 100]);
    expect(p.summary.succeeded + p.summary.failed).toBe(50);
    expect([f.state, f.percent, f.summary.failed]).toEqual([TaskState.TASK_STATE_FAILED, 100, 50]);
    expect(f.finishTime!.getTime()).toBeLessThanOrEqual(now);
    expect(engine.isBusy('seg-a')).toBe(false);
    expect(engine.installedCount('seg-a')).toBe(p.summary.succeeded);
  });

  it('follows per-device overrides in tasks started afterwards', async () => {
    const engine = await openEngine({ failureRate: 1 });
    const before = (await engine.start(request(['10.0.0.1']))).task;
    engine.setDevice('10.0.0.1', { outcome: 'fail', durationMs: 1000, percent: 40, error: 'boom' });
    engine.setDevice('::1', { outcome: 'stall', durationMs: 1000, percent: 70 });
    engine.setDevice('10.0.0.3', { outcome: 'succeed', durationMs: 200 });
    const { task } = await engine.start(request(['10.0.0.1', '0:0::1', '10.0.0.3']));
    const at = async (ms: number) => {
      now = T0 + ms;
      return (await engine.get(task.taskId)).devices;
    };
    expect(brief(await at(199))).toBe('R19 R19 R99');
    expect(brief(await at(399))).toBe('R39 R39 S100');
    const failed = await at(400);
    expect([brief(failed), failed[0]!.error, failed[0]!.updateTime]).toEqual([
      'F40 R40 S100',
      'boom',
      new Date(T0 + 400),
    ]);
    expect(brief(await at(1_000_000))).toBe('F40 R70 S100');
    expect((await engine.get(before.taskId)).devices[0]!.error).not.toBe('boom');
    engine.setDevice('10.0.0.3', undefined);
    const after = (await engine.start(request(['10.0.0.3']))).task;
    now += 1000;
    expect((await engine.get(after.taskId)).state).toBe(TaskState.TASK_STATE_FAILED);
    expect(() => engine.setDevice('10.0.0.256', { outcome: 'succeed' })).toThrow(RangeError);
    expect(() => engine.setBehaviour({ failureRate: 0.8, stallRate: 0.3 })).toThrow(RangeError);
  });
});

describe('TaskEngine installed sets', () => {
  const [d1, d2, d3] = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

  // Install A is started before uninstall B, yet on each device whichever finishes last wins.
  async function crossingTasks(engine: TaskEngine) {
    await engine.start(request([d1, d2, d3]));
    now = T0 + 1000;
    engine.setDevice(d1, { outcome: 'succeed', durationMs: 3000 });
    engine.setDevice(d2, { outcome: 'succeed', durationMs: 1000 });
    await engine.start(request([d1, d2]));
    engine.setDevice(d1, { outcome: 'succeed', durationMs: 1000 });
    engine.setDevice(d2, { outcome: 'succeed', durationMs: 3000 });
    now = T0 + 1001;
    await engine.start(request([d1, d2], TaskAction.TASK_ACTION_UNINSTALL));
  }

  it('applies finished devices in finish-time order across tasks', async () => {
    const engine = await openEngine();
    await crossingTasks(engine);
    expect(engine.installedDevices('seg-a')).toEqual([d1, d2, d3]);
    now = T0 + 2001;
    expect(engine.installedDevices('seg-a')).toEqual([d2, d3]);
    expect(engine.isBusy('seg-a')).toBe(true);
    now = T0 + 4001;
    expect(engine.installedDevices('seg-a')).toEqual([d1, d3]);
    expect(engine.isBusy('seg-a')).toBe(false);
  });

  it('reaches the same sets when nobody looked in between', async () => {
    const engine = await openEngine();
    await crossingTasks(engine);
    now = T0 + 10_000;
    expect(engine.installedDevices('seg-a')).toEqual([d1, d3]);
  });

  it('uninstalls a device without the segment at once, without waiting for a slot', async () => {
    const engine = await openEngine({ parallelism: 1 });
    await engine.start(request([d1]));
    now += 1000;
    engine.setDevice(d1, { outcome: 'fail', durationMs: 1000, percent: 50 });
    const { task } = await engine.start(request([d2, d1], TaskAction.TASK_ACTION_UNINSTALL));
    expect(brief(task.devices)).toBe('S100 R0');
    now += 500;
    expect((await engine.get(task.taskId)).state).toBe(TaskState.TASK_STATE_PARTIALLY_SUCCEEDED);
    expect(engine.installedDevices('seg-a')).toEqual([d1]);
    await engine.forgetSegment('seg-a');
    expect(engine.installedCount('seg-a')).toBe(0);
  });
});

describe('TaskEngine restart', () => {
  it('continues tasks from the clock after a restart and still replays keys', async () => {
    const first = await openEngine({ parallelism: 10 });
    const started = request(ips(100));
    const { task } = await first.start(started);
    now = T0 + 3000;
    const early = await first.get(task.taskId);
    expect(early.summary.succeeded).toBe(30);
    await first.close();

    now = T0 + 5500;
    const second = await openEngine({ durationMs: 1 });
    const mid = await second.get(task.taskId);
    expect([mid.summary.succeeded, mid.summary.running, mid.percent]).toEqual([50, 10, 55]);
    expect(second.installedCount('seg-a')).toBe(50);
    now = T0 + 20_000;
    const replay = await second.start(started);
    expect(replay.replayed).toBe(true);
    expect(replay.task.taskId).toBe(task.taskId);
    expect([replay.task.state, replay.task.finishTime]).toEqual([
      TaskState.TASK_STATE_SUCCEEDED,
      new Date(T0 + 10_000),
    ]);
    await expect(second.start({ ...started, deviceIps: ips(99) })).rejects.toThrow(/already used/);
    await second.close();

    // Ended and settled: read back from its plan file on demand.
    const third = await openEngine();
    expect((await third.get(task.taskId)).devices).toEqual(replay.task.devices);
    expect(third.installedDevices('seg-a')).toEqual(ips(100));
    expect(await readdir(path.join(dir, 'tasks'))).toEqual([`${task.taskId}.json`]);
  });

  it('never applies a finished device twice when its task is still open at a restart', async () => {
    const first = await openEngine();
    first.setDevice('10.0.0.9', { outcome: 'stall' });
    await first.start(request(['10.0.0.1', '10.0.0.9']));
    now = T0 + 1000;
    await first.start(request(['10.0.0.1'], TaskAction.TASK_ACTION_UNINSTALL));
    now = T0 + 3000;
    expect(first.installedDevices('seg-a')).toEqual([]);
    await first.close();
    // The install task stays open for good (a stalled device); its finished install must not return.
    const second = await openEngine();
    expect([second.installedDevices('seg-a'), second.isBusy('seg-a')]).toEqual([[], true]);
  });

  it('keeps an answered task through a crash and forgets keys after 7 days', async () => {
    const crashed = await openEngine();
    const started = request(ips(3));
    const { task } = await crashed.start(started);
    // `crashed` never closes cleanly: whatever it answered must already be on disk.
    const reopened = await openEngine();
    expect((await reopened.start(started)).task.taskId).toBe(task.taskId);
    await reopened.close();

    now = T0 + KEY_RETENTION_MS + 1;
    const later = await openEngine();
    const fresh = await later.start({ ...started, deviceIps: ips(2) });
    expect([fresh.replayed, fresh.task.taskId === task.taskId]).toEqual([false, false]);
    expect(later.installedDevices('seg-a')).toEqual(ips(3));
    // The task went with its key: the platform keeps neither longer than 7 days.
    await expect(later.get(task.taskId)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(await readdir(path.join(dir, 'tasks'))).toEqual([`${fresh.task.taskId}.json`]);
  });
});

describe('TaskEngine at scale', () => {
  it('starts and polls a 10,000-device task', async () => {
    const engine = await openEngine({ parallelism: 500, jitter: 0.5, failureRate: 0.05 });
    const deviceIps = ips(10_000);
    let started = performance.now();
    const { task } = await engine.start(request(deviceIps));
    const startMs = performance.now() - started;
    now += 5000;
    started = performance.now();
    const full = await engine.get(task.taskId, 0);
    const fullMs = performance.now() - started;
    now += 1000;
    started = performance.now();
    const diff = await engine.get(task.taskId, full.revision);
    const diffMs = performance.now() - started;
    expect(full.devices).toHaveLength(10_000);
    expect(diff.devices.length).toBeGreaterThan(0);
    expect(diff.devices.length).toBeLessThan(10_000);
    now += 100_000;
    started = performance.now();
    const installed = engine.installedDevices('seg-a');
    const settleMs = performance.now() - started;
    expect(installed.length).toBe((await engine.get(task.taskId)).summary.succeeded);
    console.log(
      `10k devices: start ${startMs.toFixed(1)} ms, get(0) ${fullMs.toFixed(1)} ms, ` +
        `get(since) ${diffMs.toFixed(1)} ms (${diff.devices.length} changed), settle+list ${settleMs.toFixed(1)} ms`,
    );
  });
});
