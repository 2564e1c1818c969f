import { formatDate } from '../format.js';
import type { RolloutViewFieldsFragment } from '../generated/graphql.js';

/** Who approved which wave, and the rollout's events (who did what, when and why), newest first. */
export function RolloutTimeline({ rollout }: { rollout: RolloutViewFieldsFragment }) {
  const events = [...rollout.events].reverse();
  return (
    <div class="rollout-timeline">
      <section aria-labelledby="approvals-title">
        <h3 id="approvals-title">Approvals</h3>
        {rollout.approvals.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul aria-label="Approvals">
            {rollout.approvals.map((approval) => (
              <li key={`${approval.wave}-${approval.at}`}>
                Wave {approval.wave + 1} approved by <strong>{approval.by}</strong> {formatDate(approval.at)}
                {approval.note && ` — ${approval.note}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="events-title">
        <h3 id="events-title">Timeline</h3>
        <ol aria-label="Timeline" class="timeline">
          {events.map((event, i) => (
            <li key={`${event.at}-${i}`}>
              <time dateTime={event.at}>{formatDate(event.at)}</time> <span class="mono">{event.kind}</span>{' '}
              {event.message}
              {event.by && <span class="muted"> · {event.by}</span>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
