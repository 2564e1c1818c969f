import type { Compare } from '../../kv/kv.js';
import { isFinalRolloutState } from '../../records/rollout-schema.js';
import { RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';
import { accountStep, followStep } from './rollout-follow.js';
import { rollbackPass } from './rollout-rollback.js';
import { forwardPass, resumeAfterFreeze } from './rollout-waves.js';

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

  /** One pass over rollout `id`; `pollMs` paces the following of a running step. */
  async reconcile(id: string, guard: Compare[], pollMs: number): Promise<PassOutcome> {
    const stored = await this.deps.records.get(id);
    if (!stored) return { action: 'gone' };
    const draft = new RolloutDraft(this.deps.records, stored, this.deps.now());
    const outcome = await this.decide(draft, pollMs);
    if (outcome.write && !(await draft.commit(guard))) return { action: 'raced', againInMs: 0 };
    return outcome;
  }

  private async decide(draft: RolloutDraft, pollMs: number): Promise<PassOutcome & { write: boolean }> {
    const { record } = draft;
    const step = record.step;
    if (step && !step.accounted) {
      const followed = await followStep(this.deps, draft, pollMs);
      if (followed.ended) {
        await accountStep(this.deps, draft, followed);
        return { action: 'accounted', write: true, againInMs: 0 };
      }
      return followed;
    }
    if (isFinalRolloutState(record.state)) return { action: 'final', write: false };
    if (record.state === 'ROLLING_BACK') return rollbackPass(this.deps, draft);
    if (record.state === 'PAUSED') return resumeAfterFreeze(this.deps, draft);
    return forwardPass(this.deps, draft);
  }
}

/** Whether the controller has anything to do for a rollout head (final and fully accounted: no). */
export function needsRolloutWork(record: {
  state: Parameters<typeof isFinalRolloutState>[0];
  step?: { accounted: boolean };
}): boolean {
  return !isFinalRolloutState(record.state) || (record.step !== undefined && !record.step.accounted);
}
