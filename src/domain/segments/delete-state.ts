import type { SegmentRecord } from '../../records/segment-schema.js';
import { nextRetryAt, type SyncFailure, type SyncRetryPolicy } from './sync-state.js';

/**
 * The delete state machine (SPEC flow 4) as pure functions of a record: NONE or FAILED → PROCESSING
 * on request; PROCESSING until SDP no longer has the segment (the record is then removed) or the
 * attempts run out or SDP refuses for good (FAILED). Retries use the create-sync's policy.
 */

/** A fresh budget of attempts, the first one right away; the last failure's reason is cleared. */
export function deleteRequested(record: SegmentRecord): SegmentRecord {
  const { deleteError: _, deleteAttempts: __, deleteNextAttemptAt: ___, ...rest } = record;
  return { ...rest, deleteStatus: 'PROCESSING' };
}

export function deleteFailed(
  record: SegmentRecord,
  failure: SyncFailure,
  policy: SyncRetryPolicy,
  now: Date,
  random = Math.random,
): SegmentRecord {
  const attempts = (record.deleteAttempts ?? 0) + 1;
  const { deleteNextAttemptAt: _, ...rest } = record;
  const base = { ...rest, deleteAttempts: attempts, deleteError: failure.reason };
  const deleteNextAttemptAt = nextRetryAt(attempts, failure, policy, now, random);
  if (deleteNextAttemptAt === undefined) return { ...base, deleteStatus: 'FAILED' };
  return { ...base, deleteStatus: 'PROCESSING', deleteNextAttemptAt };
}

/** Milliseconds until the next delete attempt is due (0: now). */
export function deleteDueInMs(record: SegmentRecord, now: Date): number {
  const next = record.deleteNextAttemptAt;
  return next ? Math.max(0, Date.parse(next) - now.getTime()) : 0;
}
