import { TaskAction } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import type { Random } from '../random.js';
import type { DeviceBehaviour, DeviceOverride } from './behaviour.js';
import { failureMessage } from './failure-messages.js';
import { SlotSchedule } from './slot-schedule.js';
import type { ValidStartRequest, WorkAction } from './validate-request.js';

export const SUCCEED = 0;
export const FAIL = 1;
const STALL = 2;

/**
 * Everything decided when a task starts. Progress at any moment is a function of this plan and the
 * clock (see TaskTimeline), so the plan is written once (again only to record a cancel) and a
 * restart simply reads it back. Per-device values are columns indexed like `ips`; times are ms
 * after `createTime`.
 */
export interface TaskPlan {
  taskId: string;
  /** Start order across tasks; breaks ties between devices finishing in the same millisecond. */
  seq: number;
  segmentUid: string;
  action: WorkAction;
  /** ms since the epoch. */
  createTime: number;
  ips: string[];
  /** When the device leaves PENDING; Infinity when every slot is held by a stalled device. */
  startAt: Float64Array;
  /** Time from 0 to 100 percent at the device's pace; a failing or stalled device stops before. */
  durationMs: Float64Array;
  outcome: Uint8Array;
  /** 100 for SUCCEED; where a failing device fails or a stalled one stops. */
  stopPercent: Uint8Array;
  /** Empty unless the outcome is FAIL. */
  errors: string[];
  /** When CancelTask ended the task; absent unless it did. Devices not finished by then fail. */
  cancelAt?: number;
}

export interface PlanContext {
  taskId: string;
  seq: number;
  createTime: number;
  behaviour: DeviceBehaviour;
  /** By address key. */
  overrides: ReadonlyMap<string, DeviceOverride>;
  random: Random;
  /** Whether the device (by address key) has the segment now. */
  hasSegment: (key: string) => boolean;
}

interface DeviceFate {
  outcome: number;
  durationMs: number;
  stopPercent: number;
  error: string;
}

const OUTCOME_CODES = { succeed: SUCCEED, fail: FAIL, stall: STALL } as const;

/** Decides every device's start, pace and fate for a new task. */
export function planTask(request: ValidStartRequest, context: PlanContext): TaskPlan {
  const count = request.ips.length;
  const plan: TaskPlan = {
    taskId: context.taskId,
    seq: context.seq,
    segmentUid: request.segmentUid,
    action: request.action,
    createTime: context.createTime,
    ips: request.ips,
    startAt: new Float64Array(count),
    durationMs: new Float64Array(count),
    outcome: new Uint8Array(count),
    stopPercent: new Uint8Array(count),
    errors: Array<string>(count).fill(''),
  };
  const slots = new SlotSchedule(context.behaviour.parallelism, count);
  const uninstall = request.action === TaskAction.TASK_ACTION_UNINSTALL;
  for (let index = 0; index < count; index++) {
    const key = request.keys[index]!;
    // Drawn for every device, used or not, so one device's override leaves the others' fates alone.
    const draws = [context.random(), context.random(), context.random(), context.random(), context.random()];
    if (uninstall && !context.hasSegment(key)) {
      // Nothing to remove: succeeds at once, without waiting for a slot (startAt and duration 0).
      plan.stopPercent[index] = 100;
      continue;
    }
    const fate = decideFate(request.action, context, context.overrides.get(key), draws);
    plan.startAt[index] = slots.take(runTime(fate));
    plan.durationMs[index] = fate.durationMs;
    plan.outcome[index] = fate.outcome;
    plan.stopPercent[index] = fate.stopPercent;
    plan.errors[index] = fate.error;
  }
  return plan;
}

function decideFate(
  action: WorkAction,
  { behaviour }: PlanContext,
  override: DeviceOverride | undefined,
  [outcomeDraw, durationDraw, percentDraw, messageDraw, detailDraw]: number[],
): DeviceFate {
  const outcome = override ? OUTCOME_CODES[override.outcome] : drawOutcome(outcomeDraw!, behaviour);
  const { durationMs: mean, jitter } = behaviour;
  const durationMs = Math.round(override?.durationMs ?? mean * (1 - jitter + 2 * jitter * durationDraw!));
  const stopPercent = outcome === SUCCEED ? 100 : (override?.percent ?? Math.floor(percentDraw! * 100));
  const error =
    outcome === FAIL ? (override?.error ?? failureMessage(action, messageDraw!, detailDraw!)) : '';
  return { outcome, durationMs, stopPercent, error };
}

function drawOutcome(draw: number, { failureRate, stallRate }: DeviceBehaviour): number {
  if (draw < failureRate) return FAIL;
  if (draw < failureRate + stallRate) return STALL;
  return SUCCEED;
}

/** How long a device occupies its slot. */
export function runTime({
  outcome,
  durationMs,
  stopPercent,
}: Pick<DeviceFate, 'outcome' | 'durationMs' | 'stopPercent'>): number {
  if (outcome === STALL) return Number.POSITIVE_INFINITY;
  if (outcome === SUCCEED) return durationMs;
  // The first moment at which floor(100 * elapsed / duration) reaches the failing percent.
  return Math.ceil((durationMs * stopPercent) / 100);
}
