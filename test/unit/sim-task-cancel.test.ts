import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeviceProgress,
  TaskAction,
  TaskState,
} from '../../src/sdp/generated/seghub/sdp/v1/deployment.js';
import type { DeviceBehaviour } from '../../src/sim/deployment/behaviour.js';
import type { TaskEngine } from '../../src/sim/deployment/task-engine.js';
import { brief, openTestEngine, T0, taskRequest } from '../support/fixtures/task-engine.js';
import { tempDir } from '../support/harness/temp.js';

let dir: string;
let remove: () => Promise<void>;
let now: number;
const engines: TaskEngine[] = [];

beforeEach(async () => {
  ({ dir, remove } = await tempDir('sim-task-cancel'));
  now = T0;
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await remove();
});

async function openEngine(behaviour: Partial<DeviceBehaviour> = {}): Promise<TaskEngine> {
  const engine = await openTestEngine({ dir, clock: () => now, segments: new Set(['seg-a']), behaviour });
  engines.push(engine);
  return engine;
}

const [d0, d1, d2, d3, d4] = ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];

const request = (deviceIps: string[], action = TaskAction.TASK_ACTION_INSTALL) =>
  taskRequest(deviceIps, action);
const errors = (devices: DeviceProgress[]) => devices.map((d) => d.error);
const updated = (devices: DeviceProgress[]) => devices.map((d) => d.updateTime!.getTime() - T0);

/**
 * Two devices at a time: d0 succeeds at 400 ms, d1 fails at 300 ms (30 %), d2 runs 300..1300,
 * d3 starts at 400 and stalls at 90 %, d4 waits for d2's slot and would run 1300..2300.
 */
async function mixedTask(engine: TaskEngine) {
  engine.setDevice(d0, { outcome: 'succeed', durationMs: 400 });
  engine.setDevice(d1, { outcome: 'fail', durationMs: 1000, percent: 30, error: 'boom' });
  engine.setDevice(d3, { outcome: 'stall', durationMs: 1000, percent: 90 });
  const { task } = await engine.start(request([d0, d1, d2, d3, d4]));
  now = T0 + 600;
  const before = await engine.get(task.taskId);
  expect(brief(before.devices)).toBe('S100 F30 R30 R20 P0');
  return { taskId: task.taskId, before };
}

describe('TaskEngine cancel', () => {
  it('fails the unfinished devices at the cancel time and leaves the finished ones', async () => {
    const engine = await openEngine({ parallelism: 2 });
    const { taskId } = await mixedTask(engine);
    expect(engine.isBusy('seg-a')).toBe(true);
    now = T0 + 700;
    const cancelled = await engine.cancel(taskId);
    expect(brief(cancelled.devices)).toBe('S100 F30 F40 F30 F0');
    expect(errors(cancelled.devices)).toEqual(['', 'boom', 'cancelled', 'cancelled', 'cancelled']);
    expect(updated(cancelled.devices)).toEqual([400, 300, 700, 700, 700]);
    expect(cancelled.summary).toEqual({ total: 5, pending: 0, running: 0, succeeded: 1, failed: 4 });
    expect([cancelled.state, cancelled.percent, cancelled.finishTime]).toEqual([
      TaskState.TASK_STATE_PARTIALLY_SUCCEEDED,
      100,
      new Date(T0 + 700),
    ]);
    // The stalled device no longer holds the task open.
    expect(engine.isBusy('seg-a')).toBe(false);
    // d2 and d4 would have succeeded by now; only what succeeded before the cancel is installed.
    now = T0 + 100_000;
    expect(engine.installedDevices('seg-a')).toEqual([d0]);
    expect(await engine.get(taskId)).toEqual({ ...cancelled, revision: now });
  });

  it('lists exactly the devices the cancel changed in a since_revision diff', async () => {
    const engine = await openEngine({ parallelism: 2 });
    const { taskId, before } = await mixedTask(engine);
    now = T0 + 700;
    const cancelled = await engine.cancel(taskId);
    now = T0 + 800;
    const diff = await engine.get(taskId, before.revision);
    expect(diff.devices.map((d) => d.ip)).toEqual([d2, d3, d4]);
    expect([brief(diff.devices), diff.summary]).toEqual(['F40 F30 F0', cancelled.summary]);
    now = T0 + 5000;
    expect((await engine.get(taskId, cancelled.revision)).devices).toEqual([]);
  });

  it('returns an ended task unchanged, however often it is cancelled', async () => {
    const engine = await openEngine({ parallelism: 2 });
    const { taskId } = await mixedTask(engine);
    now = T0 + 700;
    const first = await engine.cancel(taskId);
    now = T0 + 1700;
    const again = await engine.cancel(taskId);
    expect(again.revision).toBeGreaterThan(first.revision);
    expect({ ...again, revision: 0 }).toEqual({ ...first, revision: 0 });

    const done = (await engine.start(request(['10.0.1.1', '10.0.1.2']))).task;
    now += 2000;
    const ended = await engine.get(done.taskId);
    expect(ended.state).toBe(TaskState.TASK_STATE_SUCCEEDED);
    const cancelledLate = await engine.cancel(done.taskId);
    expect({ ...cancelledLate, revision: 0 }).toEqual({ ...ended, revision: 0 });
  });

  it('ends a task held open by a stalled device', async () => {
    const engine = await openEngine();
    engine.setDevice(d0, { outcome: 'stall', percent: 70 });
    const { task } = await engine.start(request([d0]));
    now = T0 + 1_000_000;
    expect([(await engine.get(task.taskId)).state, engine.isBusy('seg-a')]).toEqual([
      TaskState.TASK_STATE_RUNNING,
      true,
    ]);
    const cancelled = await engine.cancel(task.taskId);
    expect([brief(cancelled.devices), cancelled.devices[0]!.error, cancelled.state]).toEqual([
      'F70',
      'cancelled',
      TaskState.TASK_STATE_FAILED,
    ]);
    expect(engine.isBusy('seg-a')).toBe(false);
  });

  it('leaves the segment on the devices a cancelled uninstall had not reached', async () => {
    const engine = await openEngine();
    await engine.start(request([d1, d2, d3]));
    now += 1000;
    expect(engine.installedDevices('seg-a')).toEqual([d1, d2, d3]);
    engine.setBehaviour({ parallelism: 1 });
    const { task } = await engine.start(request([d1, d2, d3], TaskAction.TASK_ACTION_UNINSTALL));
    now += 1500;
    const cancelled = await engine.cancel(task.taskId);
    expect(brief(cancelled.devices)).toBe('S100 F50 F0');
    now += 10_000;
    expect(engine.installedDevices('seg-a')).toEqual([d2, d3]);
  });
});

