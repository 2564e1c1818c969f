import type { IndexedSeat, RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';

type Pass = PassOutcome & { write: boolean };

/** Freezes (D8) as the forward half of a rollout meets them: a wave waits, and goes on once thawed. */

interface Freeze {
  pause(draft: RolloutDraft): Pass;
}

/** D8: a freeze holding seats of the wave pauses the rollout before the wave starts; it ends by itself. */
export async function freezeOf(deps: EngineDeps, seats: readonly IndexedSeat[]): Promise<Freeze | undefined> {
  const names = seats.filter(({ seat }) => seat.state === 'PENDING').map(({ seat }) => seat.seat);
  const [frozen] = (await deps.freezes?.frozenGroupsOf(names)) ?? [];
  if (!frozen) return undefined;
  return {
    pause(draft) {
      const reason = `group ${frozen.group} is frozen: ${frozen.freeze.reason}`;
      const againInMs = frozen.freeze.until ? msUntil(draft, frozen.freeze.until) : undefined;
      if (draft.record.state === 'PAUSED' && draft.record.paused?.reason === reason)
        return { action: 'frozen', write: false, againInMs };
      draft.enter('PAUSED');
      draft.record.paused = { reason, cause: 'FREEZE', at: draft.at().toISOString() };
      draft.event('PAUSED', reason);
      return { action: 'frozen', write: true, againInMs };
    },
  };
}

/** A rollout paused by a freeze goes on once no freeze holds its next wave's seats. */
export async function resumeAfterFreeze(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  if (record.paused?.cause !== 'FREEZE') return { action: 'paused', write: false };
  const seats = await draft.waveSeats(record.currentWave);
  const frozen = await freezeOf(deps, seats);
  if (frozen) return frozen.pause(draft);
  record.paused = undefined;
  draft.enter(record.startedAt ? 'RUNNING' : 'PENDING');
  draft.event('RESUMED', 'the freeze ended');
  return { action: 'thawed', write: true, againInMs: 0 };
}

/** Milliseconds from the pass's time until `iso` (at least 0). */
export function msUntil(draft: RolloutDraft, iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Math.max(0, Date.parse(iso) - draft.at().getTime());
}
