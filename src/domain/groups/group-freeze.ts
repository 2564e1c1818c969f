import { InvalidInputError } from '../../model/errors.js';
import type { GroupFreezeRecord } from '../../records/seat-group-records.js';

/**
 * Group freezes (SPEC-FLEET section 2, D8): while a group is frozen nothing new starts on its seats
 * (installs, converge batches, rollout waves). A freeze ends by itself at its `until`: whether one is
 * in force is judged against the clock at each question, so no timer has to remove it.
 */

/** A freeze in force: why, until when (open-ended when absent), who froze the group and when. */
export interface GroupFreeze {
  readonly reason: string;
  readonly until?: string;
  readonly by: string;
  readonly at: string;
}

export const MAX_FREEZE_REASON_LENGTH = 500;

/** The freeze if it is in force at `now`; undefined when there is none or its `until` has passed. */
export function freezeInForce(frozen: GroupFreezeRecord | undefined, now: Date): GroupFreeze | undefined {
  if (!frozen) return undefined;
  if (frozen.until !== undefined && Date.parse(frozen.until) <= now.getTime()) return undefined;
  return frozen;
}

/** INVALID_INPUT for an empty or overlong reason, or an `until` that is not in the future. */
export function checkFreezeInput(reason: string, until: Date | undefined, now: Date): void {
  if (reason.trim().length === 0) throw new InvalidInputError('a freeze needs a reason', 'reason');
  if (reason.length > MAX_FREEZE_REASON_LENGTH) {
    throw new InvalidInputError(
      `a freeze reason has at most ${MAX_FREEZE_REASON_LENGTH} characters`,
      'reason',
    );
  }
  if (until !== undefined && !(until.getTime() > now.getTime())) {
    throw new InvalidInputError(
      `until (${Number.isNaN(until.getTime()) ? 'not a date' : until.toISOString()}) must be in the future`,
      'until',
    );
  }
}
