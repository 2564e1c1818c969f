import { useEffect, useState } from 'preact/hooks';
import { InstallLogLive, InstallRecordLog } from '../api/documents.js';
import { request } from '../api/http.js';
import { subscribe } from '../api/live.js';
import { errorText } from '../format.js';
import type { InstallSeatFieldsFragment, LogProgressFieldsFragment } from '../generated/graphql.js';

export interface InstallLogView {
  log?: LogProgressFieldsFragment;
  /** Every seat of the record in the server's order (installs, then uninstalls), keyed by action and name. */
  seats: ReadonlyMap<string, InstallSeatFieldsFragment>;
  /** The subscription completed: the record ended (or never existed). */
  ended: boolean;
  missing: boolean;
  error?: string;
}

const EMPTY: InstallLogView = { seats: new Map(), ended: false, missing: false };

const seatKey = (seat: InstallSeatFieldsFragment) => `${seat.action}:${seat.seatName}`;

/**
 * Follows one install record live. Events carry only the seats that changed (all of them in the
 * first and last event), so seats are merged into what is known; a resubscription after a
 * reconnect starts again with every seat.
 */
export function useInstallLog(recordId: string, onEnded?: () => void): InstallLogView {
  const [view, setView] = useState<InstallLogView>(EMPTY);

  useEffect(() => {
    setView(EMPTY);
    let events = 0;
    const stop = subscribe(
      InstallLogLive,
      { recordId },
      {
        next: ({ installLogUpdated: { changedSeats, ...log } }) => {
          events++;
          setView((previous) => {
            const seats = new Map(previous.seats);
            for (const seat of changedSeats) seats.set(seatKey(seat), seat);
            return { ...previous, log, seats, error: undefined };
          });
        },
        error: (message) => setView((previous) => ({ ...previous, error: message })),
        complete: () => {
          if (events > 0) {
            setView((previous) => ({ ...previous, ended: true }));
            onEnded?.();
            return;
          }
          // An ended record answers with no event: read its log once instead.
          request(InstallRecordLog, { id: recordId }).then(
            ({ installRecord }) => {
              const log = installRecord?.log;
              if (!log) {
                setView({ ...EMPTY, ended: true, missing: !installRecord });
                return;
              }
              const { seats, ...progress } = log;
              setView({
                log: progress,
                seats: new Map(seats.map((s) => [seatKey(s), s])),
                ended: true,
                missing: false,
              });
            },
            (error: unknown) =>
              setView((previous) => ({ ...previous, ended: true, error: errorText(error) })),
          );
        },
      },
    );
    return stop;
  }, [recordId]);

  return view;
}
