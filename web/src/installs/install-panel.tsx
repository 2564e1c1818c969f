import { useEffect, useState } from 'preact/hooks';
import { StartInstall } from '../api/documents.js';
import { request } from '../api/http.js';
import { describeError, errorText } from '../format.js';
import { useAllSeats } from '../seats/use-all-seats.js';
import { SeatPicker } from './seat-picker.js';

interface InstallPanelProps {
  segmentId: string;
  synced: boolean;
  /** Seats the segment is on now: installSegment sets the exact set, so they start ticked. */
  installedSeatIds: readonly string[];
  /** An install of this segment has not ended: the next one waits for it. */
  running: boolean;
  onStarted(recordId: string): void;
}

export function InstallPanel({ segmentId, synced, installedSeatIds, running, onStarted }: InstallPanelProps) {
  const { seats, error: seatsError } = useAllSeats();
  const installedKey = installedSeatIds.join(',');
  const [selected, setSelected] = useState<Set<string>>(() => new Set(installedSeatIds));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => setSelected(new Set(installedSeatIds)), [segmentId, installedKey]);

  const installed = new Set(installedSeatIds);
  const toInstall = [...selected].filter((id) => !installed.has(id)).length;
  const toUninstall = installedSeatIds.filter((id) => !selected.has(id)).length;
  const changes = toInstall + toUninstall;

  async function start() {
    setBusy(true);
    setError(undefined);
    try {
      const { installSegment: result } = await request(StartInstall, {
        id: segmentId,
        seatIds: [...selected],
      });
      if (result.__typename === 'InstallSegmentSuccess') {
        if (result.record) onStarted(result.record.id);
        else setError('Nothing to do: the segment is already on exactly these seats.');
      } else if (result.__typename === 'InstallInProgressError') {
        setError(describeError(result));
        onStarted(result.recordId);
      } else {
        setError(describeError(result));
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="install-panel" aria-labelledby="install-title">
      <h3 id="install-title">Install on seats</h3>
      {/* Always one line, whatever it says: the panel must not move when an install starts or ends. */}
      <p class="message" role="status">
        {!synced
          ? 'Installs start once the segment is synced to SDP.'
          : running
            ? 'An install is running; the next one can start when it ends.'
            : 'Choose the seats that should have this segment.'}
      </p>
      {seatsError && (
        <p class="message error" role="alert">
          {seatsError}
        </p>
      )}
      {seats && (
        <SeatPicker seats={seats} selected={selected} onChange={setSelected} disabled={!synced || busy} />
      )}
      <div class="actions">
        <span class="num muted">
          {selected.size} selected · {toInstall} to install · {toUninstall} to uninstall
        </span>
        <button
          type="button"
          class="primary"
          disabled={!synced || running || busy || changes === 0}
          onClick={start}
        >
          Start install
        </button>
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
