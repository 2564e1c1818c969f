import { RolloutForm } from './rollout-form.js';
import { RolloutList } from './rollout-list.js';
import { RolloutView } from './rollout-view.js';

/** `#/rollouts`: every rollout and the form for a new one; `#/rollouts/<id>`: that rollout, live. */
export function RolloutsView({ rolloutId }: { rolloutId?: string }) {
  if (rolloutId) return <RolloutView key={rolloutId} id={rolloutId} />;
  return (
    <section class="panel" aria-labelledby="rollouts-title">
      <h2 id="rollouts-title">Rollouts</h2>
      <details class="rollout-create">
        <summary>New rollout</summary>
        <RolloutForm />
      </details>
      <RolloutList label="Rollouts" />
    </section>
  );
}
