import { SyncBadge } from '../components/badges.js';
import { formatBytes, TARGET_LABELS } from '../format.js';
import type { SegmentRowFieldsFragment } from '../generated/graphql.js';
import { LifecycleBadge, TamperedBadge } from '../trust/trust-badges.js';

interface SegmentTableProps {
  segments: readonly SegmentRowFieldsFragment[];
  selectedId?: string;
  loaded: boolean;
  onSelect(id: string): void;
}

export function SegmentTable({ segments, selectedId, loaded, onSelect }: SegmentTableProps) {
  return (
    <div class="table-wrap">
      <table aria-label="Segments" class="segments">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col" class="col-optional">
              Format / target
            </th>
            <th scope="col" class="num col-optional">
              Size
            </th>
            <th scope="col">Lifecycle</th>
            <th scope="col">Sync</th>
            <th scope="col" class="num">
              Seats
            </th>
          </tr>
        </thead>
        <tbody>
          {segments.map((segment) => (
            <SegmentRow
              key={segment.id}
              segment={segment}
              selected={segment.id === selectedId}
              onSelect={onSelect}
            />
          ))}
          {loaded && segments.length === 0 && (
            <tr>
              <td colSpan={7} class="empty">
                No segment matches. Upload one above.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

interface SegmentRowProps {
  segment: SegmentRowFieldsFragment;
  selected: boolean;
  onSelect(id: string): void;
}

function SegmentRow({ segment, selected, onSelect }: SegmentRowProps) {
  const deleting = segment.deleteStatus === 'PROCESSING';
  return (
    <tr aria-selected={selected} class={deleting ? 'row-deleting' : undefined}>
      <td>
        <button
          type="button"
          class="link row-open"
          onClick={() => onSelect(segment.id)}
          aria-label={`Open ${segment.name} ${segment.version}`}
        >
          {segment.name}
        </button>
      </td>
      <td class="mono">{segment.version}</td>
      <td class="col-optional">
        {segment.format} <span class="muted">→ {TARGET_LABELS[segment.target]}</span>
      </td>
      <td class="num col-optional">{formatBytes(segment.size)}</td>
      <td>
        <LifecycleBadge lifecycle={segment.lifecycle} />
        <TamperedBadge integrity={segment.integrity} />
      </td>
      <td>
        <SyncBadge status={segment.sync.status} />
        {deleting && <span class="badge badge-pending">Deleting</span>}
        {segment.sync.status !== 'SYNCED' && segment.sync.attempts > 0 && (
          <span class="muted num"> {segment.sync.attempts} failed</span>
        )}
        {segment.sync.lastError && (
          <div class="cell-error" title={segment.sync.lastError}>
            {segment.sync.lastError}
          </div>
        )}
      </td>
      <td class="num">{segment.installedSeatCount}</td>
    </tr>
  );
}
