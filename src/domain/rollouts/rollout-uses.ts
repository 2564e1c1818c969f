import { RolloutSupersededError } from '../../model/errors.js';
import type { RolloutRecords } from '../../records/rollout-records.js';
import { isFinalRolloutState } from '../../records/rollout-schema.js';
import type { StoredRollout } from './rollout-types.js';

/** What rollouts hold: versions (D6), groups, and the newest rollout of a (name, group). */

/** A rollout's target, for telling the rollouts of one group (or one selector) apart. */
function targetOf(record: { group?: string; selector?: string }): string {
  return `${record.group ?? ''}\u0000${record.selector ?? ''}`;
}

/**
 * D6: why a version must not be deleted because of rollouts: it is what a rollout that has not
 * ended installs or would return seats to, or what the newest SUCCEEDED rollout of its (name,
 * group) would return seats to on a rollback.
 */
export async function segmentUse(records: RolloutRecords, segmentId: string): Promise<string | undefined> {
  const name = segmentId.slice(0, segmentId.indexOf('/'));
  const version = segmentId.slice(name.length + 1);
  const newestSucceeded = new Set<string>();
  for (const id of (await records.idsOfName(name)).reverse()) {
    const stored = await records.get(id);
    if (!stored) continue;
    const { record } = stored;
    const target = targetOf(record);
    const live = !isFinalRolloutState(record.state);
    const newest = record.state === 'SUCCEEDED' && !newestSucceeded.has(target);
    if (record.state === 'SUCCEEDED') newestSucceeded.add(target);
    if (live && record.segmentId === segmentId) return `rollout ${id} installs it and has not ended`;
    if ((live || newest) && record.fromVersionSet.includes(version))
      return `rollout ${id} would return seats to it on a rollback`;
  }
  return undefined;
}

/** A rollout to the group that has not ended, if any (the group is in use while there is one). */
export async function activeForGroup(records: RolloutRecords, group: string): Promise<string | undefined> {
  for (const id of await records.activeIds()) {
    const stored = await records.get(id);
    if (stored && stored.record.group === group && !isFinalRolloutState(stored.record.state)) return id;
  }
  return undefined;
}

/** D6: a rollback after SUCCEEDED only for the newest rollout of its (name, group). */
export async function refuseSuperseded(records: RolloutRecords, current: StoredRollout): Promise<void> {
  const ids = await records.idsOfName(current.record.name);
  for (const other of ids.reverse()) {
    if (other === current.id) return;
    const newer = await records.get(other);
    if (
      !newer ||
      newer.record.group !== current.record.group ||
      newer.record.selector !== current.record.selector
    )
      continue;
    throw new RolloutSupersededError(current.id, other);
  }
}

/**
 * Section 1: the policy converge uses for a group's seats, from the newest rollout of the name to
 * the group: its seat timeout, and its retries (attempts before a seat is parked).
 */
export async function lastRolloutPolicy(
  records: RolloutRecords,
  group: string,
  name: string,
): Promise<{ timeoutMs: number; retryMax: number } | undefined> {
  for (const id of (await records.idsOfName(name)).reverse()) {
    const stored = await records.get(id);
    if (stored?.record.group !== group) continue;
    const { policy } = stored.record;
    return { timeoutMs: policy.seatTimeoutSeconds * 1000, retryMax: policy.seatRetries + 1 };
  }
  return undefined;
}

/**
 * Keeps the newest `keep` rollouts of a name and removes older ones that have ended, except the
 * newest SUCCEEDED one of each group or selector (what a rollback, D6, and SEGMENT_IN_USE rely on).
 * Returns how many went.
 */
export async function pruneRollouts(records: RolloutRecords, name: string, keep: number): Promise<number> {
  const ids = (await records.idsOfName(name)).reverse();
  const newestSucceeded = new Set<string>();
  let removed = 0;
  for (const [index, id] of ids.entries()) {
    const stored = await records.get(id);
    if (!stored) continue;
    const { record } = stored;
    const target = targetOf(record);
    const held = record.state === 'SUCCEEDED' && !newestSucceeded.has(target);
    if (record.state === 'SUCCEEDED') newestSucceeded.add(target);
    const ended = isFinalRolloutState(record.state) && (record.step?.accounted ?? true);
    if (index < keep || held || !ended) continue;
    if (await records.remove(stored)) removed++;
  }
  return removed;
}
