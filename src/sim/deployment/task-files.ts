import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TaskAction } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { readJson, writeJsonAtomic } from '../json-file.js';
import type { TaskPlan } from './plan.js';

// Task ids double as file names, so only ids of exactly this shape ever reach the file system.
const TASK_ID = /^task-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isTaskId = (text: string) => TASK_ID.test(text);

const planFile = (dir: string, taskId: string) => path.join(dir, 'tasks', `${taskId}.json`);

// Columns as in TaskPlan; JSON has no Infinity, so a start that never comes is null.
const PlanFile = z
  .object({
    format: z.literal(1),
    taskId: z.string().regex(TASK_ID),
    seq: z.number().int().nonnegative(),
    segmentUid: z.string().min(1),
    action: z.enum(['install', 'uninstall']),
    createTime: z.number().int(),
    ips: z.array(z.string()),
    startAt: z.array(z.number().nonnegative().nullable()),
    durationMs: z.array(z.number().nonnegative()),
    outcome: z.array(z.number().int().min(0).max(2)),
    stopPercent: z.array(z.number().int().min(0).max(100)),
    errors: z.array(z.string()),
    cancelAt: z.number().nonnegative().optional(),
  })
  .refine(
    (file) =>
      [file.startAt, file.durationMs, file.outcome, file.stopPercent, file.errors].every(
        (column) => column.length === file.ips.length,
      ),
    'every column must have one entry per device',
  );

export async function writePlan(dir: string, plan: TaskPlan): Promise<void> {
  const file: z.input<typeof PlanFile> = {
    format: 1,
    taskId: plan.taskId,
    seq: plan.seq,
    segmentUid: plan.segmentUid,
    action: plan.action === TaskAction.TASK_ACTION_INSTALL ? 'install' : 'uninstall',
    createTime: plan.createTime,
    ips: plan.ips,
    startAt: Array.from(plan.startAt, (start) => (Number.isFinite(start) ? start : null)),
    durationMs: Array.from(plan.durationMs),
    outcome: Array.from(plan.outcome),
    stopPercent: Array.from(plan.stopPercent),
    errors: plan.errors,
    cancelAt: plan.cancelAt,
  };
  await writeJsonAtomic(planFile(dir, plan.taskId), file);
}

export async function removePlan(dir: string, taskId: string): Promise<void> {
  await rm(planFile(dir, taskId), { force: true });
}

/** The task's plan, or undefined when no such task was ever written. */
export async function readPlan(dir: string, taskId: string): Promise<TaskPlan | undefined> {
  const json = await readJson(planFile(dir, taskId));
  if (json === undefined) return undefined;
  const file = PlanFile.parse(json);
  return {
    taskId: file.taskId,
    seq: file.seq,
    segmentUid: file.segmentUid,
    action: file.action === 'install' ? TaskAction.TASK_ACTION_INSTALL : TaskAction.TASK_ACTION_UNINSTALL,
    createTime: file.createTime,
    ips: file.ips,
    startAt: Float64Array.from(file.startAt, (start) => start ?? Number.POSITIVE_INFINITY),
    durationMs: Float64Array.from(file.durationMs),
    outcome: Uint8Array.from(file.outcome),
    stopPercent: Uint8Array.from(file.stopPercent),
    errors: file.errors,
    ...(file.cancelAt === undefined ? {} : { cancelAt: file.cancelAt }),
  };
}

const KeyEntry = z.object({
  key: z.string(),
  taskId: z.string().regex(TASK_ID),
  fingerprint: z.string(),
  /** When the key was first used, ms since the epoch. */
  at: z.number(),
});

export type KeyEntry = z.infer<typeof KeyEntry>;

/** `<dir>/deployment.json`: the engine's state besides the plans. */
const EngineFile = z.object({
  format: z.literal(1),
  /** The engine's clock never answers with an earlier time than this after a restart. */
  settledThrough: z.number(),
  nextSeq: z.number().int().nonnegative(),
  keys: z.array(KeyEntry),
  installed: z.array(z.object({ segmentUid: z.string(), ips: z.array(z.string()) })),
  /** Tasks with devices still running or successes not yet folded into `installed`. */
  openTasks: z.array(z.object({ taskId: z.string().regex(TASK_ID), appliedSuccesses: z.number().int() })),
});

export type EngineFile = z.infer<typeof EngineFile>;

export const engineFile = (dir: string) => path.join(dir, 'deployment.json');

export async function readEngineFile(dir: string): Promise<EngineFile | undefined> {
  const json = await readJson(engineFile(dir));
  return json === undefined ? undefined : EngineFile.parse(json);
}
