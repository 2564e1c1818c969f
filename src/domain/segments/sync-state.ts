import type { SegmentRecord } from '../../records/segment-schema.js';
import { backoffDelay } from '../../util/backoff.js';

/**
 * The create-sync state machine (SPEC flow 3) as pure functions of a record: PENDING until SDP
 * holds the segment (SYNCED) or the attempts run out or SDP refuses it for good (FAILED).
 */

export interface SyncRetryPolicy {
  /** Attempts before the status becomes FAILED (`SYNC_RETRY_MAX`). */
  readonly retryMax: number;
  /** Wait after the first failure; doubles with each further one (`SYNC_RETRY_BASE_MS`). */
  readonly retryBaseMs: number;
}

/** Long outages should not push the next attempt hours away. */
const MAX_RETRY_INTERVAL_MS = 15 * 60_000;

export function syncSucceeded(record: SegmentRecord, uid: string, now: Date): SegmentRecord {
  // The last error described a problem that is now over; `attempts` keeps how long it took.
  const { nextAttemptAt: _, lastError: __, ...sync } = record.sync;
  return {
    ...record,
    sync: { ...sync, status: 'SYNCED', syncedAt: now.toISOString(), lastAttemptAt: now.toISOString() },
    remoteExtra: { ...record.remoteExtra, uid },
  };
}

export interface SyncFailure {
  reason: string;
  /** No retry can fix it (SDP refused the request as such): FAILED at once. */
  permanent: boolean;
}

export function syncFailed(
  record: SegmentRecord,
  failure: SyncFailure,
  policy: SyncRetryPolicy,
  now: Date,
  random = Math.random,
): SegmentRecord {
  const attempts = record.sync.attempts + 1;
  const { nextAttemptAt: _, ...sync } = record.sync;
  const base = { ...sync, attempts, lastError: failure.reason, lastAttemptAt: now.toISOString() };
  const nextAttemptAt = nextRetryAt(attempts, failure, policy, now, random);
  if (nextAttemptAt === undefined) return { ...record, sync: { ...base, status: 'FAILED' } };
  return { ...record, sync: { ...base, status: 'PENDING', nextAttemptAt } };
}

/**
 * When to try again after the `attempts`-th failure in a row: exponential from the policy's base,
 * with jitter, capped. Undefined when it is time to give up (FAILED): the budget is spent or the
 * failure is permanent. Create-sync and delete share it.
 */
export function nextRetryAt(
  attempts: number,
  failure: SyncFailure,
  policy: SyncRetryPolicy,
  now: Date,
  random = Math.random,
): string | undefined {
  if (failure.permanent || attempts >= policy.retryMax) return undefined;
  const delay = backoffDelay(
    attempts - 1,
    { baseMs: policy.retryBaseMs, maxMs: Math.max(policy.retryBaseMs, MAX_RETRY_INTERVAL_MS) },
    random,
  );
  return new Date(now.getTime() + delay).toISOString();
}

/** An operator's "start over": a fresh budget of attempts, the first one right away. */
export function syncRestarted(record: SegmentRecord): SegmentRecord {
  const { nextAttemptAt: _, ...sync } = record.sync;
  return { ...record, sync: { ...sync, status: 'PENDING', attempts: 0 } };
}

/** Milliseconds until the next attempt is due (0: now). */
export function syncDueInMs(record: SegmentRecord, now: Date): number {
  const next = record.sync.nextAttemptAt;
  return next ? Math.max(0, Date.parse(next) - now.getTime()) : 0;
}
