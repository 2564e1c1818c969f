import { useEffect, useRef } from 'preact/hooks';
import { InstallStatusBadge, SeatStateBadge } from '../components/badges.js';
import { ProgressBar } from '../components/progress-bar.js';
import { formatDate } from '../format.js';
import type { InstallSeatFieldsFragment } from '../generated/graphql.js';
import { useInstallLog } from './use-install-log.js';

/** Rendering 10,000 rows would freeze the page; failures are always among those shown. */
const MAX_SEAT_ROWS = 200;

interface InstallProgressProps {
  recordId: string;
  onEnded?(): void;
}

export function InstallProgress({ recordId, onEnded }: InstallProgressProps) {
  const { log, seats, ended, missing, error } = useInstallLog(recordId, onEnded);
  const section = useRef<HTMLElement>(null);
  // Shown below the seat picker: bring it into view when an install is started or picked.
  useEffect(() => section.current?.scrollIntoView({ block: 'nearest' }), []);
  const all = [...seats.values()];
  const shown = pickRows(all);
  const summary = log?.summary;
  const anyFailed = (summary?.failed ?? 0) > 0;

  return (
    <section ref={section} class="install-progress" aria-label="Install progress">
      {/* Nothing may move while the install runs and when it ends. The status word changes width
          (Running → Succeeded is 16 px wider) and nothing follows it on its line: the start time has
          a line of its own from the first render, so no text wraps onto a new line when the word
          changes. Whether it fitted beside the word depended on the date's length (Dec 7 vs Dec 17). */}
      <header class="install-progress-head">
        <h4>Install progress</h4>
        {log && <InstallStatusBadge status={log.status} />}
        <p class="install-progress-time muted">
          {log?.startedAt ? `Started ${formatDate(log.startedAt)}` : '\u00a0'}
        </p>
        {log?.timedOutAt && <p class="message error">Timed out {formatDate(log.timedOutAt)}</p>}
      </header>
      {missing && <p class="message">This install record no longer exists.</p>}
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {log && summary && (
        <>
          <ProgressBar
            label="Overall progress"
            percent={log.percent}
            tone={anyFailed ? 'failure' : log.percent === 100 ? 'success' : 'normal'}
            detail={`${summary.succeeded + summary.failed} of ${summary.total} ${summary.total === 1 ? 'seat' : 'seats'}`}
          />
          <dl class="summary" aria-label="Seats by state">
            <SummaryCell label="Done" value={summary.succeeded} />
            <SummaryCell label="Failed" value={summary.failed} tone={anyFailed ? 'failure' : undefined} />
            <SummaryCell label="Running" value={summary.running} />
            <SummaryCell label="Pending" value={summary.pending} />
          </dl>
        </>
      )}
      <ul class="seat-progress" aria-label="Progress per seat">
        {shown.map((seat) => (
          <SeatRow key={`${seat.action}:${seat.seatName}`} seat={seat} />
        ))}
      </ul>
      {shown.length < all.length && (
        <p class="message">
          Showing {shown.length} of {all.length} seats (every failed one among them).
        </p>
      )}
      {/* Its line is kept from the start (a no-break space holds its height) so that the records
          below do not move down when the install ends. */}
      {log && <p class="message">{ended ? `Finished ${formatDate(log.finishedAt)}.` : '\u00a0'}</p>}
    </section>
  );
}

function SummaryCell({ label, value, tone }: { label: string; value: number; tone?: 'failure' }) {
  return (
    <div class={tone === 'failure' ? 'summary-cell failure' : 'summary-cell'}>
      <dt>{label}</dt>
      <dd class="num">{value}</dd>
    </div>
  );
}

function SeatRow({ seat }: { seat: InstallSeatFieldsFragment }) {
  const failed = seat.state === 'FAILED';
  const verb = seat.action === 'UNINSTALL' ? 'Uninstall' : 'Install';
  return (
    <li class={failed ? 'seat-row failed' : 'seat-row'}>
      <span class="seat-name" title={seat.seatName}>
        {seat.seatName}
        {seat.action === 'UNINSTALL' && <span class="muted"> (uninstall)</span>}
      </span>
      <SeatStateBadge state={seat.state} />
      <ProgressBar
        label={`${verb} progress of ${seat.seatName}`}
        percent={seat.percent}
        tone={failed ? 'failure' : seat.state === 'SUCCEEDED' ? 'success' : 'normal'}
      />
      {seat.error && <span class="seat-error">{seat.error}</span>}
    </li>
  );
}

/** Stable order (no rows jumping while states change), failures kept when the list is cut. */
function pickRows(seats: InstallSeatFieldsFragment[]): InstallSeatFieldsFragment[] {
  if (seats.length <= MAX_SEAT_ROWS) return seats;
  const failed = seats.filter((s) => s.state === 'FAILED').slice(0, MAX_SEAT_ROWS);
  const room = MAX_SEAT_ROWS - failed.length;
  const others = seats.filter((s) => s.state !== 'FAILED').slice(0, room);
  const keep = new Set([...failed, ...others]);
  return seats.filter((s) => keep.has(s));
}
