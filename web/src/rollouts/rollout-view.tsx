import { ProgressBar } from '../components/progress-bar.js';
import { formatDate } from '../format.js';
import type { RolloutViewFieldsFragment } from '../generated/graphql.js';
import { RolloutActions } from './rollout-actions.js';
import { RolloutSeats } from './rollout-seats.js';
import { RolloutTimeline } from './rollout-timeline.js';
import { RolloutWaves } from './rollout-waves.js';
import { useRollout } from './use-rollout.js';

/** One rollout, live: state and why, waves, breach, approvals, timeline, seats, and the controls. */
export function RolloutView({ id }: { id: string }) {
  const { rollout, version, missing, error, applyAnswer } = useRollout(id);
  return (
    <section class="panel" aria-labelledby="rollout-title">
      <p>
        <a href="#/rollouts">All rollouts</a>
      </p>
      <h2 id="rollout-title">
        {rollout ? `Rollout of ${rollout.segmentName} ${rollout.version}` : 'Rollout'}
      </h2>
      {missing && <p class="message">This rollout does not exist.</p>}
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {rollout && (
        <>
          <RolloutHead rollout={rollout} />
          <RolloutActions rollout={rollout} onAnswer={applyAnswer} />
          <RolloutWaves rollout={rollout} />
          <RolloutTimeline rollout={rollout} />
          <RolloutSeats rolloutId={rollout.id} version={version} />
        </>
      )}
    </section>
  );
}

function RolloutHead({ rollout }: { rollout: RolloutViewFieldsFragment }) {
  const { summary } = rollout;
  const breach = breachOf(rollout);
  return (
    <>
      <dl class="rollout-facts" aria-label="Rollout">
        <div>
          <dt>State</dt>
          <dd data-testid="rollout-state">{rollout.state}</dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{rollout.group ? `group ${rollout.group}` : rollout.selector}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            {formatDate(rollout.createdAt)} by {rollout.createdBy}
          </dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd>
            {rollout.maxFailurePercent} % failed per wave, then {rollout.onFailure.toLowerCase()}
          </dd>
        </div>
        {rollout.nextWaveAt && (
          <div>
            <dt>Next look</dt>
            <dd>{formatDate(rollout.nextWaveAt)}</dd>
          </div>
        )}
      </dl>
      {rollout.pausedReason && (
        <p class="message" role="status">
          Paused ({rollout.pausedCause?.toLowerCase()}): {rollout.pausedReason}
        </p>
      )}
      {breach && <p class="message error">Breach: {breach}</p>}
      {rollout.error && <p class="message error">Failed: {rollout.error}</p>}
      {rollout.rollback && (
        <p class="message">
          Rollback by {rollout.rollback.by} ({rollout.rollback.reason}): {rollout.rollback.stepsDone} of{' '}
          {rollout.rollback.steps} steps done
        </p>
      )}
      <ProgressBar
        label="Rollout progress"
        percent={rollout.percent}
        tone={summary.failed + summary.timedOut + summary.notReverted > 0 ? 'failure' : 'normal'}
        detail={`${summary.succeeded} succeeded · ${summary.failed} failed · ${summary.timedOut} timed out · ${summary.running} running · ${summary.pending} pending · ${summary.skipped} skipped · ${summary.rolledBack} rolled back · ${summary.notReverted} not reverted`}
      />
    </>
  );
}

/** The newest breach event, once a wave's failures passed the threshold (what paused or reverted it). */
function breachOf(rollout: RolloutViewFieldsFragment): string | undefined {
  const event = rollout.events.findLast((e) => e.kind === 'BREACH');
  return event?.message;
}
