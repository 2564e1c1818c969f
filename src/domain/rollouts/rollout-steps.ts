import { createHash } from 'node:crypto';
import { DomainError, InstallInProgressError, SeatNotFoundError } from '../../model/errors.js';
import type { StoredInstall } from '../../records/install-records.js';
import type { InstallOrigin } from '../../records/install-schema.js';
import { isFinalInstallStatus } from '../../records/install-schema.js';
import type { RolloutSeat, RolloutStep } from '../../records/rollout-schema.js';
import type { InstallLog } from '../installs/install-log.js';
import type { InstallService } from '../installs/install-service.js';
import type { IndexedSeat, RolloutDraft } from './rollout-draft.js';

/**
 * A step is one install record a rollout waits on: a wave's seats (or its retries), or one step of
 * a rollback. Its record id is derived from the rollout and the step's number and stored in the
 * head before the record is created, so a controller that dies anywhere finds the same record, or
 * creates it under the same id, and SDP sees the same idempotency keys (D5).
 */

/** `<segmentId>/<seq>`: the creation time keeps a segment's records in order, the tail names the step. */
export function stepRecordId(segmentId: string, rolloutId: string, seq: number, now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const tail = createHash('sha256').update(`${rolloutId}/${seq}`).digest('hex').slice(0, 8);
  return `${segmentId}/${stamp}-${tail}`;
}

/** What creating a step's record came to. */
export type StepStart =
  | { kind: 'created' | 'exists' }
  | { kind: 'nothing' } // the seats already were as asked: no record
  | { kind: 'busy'; reason: string } // another change of the name runs: wait
  | { kind: 'gone'; seats: readonly string[] } // seats deleted since: skip them and try again
  | { kind: 'refused'; error: string }; // the same refusal every time: a rollout-level fault

export interface StepRequest {
  segmentId: string;
  seats: readonly string[];
  mode: 'ADD' | 'REMOVE';
  origin: InstallOrigin;
  replaceOtherVersions: boolean;
  upgradeOrder: 'INSTALL_FIRST' | 'UNINSTALL_FIRST';
  timeoutMs: number;
}

export async function startStepRecord(
  installs: InstallService,
  step: RolloutStep,
  request: StepRequest,
): Promise<StepStart> {
  if (await installs.get(step.recordId)) return { kind: 'exists' };
  try {
    const record = await installs.install(request.segmentId, request.seats, {
      mode: request.mode,
      replaceOtherVersions: request.replaceOtherVersions,
      upgradeOrder: request.upgradeOrder,
      origin: request.origin,
      recordId: step.recordId,
      timeoutMs: request.timeoutMs,
      requestedBy: `rollout:${request.origin.rolloutId}`,
    });
    return { kind: record ? 'created' : 'nothing' };
  } catch (err) {
    if (err instanceof InstallInProgressError) {
      // Our own record, created by a pass that died before it could tell: it exists now.
      if (err.recordId === step.recordId) return { kind: 'exists' };
      return { kind: 'busy', reason: err.message };
    }
    if (err instanceof SeatNotFoundError) return { kind: 'gone', seats: err.seatIds };
    if (err instanceof DomainError) return { kind: 'refused', error: `${err.code}: ${err.message}` };
    throw err;
  }
}

/** A step's record as it is now: whether it ended, and each of its seats' progress. */
export interface StepProgress {
  readonly record: StoredInstall;
  readonly log: InstallLog;
  readonly ended: boolean;
  /** Seat name → its index in the record's seat order. */
  readonly indexOf: ReadonlyMap<string, number>;
}

export async function readStep(
  installs: InstallService,
  step: RolloutStep,
): Promise<StepProgress | undefined> {
  const record = await installs.get(step.recordId);
  if (!record) return undefined;
  const read = await installs.readLog(step.recordId);
  if (!read) return undefined;
  const order = [...record.record.installSeats, ...record.record.uninstallSeats];
  return {
    record,
    log: read.log,
    ended: isFinalInstallStatus(record.record.status),
    indexOf: new Map(order.map((seat, i) => [seat, i])),
  };
}

/** How one seat of a step ended: SUCCEEDED, or FAILED with the reason and whether time ran out. */
export interface SeatEnd {
  readonly ok: boolean;
  readonly error?: string;
  readonly timedOut: boolean;
}

/**
 * A seat's end in its step's record. A seat the record does not hold was already as asked when the
 * record was made (it ran the version, or did not have what was to be removed): it succeeded.
 */
export function seatEnd(progress: StepProgress | undefined, seat: string): SeatEnd {
  const index = progress?.indexOf.get(seat);
  if (!progress || index === undefined) return { ok: true, timedOut: false };
  const state = progress.log.seat(index);
  if (state.state === 'SUCCEEDED') return { ok: true, timedOut: false };
  const timedOut =
    progress.log.summary.timedOutAt !== undefined && state.error?.startsWith('no result within') === true;
  const error = state.error ?? progress.record.record.error ?? 'did not finish';
  return { ok: false, error, timedOut };
}

/** Marks the named seats SKIPPED with a reason (gone before their wave, or already running the version). */
export function skipSeats(
  draft: RolloutDraft,
  seats: readonly IndexedSeat[],
  names: ReadonlySet<string>,
  why: string,
) {
  for (const { index, seat } of seats) {
    if (!names.has(seat.seat)) continue;
    const next: RolloutSeat = { ...seat, state: 'SKIPPED', error: why };
    draft.setSeat(index, next);
  }
}
