import type { IndexedSeat, RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome, TrustProblem } from './rollout-engine-deps.js';

type Pass = PassOutcome & { write: boolean };

export interface TrustHold {
  readonly problem: TrustProblem;
  pause(draft: RolloutDraft): Pass;
}

/**
 * Asked before every forward step (not before rollback steps, D6): a key revoked, a segment
 * deprecated or a file found changed while the rollout runs stops it before its next seats.
 */
export async function trustHoldOf(
  deps: EngineDeps,
  draft: RolloutDraft,
  seats: readonly IndexedSeat[],
): Promise<TrustHold | undefined> {
  if (!deps.trust) return undefined;
  const segment = await deps.segments.get(draft.record.segmentId);
  if (!segment) return undefined; // the wave's own check reports a segment that is gone
  const names = seats.map(({ seat }) => seat.seat);
  const problem = await deps.trust.problem(segment, names);
  if (!problem) return undefined;
  return {
    problem,
    pause(d) {
      const { record } = d;
      if (record.state === 'PAUSED' && record.paused?.reason === problem.reason)
        return { action: 'held by trust', write: false };
      d.enter('PAUSED');
      record.paused = { reason: problem.reason, cause: 'TRUST', at: d.at().toISOString() };
      d.event('PAUSED', problem.reason);
      return { action: 'held by trust', write: true };
    },
  };
}

/**
 * The seats the rollout would change next: the current wave's pending and retrying seats, or
 * while it soaks, the next wave's.
 */
export async function nextSeats(draft: RolloutDraft): Promise<IndexedSeat[]> {
  const { record } = draft;
  const soaking = record.waves[record.currentWave]?.state === 'SOAKING';
  const wave = soaking ? record.currentWave + 1 : record.currentWave;
  if (wave >= record.waves.length) return [];
  const seats = await draft.waveSeats(wave);
  return seats.filter(({ seat }) => seat.state === 'PENDING' || seat.retryAt !== undefined);
}

/** A rollout paused for TRUST goes on once the seats it would change next may get the segment again. */
export async function resumeAfterTrust(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const held = await trustHoldOf(deps, draft, await nextSeats(draft));
  if (held) return held.pause(draft);
  record.paused = undefined;
  const wave = record.waves[record.currentWave];
  draft.enter(wave?.state === 'SOAKING' ? 'SOAKING' : record.startedAt ? 'RUNNING' : 'PENDING');
  draft.event('RESUMED', 'the segment may go to the seats again');
  return { action: 'trust restored', write: true, againInMs: 0 };
}