describe('TaskEngine cancel on disk', () => {
  it('keeps a cancel through a crash right after the answer and through a restart', async () => {
    const first = await openEngine({ parallelism: 2 });
    const { taskId } = await mixedTask(first);
    now = T0 + 700;
    const cancelled = await first.cancel(taskId);
    const unchanged = (task: typeof cancelled) => ({ ...task, revision: 0 });

    // `first` never closes: the cancel must be on disk already.
    now = T0 + 50_000;
    const second = await openEngine();
    expect(unchanged(await second.get(taskId))).toEqual(unchanged(cancelled));
    expect([second.installedDevices('seg-a'), second.isBusy('seg-a')]).toEqual([[d0], false]);
    await second.close();

    now = T0 + 100_000;
    const third = await openEngine();
    expect(unchanged(await third.get(taskId))).toEqual(unchanged(cancelled));
    expect(third.installedDevices('seg-a')).toEqual([d0]);
  });

  it('takes a cancel back, unseen, when it cannot be written, and cancels once it can', async () => {
    const engine = await openEngine({ parallelism: 2 });
    const { taskId } = await mixedTask(engine);
    // A directory where the plan file was: rewriting the plan fails.
    const blocker = path.join(dir, 'tasks', `${taskId}.json`);
    await rm(blocker);
    await mkdir(path.join(blocker, 'blocker'), { recursive: true });
    now = T0 + 700;
    const [failure, during] = await Promise.all([
      engine.cancel(taskId).then(
        () => undefined,
        (err: unknown) => err,
      ),
      engine.get(taskId),
    ]);
    expect(failure).toBeInstanceOf(Error);
    expect([brief(during.devices), during.state]).toEqual([
      'S100 F30 R40 R30 P0',
      TaskState.TASK_STATE_RUNNING,
    ]);
    expect(engine.isBusy('seg-a')).toBe(true);
    now = T0 + 1300;
    expect(engine.installedDevices('seg-a')).toEqual([d0, d2]);

    await rm(blocker, { recursive: true });
    const cancelled = await engine.cancel(taskId);
    // d2 finished at the very moment of the cancel: it counts as finished.
    expect(brief(cancelled.devices)).toBe('S100 F30 S100 F90 F0');
    expect(errors(cancelled.devices)).toEqual(['', 'boom', '', 'cancelled', 'cancelled']);
    expect(cancelled.finishTime).toEqual(new Date(T0 + 1300));
    now = T0 + 100_000;
    expect(engine.installedDevices('seg-a')).toEqual([d0, d2]);
  });
});
