import { InstallStatusBadge } from '../components/badges.js';
import { formatDate } from '../format.js';
import type { InstallRecordFieldsFragment } from '../generated/graphql.js';

interface InstallHistoryProps {
  records: readonly InstallRecordFieldsFragment[];
  shownId?: string;
  onShow(recordId: string): void;
}

/** Install records of the segment, newest first, with their outcome. */
export function InstallHistory({ records, shownId, onShow }: InstallHistoryProps) {
  return (
    <section aria-labelledby="history-title">
      <h3 id="history-title">Past installs</h3>
      {records.length === 0 ? (
        <p class="muted">No install yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="install-records" aria-label="Install records">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="num">
                  Seats
                </th>
                <th scope="col">
                  <span class="visually-hidden">Log</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr key={record.id} aria-current={record.id === shownId ? 'true' : undefined}>
                  <td>{formatDate(record.createdAt)}</td>
                  <td>
                    <InstallStatusBadge status={record.status} />
                    {record.error && <div class="cell-error">{record.error}</div>}
                  </td>
                  <td class="num" title={describeSeats(record)}>
                    +{record.installSeatNames.length} −{record.uninstallSeatNames.length}
                  </td>
                  <td>
                    <button type="button" class="link" onClick={() => onShow(record.id)}>
                      Show log
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function describeSeats(record: InstallRecordFieldsFragment): string {
  const parts = [];
  if (record.installSeatNames.length) parts.push(`install on ${record.installSeatNames.join(', ')}`);
  if (record.uninstallSeatNames.length) parts.push(`uninstall from ${record.uninstallSeatNames.join(', ')}`);
  return parts.join('; ') || 'no seats';
}
