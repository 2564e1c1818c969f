import {
  type DeviceProgress,
  DeviceState,
  type Task,
  TaskState,
  type TaskSummary,
} from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { addressKey } from './addresses.js';
import { FAIL, runTime, SUCCEED, type TaskPlan } from './plan.js';

/** A Task as the engine answers it: the fields the wire type leaves optional are always set. */
export type TaskView = Task & { summary: TaskSummary; createTime: Date };

// A device's observable state packed into one number (state * 128 + percent), so comparing two
// moments costs one integer comparison; `error` is fixed per device and changes only with the state.
const PERCENT_BITS = 128;
const pack = (state: DeviceState, percent: number) => state * PERCENT_BITS + percent;

/** The error of a device that had not finished when its task was cancelled. */
const CANCELLED_ERROR = 'cancelled';

/** A task's plan plus what follows from it once, so answering at any time is a single linear pass. */
export class TaskTimeline {
  /** Address keys, indexed like `plan.ips`. */
  readonly keys: string[];
  /** When each device finishes, ms after createTime (the cancel for a cancelled one); Infinity: never. */
  readonly endAt: Float64Array;
  /** 1 for a device that had not finished when the task was cancelled. */
  private readonly cancelled: Uint8Array;
  /** Indices of the devices that succeed, in the order they finish (ties: request order). */
  readonly successes: Uint32Array;
  /** When the last device finishes, ms after createTime; Infinity when some device never does. */
  readonly finishAt: number;

  constructor(
    readonly plan: TaskPlan,
    keys?: string[],
  ) {
    this.keys = keys ?? plan.ips.map((ip) => addressKey(ip)!);
    const count = plan.ips.length;
    const cancelAt = plan.cancelAt ?? Number.POSITIVE_INFINITY;
    this.endAt = new Float64Array(count);
    this.cancelled = new Uint8Array(count);
    let finishAt = 0;
    const successes: number[] = [];
    for (let index = 0; index < count; index++) {
      const planned = plan.startAt[index]! + runTime(deviceFate(plan, index));
      // A device still pending or at work when the task is cancelled fails right then.
      const cancelled = planned > cancelAt;
      const end = cancelled ? cancelAt : planned;
      this.endAt[index] = end;
      this.cancelled[index] = cancelled ? 1 : 0;
      finishAt = Math.max(finishAt, end);
      if (plan.outcome[index] === SUCCEED && !cancelled) successes.push(index);
    }
    this.finishAt = finishAt;
    this.successes = Uint32Array.from(successes).sort((a, b) => this.endAt[a]! - this.endAt[b]! || a - b);
  }

  get taskId(): string {
    return this.plan.taskId;
  }

  /** When the task ends, ms since the epoch; Infinity when it never does. */
  get finishTime(): number {
    return this.plan.createTime + this.finishAt;
  }

  /** This task cancelled at `time` (ms since the epoch), which must come before it ends. */
  cancelledAt(time: number): TaskTimeline {
    return new TaskTimeline({ ...this.plan, cancelAt: time - this.plan.createTime }, this.keys);
  }

  /** The device's packed state `elapsed` ms after the task was created. */
  private stateAt(index: number, elapsed: number): number {
    if (elapsed < this.endAt[index]!) return this.workingState(index, elapsed);
    if (this.cancelled[index]) {
      const reached = this.workingState(index, this.endAt[index]!) % PERCENT_BITS;
      return pack(DeviceState.DEVICE_STATE_FAILED, reached);
    }
    return this.plan.outcome[index] === FAIL
      ? pack(DeviceState.DEVICE_STATE_FAILED, this.plan.stopPercent[index]!)
      : pack(DeviceState.DEVICE_STATE_SUCCEEDED, 100);
  }

  /** PENDING or RUNNING, as the device is until it finishes. */
  private workingState(index: number, elapsed: number): number {
    const { plan } = this;
    const start = plan.startAt[index]!;
    if (elapsed < start) return pack(DeviceState.DEVICE_STATE_PENDING, 0);
    const stop = plan.stopPercent[index]!;
    const duration = plan.durationMs[index]!;
    const percent = duration > 0 ? Math.floor((100 * (elapsed - start)) / duration) : stop;
    return pack(DeviceState.DEVICE_STATE_RUNNING, Math.min(percent, stop));
  }

  /**
   * The task as it stands at `time` (ms since the epoch, also the answer's revision). With
   * `sinceRevision` from an earlier answer, lists only the devices whose state, percent or error
   * differs between then and now; 0, or a revision from before the task existed, lists them all.
   */
  observe(time: number, sinceRevision: number): TaskView {
    const { plan } = this;
    const elapsed = time - plan.createTime;
    const everything = sinceRevision === 0 || sinceRevision < plan.createTime;
    const sinceElapsed = sinceRevision - plan.createTime;
    const counts = [0, 0, 0, 0, 0];
    let percentSum = 0;
    const devices: DeviceProgress[] = [];
    for (let index = 0; index < plan.ips.length; index++) {
      const packed = this.stateAt(index, elapsed);
      const state = Math.floor(packed / PERCENT_BITS);
      const percent = packed % PERCENT_BITS;
      counts[state]!++;
      percentSum += state >= DeviceState.DEVICE_STATE_SUCCEEDED ? 100 : percent;
      if (everything || packed !== this.stateAt(index, sinceElapsed)) {
        devices.push(this.progress(index, state, percent));
      }
    }
    const [, pending = 0, running = 0, succeeded = 0, failed = 0] = counts;
    const ended = pending + running === 0;
    return {
      taskId: plan.taskId,
      segmentUid: plan.segmentUid,
      action: plan.action,
      state: taskState(ended, succeeded, failed),
      percent: ended ? 100 : Math.floor(percentSum / plan.ips.length),
      summary: { total: plan.ips.length, pending, running, succeeded, failed },
      devices,
      revision: time,
      createTime: new Date(plan.createTime),
      finishTime: ended ? new Date(this.finishTime) : undefined,
    };
  }

  private progress(index: number, state: DeviceState, percent: number): DeviceProgress {
    const { plan } = this;
    const since =
      state === DeviceState.DEVICE_STATE_PENDING
        ? 0
        : state === DeviceState.DEVICE_STATE_RUNNING
          ? plan.startAt[index]!
          : this.endAt[index]!;
    return {
      ip: plan.ips[index]!,
      state,
      percent,
      error: state === DeviceState.DEVICE_STATE_FAILED ? this.failure(index) : '',
      updateTime: new Date(plan.createTime + since),
    };
  }

  private failure(index: number): string {
    return this.cancelled[index] ? CANCELLED_ERROR : this.plan.errors[index]!;
  }
}

function deviceFate(plan: TaskPlan, index: number) {
  return {
    outcome: plan.outcome[index]!,
    durationMs: plan.durationMs[index]!,
    stopPercent: plan.stopPercent[index]!,
  };
}

function taskState(ended: boolean, succeeded: number, failed: number): TaskState {
  if (!ended) return TaskState.TASK_STATE_RUNNING;
  if (failed === 0) return TaskState.TASK_STATE_SUCCEEDED;
  if (succeeded === 0) return TaskState.TASK_STATE_FAILED;
  return TaskState.TASK_STATE_PARTIALLY_SUCCEEDED;
}
