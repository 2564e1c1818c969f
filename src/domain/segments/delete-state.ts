import type { SegmentRecord } from '../../store/segment-record.js';
import { backoffDelay } from '../../util/backoff.js';
import type { SyncFailure, SyncRetryPolicy } from './sync-state.js';

/**
 * The delete state machine (SPEC flow 4) as pure functions of a record: NONE or FAILED → PROCESSING
 * on request; PROCESSING until SDP no longer has the segment (the record is then removed) or the
 * attempts run out or SDP refuses for good (FAILED). Retries use the create-sync's policy.
 */

/** Long outages should not push the next attempt hours away. */
const MAX_RETRY_INTERVAL_MS = 15 * 60_000;

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
  if (failure.permanent || attempts >= policy.retryMax) return { ...base, deleteStatus: 'FAILED' };
  const delay = backoffDelay(
    attempts - 1,
    { baseMs: policy.retryBaseMs, maxMs: Math.max(policy.retryBaseMs, MAX_RETRY_INTERVAL_MS) },
    random,
  );
  return {
    ...base,
    deleteStatus: 'PROCESSING',
    deleteNextAttemptAt: new Date(now.getTime() + delay).toISOString(),
  };
}

/** Milliseconds until the next delete attempt is due (0: now). */
export function deleteDueInMs(record: SegmentRecord, now: Date): number {
  const next = record.deleteNextAttemptAt;
  return next ? Math.max(0, Date.parse(next) - now.getTime()) : 0;
}
