import type { Logger } from '../../logger.js';
import { InstalledSets } from './installed-sets.js';
import { Settlement } from './settlement.js';
import { type KeyEntry, readEngineFile, readPlan } from './task-files.js';
import { TaskTimeline } from './timeline.js';

/** Idempotency keys, and the tasks they started, are kept this long (the contract says 7 days). */
export const KEY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface RestoredState {
  keys: Map<string, KeyEntry>;
  /** Keys past retention; their tasks go too once they are no longer open. */
  expired: KeyEntry[];
  settlement: Settlement;
  settledThrough: number;
  nextSeq: number;
}

/** The engine's state as `dir` holds it: empty for a new directory. */
export async function restoreState(dir: string, logger: Logger, now: number): Promise<RestoredState> {
  const file = await readEngineFile(dir);
  const keys = new Map<string, KeyEntry>();
  const expired: KeyEntry[] = [];
  for (const entry of file?.keys ?? []) {
    if (now - entry.at < KEY_RETENTION_MS) keys.set(entry.key, entry);
    else expired.push(entry);
  }
  const settlement = new Settlement(InstalledSets.fromJSON(file?.installed ?? []));
  for (const { taskId, appliedSuccesses } of file?.openTasks ?? []) {
    const plan = await readPlan(dir, taskId);
    // A start that crashed before it answered; nobody was told about the task.
    if (!plan) logger.warn({ taskId }, 'open task has no plan file; dropping it');
    else settlement.add(new TaskTimeline(plan), appliedSuccesses);
  }
  return {
    keys,
    expired,
    settlement,
    settledThrough: file?.settledThrough ?? 0,
    nextSeq: file?.nextSeq ?? 0,
  };
}
