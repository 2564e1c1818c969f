import type { Compare } from '../../kv/kv.js';
import { isFinalRolloutState } from '../../records/rollout-schema.js';
import { RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';
import { accountStep, followStep } from './rollout-follow.js';
import { resumeAfterFreeze } from './rollout-freeze.js';
import { rollbackPass } from './rollout-rollback.js';
import { resumeAfterTrust } from './rollout-trust.js';
import { pruneRollouts } from './rollout-uses.js';
import { forwardPass } from './rollout-waves.js';

/**
 * The controller's side of rollouts (SPEC-FLEET section 2): one level-triggered pass per call.
 * A pass reads the head, takes at most one decision and writes it with the head's revision
 * compared, then says when to look again. Whatever it decides is a field of the head (or of a seat
 * chunk), so a pass after a crash, on any replica, takes up where the store says the rollout is.
 */

export class RolloutEngine {
  constructor(private readonly deps: EngineDeps) {}

  /** Rollouts that have not ended: a group change (a thaw) may concern any of them. */
  activeIds(): Promise<string[]> {
    return this.deps.records.activeIds();
  }

  /**
   * Passes over rollout `id` while each asks to go on at once (a step chosen, then its record
   * created; a wave accounted, then the next started), up to a few; `pollMs` paces the following
   * of a running step. Each pass reads the head its predecessor wrote.
   */
  async reconcile(id: string, guard: Compare[], pollMs: number): Promise<PassOutcome> {
    let outcome: PassOutcome = { action: 'none', againInMs: 0 };
    for (let pass = 0; pass < PASSES_PER_CALL && outcome.againInMs === 0; pass++) {
      const stored = await this.deps.records.get(id);
      if (!stored) return { action: 'gone' };
      const draft = new RolloutDraft(this.deps.records, stored, this.deps.now());
      const decided = await this.decide(draft, pollMs);
      if (decided.write && !(await draft.commit(guard))) return { action: 'raced', againInMs: 0 };
      outcome = decided;
      if (
        decided.write &&
        isFinalRolloutState(draft.record.state) &&
        !isFinalRolloutState(stored.record.state)
      ) {
        // A rollout ended: the name's history is trimmed to ROLLOUT_HISTORY_KEEP.
        await pruneRollouts(this.deps.records, draft.record.name, this.deps.historyKeep);
      }
    }
    return outcome;
  }

  private async decide(draft: RolloutDraft, pollMs: number): Promise<PassOutcome & { write: boolean }> {
    const { record } = draft;
    const step = record.step;
    if (step && !step.accounted) {
      const followed = await followStep(this.deps, draft, pollMs);
      if (!followed.ended) return followed;
      await accountStep(this.deps, draft, followed);
      return this.carryOn(draft);
    }
    if (isFinalRolloutState(record.state)) return { action: 'final', write: false };
    if (record.state === 'ROLLING_BACK') return rollbackPass(this.deps, draft);
    if (record.state === 'PAUSED')
      return record.paused?.cause === 'TRUST'
        ? resumeAfterTrust(this.deps, draft)
        : resumeAfterFreeze(this.deps, draft);
    return forwardPass(this.deps, draft);
  }

  /**
   * After a step's end is accounted, the forward decisions that follow at once (the wave ends, the
   * next one starts) go into the same write; a decision that chose a new step stops here, because
   * the step must be stored before its record is created.
   */
  private async carryOn(draft: RolloutDraft): Promise<PassOutcome & { write: boolean }> {
    let outcome: PassOutcome & { write: boolean } = { action: 'accounted', write: true, againInMs: 0 };
    for (let i = 0; i < PASSES_PER_CALL; i++) {
      const { state, step } = draft.record;
      if (state !== 'RUNNING' || (step && !step.accounted)) break;
      const next = await forwardPass(this.deps, draft);
      outcome = { ...next, write: true };
      if (next.againInMs !== 0 || !next.write) break;
    }
    return outcome;
  }
}

/** Decisions one call may take one after another before it hands the rollout back to the queue. */
const PASSES_PER_CALL = 4;

/** Whether the controller has anything to do for a rollout head (final and fully accounted: no). */
export function needsRolloutWork(record: {
  state: Parameters<typeof isFinalRolloutState>[0];
  step?: { accounted: boolean };
}): boolean {
  return !isFinalRolloutState(record.state) || (record.step !== undefined && !record.step.accounted);
}
