import { useEffect, useRef, useState } from 'preact/hooks';
import { RolloutSeatsPage } from '../api/rollout-documents.js';
import { Pager } from '../components/pager.js';
import type { RolloutSeatState } from '../generated/graphql.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useQuery } from '../hooks/use-query.js';

const PAGE_SIZE = 50;
/** A busy rollout changes many times a second: the page is asked for at most this often. */
const REFRESH_MS = 300;

const SEAT_STATES: readonly RolloutSeatState[] = [
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'SKIPPED',
  'ROLLED_BACK',
  'NOT_REVERTED',
];

interface RolloutSeatsProps {
  rolloutId: string;
  /** Changes whenever the rollout does: the page is asked for again (no per-seat events exist). */
  version: number;
}

/** The rollout's seats in rollout order, optionally one state only, refreshed as the rollout moves. */
export function RolloutSeats({ rolloutId, version }: RolloutSeatsProps) {
  const [state, setState] = useState<RolloutSeatState | ''>('');
  const pages = useCursorPages();
  const { data, error, refetch } = useQuery(RolloutSeatsPage, {
    id: rolloutId,
    first: PAGE_SIZE,
    after: pages.after,
    state: state || null,
  });
  const lastRefresh = useRef(0);
  useEffect(() => {
    if (version <= 1) return;
    // Throttled, not debounced: a steady stream of changes must still refresh the page.
    const wait = Math.max(0, lastRefresh.current + REFRESH_MS - performance.now());
    const timer = setTimeout(() => {
      lastRefresh.current = performance.now();
      refetch();
    }, wait);
    return () => clearTimeout(timer);
  }, [version, refetch]);
  const seats = data?.rollout?.seats;

  return (
    <section aria-labelledby="rollout-seats-title">
      <h3 id="rollout-seats-title">Seats</h3>
      <div class="toolbar">
        <label>
          State
          <select
            value={state}
            onChange={(e) => {
              pages.reset();
              setState(e.currentTarget.value as RolloutSeatState | '');
            }}
          >
            <option value="">Every state</option>
            {SEAT_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table aria-label="Rollout seats">
          <thead>
            <tr>
              <th scope="col">Seat</th>
              <th scope="col">Wave</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Ran before</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {seats?.nodes.map((seat) => (
              <tr key={seat.seatName}>
                <th scope="row">{seat.seatName}</th>
                <td class="num">{seat.wave === null || seat.wave === undefined ? '—' : seat.wave + 1}</td>
                <td>
                  <span class={`badge badge-${seat.state.toLowerCase()}`}>{seat.state}</span>
                </td>
                <td class="num">{seat.attempts}</td>
                <td class="mono">{seat.fromVersions.join(', ') || 'nothing'}</td>
                <td>{seat.error}</td>
              </tr>
            ))}
            {seats?.nodes.length === 0 && (
              <tr>
                <td colSpan={6} class="empty">
                  No seat in this state.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        noun="seats"
        page={pages.page}
        totalCount={seats?.totalCount}
        hasPrevious={pages.hasPrevious}
        hasNext={seats?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => seats?.pageInfo.endCursor && pages.next(seats.pageInfo.endCursor)}
      />
    </section>
  );
}
