import type { InstallLogSummary } from '../../records/install-log-schema.js';
import { isFinalInstallStatus } from '../../records/install-schema.js';
import { isFinalRolloutState, type RolloutSeat } from '../../records/rollout-schema.js';
import type { RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';
import { currentWaveTally } from './rollout-record.js';
import { accountRollbackStep, rollbackStepRequest } from './rollout-rollback.js';
import {
  readStep,
  type SeatEnd,
  type StepProgress,
  type StepRequest,
  seatEnd,
  skipSeats,
  startStepRecord,
} from './rollout-steps.js';
import { isBreached, retryDelayMs } from './seat-judgement.js';

/** How following the running step went: it ended (to be accounted), or a pass outcome. */
export type Followed =
  | { ended: true; progress?: StepProgress; failure?: string; neverStarted?: boolean }
  | (PassOutcome & { ended?: false; write: boolean });

/**
 * Follows the step the rollout waits on: creates its record if a crash came between choosing and
 * creating it, and while it runs, counts its seats as they end (breach is judged as seats end, D5).
 */
export async function followStep(deps: EngineDeps, draft: RolloutDraft, pollMs: number): Promise<Followed> {
  const { record } = draft;
  const step = record.step!;
  const progress = await deps.installs.progress(step.recordId);
  if (progress && isFinalInstallStatus(progress.status)) {
    const ended = await readStep(deps.installs, step);
    // Gone between two reads (pruned, or its segment deleted): nothing says how its seats ended.
    return ended ? { ended: true, progress: ended } : { ended: true, failure: 'its install record is gone' };
  }
  if (progress) {
    const write = progress.summary !== undefined && countLive(draft, progress.summary, progress.startedAt);
    return { action: 'following', write, againInMs: pollMs };
  }
  // Cancelled, paused or rolling back before a wave's record was made: its seats never start.
  if (isFinalRolloutState(record.state) || (step.kind === 'WAVE' && record.state !== 'RUNNING')) {
    return { ended: true, neverStarted: true };
  }
  const request = await stepRequest(draft);
  const started = await startStepRecord(deps.installs, step, request);
  switch (started.kind) {
    case 'created':
    case 'exists':
      return { action: 'step started', write: false, againInMs: 0 };
    case 'nothing':
      return { ended: true };
    case 'busy':
      return { action: 'waiting', write: false, againInMs: pollMs };
    case 'gone': {
      const gone = new Set(started.seats);
      if (step.kind === 'ROLLBACK') {
        // A deleted seat cannot be reverted: reported, never silently skipped.
        for (const { index, seat } of await draft.allSeats()) {
          if (gone.has(seat.seat))
            draft.setSeat(index, { ...seat, state: 'NOT_REVERTED', error: 'the seat was deleted' });
        }
      } else {
        skipSeats(draft, await draft.waveSeats(step.wave), gone, 'the seat was deleted before its wave');
      }
      return { action: 'seats gone', write: true, againInMs: 0 };
    }
    case 'refused':
      if (step.kind === 'ROLLBACK') return { ended: true, failure: started.error };
      draft.enter('FAILED');
      draft.record.error = started.error;
      draft.record.finishedAt = draft.at().toISOString();
      draft.event('FAILED', started.error);
      return { ended: true, neverStarted: true };
  }
}

async function stepRequest(draft: RolloutDraft): Promise<StepRequest> {
  const { record } = draft;
  const step = record.step!;
  const timeoutMs = record.policy.seatTimeoutSeconds * 1000;
  if (step.kind === 'ROLLBACK') return rollbackStepRequest(draft, timeoutMs);
  const seats = (await draft.waveSeats(step.wave)).filter(({ seat }) => seat.state === 'RUNNING');
  return {
    segmentId: record.segmentId,
    seats: seats.map(({ seat }) => seat.seat),
    mode: 'ADD',
    origin: { kind: 'ROLLOUT', rolloutId: draft.id, wave: step.wave, attempt: step.attempt },
    replaceOtherVersions: true,
    upgradeOrder: record.policy.upgradeOrder,
    timeoutMs,
  };
}

/** Seats of the running wave step that ended so far (head only); true when the counts moved. */
function countLive(draft: RolloutDraft, summary: InstallLogSummary, startedAt: string): boolean {
  const { record } = draft;
  const step = record.step!;
  if (step.kind !== 'WAVE') return false;
  const started = Date.parse(startedAt);
  const late = draft.at().getTime() - started >= record.policy.seatTimeoutSeconds * 1000;
  // D5: a seat still running past its timeout is judged at once; its task is cancelled by the install.
  const timedOut = late ? summary.running + summary.pending : 0;
  const live = { succeeded: summary.succeeded, failed: summary.failed, timedOut };
  const before = record.live;
  if (
    before &&
    before.succeeded === live.succeeded &&
    before.failed === live.failed &&
    before.timedOut === timedOut
  )
    return false;
  record.live = live;
  judgeBreach(draft);
  return true;
}

/** Reads a step's end into its seats: each wave seat SUCCEEDED, or failed (with a retry due, if any left). */
export async function accountStep(
  deps: EngineDeps,
  draft: RolloutDraft,
  followed: Extract<Followed, { ended: true }>,
): Promise<void> {
  const { record } = draft;
  const step = record.step!;
  if (step.kind === 'ROLLBACK') {
    await accountRollbackStep(deps, draft, followed.progress, followed.failure);
  } else {
    const seats = await draft.waveSeats(step.wave);
    for (const { index, seat } of seats) {
      if (seat.state !== 'RUNNING') continue;
      if (followed.neverStarted)
        draft.setSeat(index, { ...seat, state: 'PENDING', attempts: seat.attempts - 1 });
      else {
        const end = followed.failure
          ? { ok: false, error: followed.failure, timedOut: false }
          : seatEnd(followed.progress, seat.seat);
        draft.setSeat(index, endedSeat(draft, seat, end));
      }
    }
    await tallyWave(draft, step.wave);
  }
  record.live = undefined;
  record.step = { ...step, accounted: true };
  judgeBreach(draft);
}

function endedSeat(draft: RolloutDraft, seat: RolloutSeat, end: SeatEnd): RolloutSeat {
  const { policy, state } = draft.record;
  if (end.ok)
    return {
      seat: seat.seat,
      wave: seat.wave,
      state: 'SUCCEEDED',
      fromVersions: seat.fromVersions,
      attempts: seat.attempts,
    };
  const failed: RolloutSeat = { ...seat, state: end.timedOut ? 'TIMED_OUT' : 'FAILED', error: end.error };
  // Retries only while the rollout goes forward: a paused or stopped rollout starts no seat.
  const forward = state === 'RUNNING' || state === 'PENDING';
  if (seat.attempts <= policy.seatRetries && forward) {
    const due = draft.at().getTime() + retryDelayMs(seat.attempts, policy.retryBaseSeconds);
    return { ...failed, retryAt: new Date(due).toISOString() };
  }
  return failed;
}

/**
 * Recounts the wave from its seats (those just set included): succeeded, failed for good (retries
 * spent), and the earliest retry due.
 */
export async function tallyWave(draft: RolloutDraft, wave: number): Promise<void> {
  const seats = await draft.waveSeats(wave);
  let succeeded = 0;
  let failed = 0;
  let earliest: number | undefined;
  for (const { seat } of seats) {
    if (seat.state === 'SUCCEEDED') succeeded++;
    else if ((seat.state === 'FAILED' || seat.state === 'TIMED_OUT') && seat.retryAt === undefined) failed++;
    if (seat.retryAt !== undefined) {
      const at = Date.parse(seat.retryAt);
      earliest = earliest === undefined ? at : Math.min(earliest, at);
    }
  }
  const w = draft.record.waves[wave]!;
  w.succeeded = succeeded;
  w.failed = failed;
  draft.record.retryAt = earliest === undefined ? undefined : new Date(earliest).toISOString();
}

/**
 * D5 breach, judged on the current wave as its seats end: past the threshold, nothing new starts
 * and the rollout pauses, or rolls back, by its `onFailure`.
 */
export function judgeBreach(draft: RolloutDraft): void {
  const { record } = draft;
  if (record.state !== 'RUNNING' && record.state !== 'SOAKING') return;
  const wave = record.waves[record.currentWave];
  if (!wave || (wave.state !== 'RUNNING' && wave.state !== 'SOAKING')) return;
  const tally = currentWaveTally(record);
  if (!tally || !isBreached(tally, record.policy)) return;
  const { failed, ended } = tally;
  const share = ended === 0 ? 0 : Math.round((failed / ended) * 1000) / 10;
  const reason =
    `wave ${record.currentWave + 1}: ${failed} of ${ended} ended seats failed (${share} %), ` +
    `more than the ${record.policy.maxFailurePercent} % allowed`;
  draft.event('BREACH', reason);
  if (record.policy.onFailure === 'ROLLBACK') {
    draft.enter('ROLLING_BACK');
    record.rollback = {
      reason,
      by: 'seghub',
      at: draft.at().toISOString(),
      planned: false,
      steps: [],
      next: 0,
    };
  } else {
    draft.enter('PAUSED');
    record.paused = { reason, cause: 'BREACH', at: draft.at().toISOString() };
  }
}
