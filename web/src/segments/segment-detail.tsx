import { useEffect, useState } from 'preact/hooks';
import { SegmentDetail as SegmentDetailQuery } from '../api/documents.js';
import { SyncBadge } from '../components/badges.js';
import { formatBytes, formatDate, TARGET_LABELS } from '../format.js';
import { useQuery } from '../hooks/use-query.js';
import { InstallHistory } from '../installs/install-history.js';
import { InstallPanel } from '../installs/install-panel.js';
import { InstallProgress } from '../installs/install-progress.js';
import { SegmentTrust } from '../trust/segment-trust.js';
import { SegmentActions } from './segment-actions.js';

interface SegmentDetailProps {
  id: string;
  /** Bumped by the page when a live event touched this segment. */
  revision: number;
  onSelect(id: string): void;
  onClose(): void;
}

export function SegmentDetail({ id, revision, onSelect, onClose }: SegmentDetailProps) {
  const { data, error, refetch } = useQuery(SegmentDetailQuery, { id });
  const segment = data?.segment;
  const [shownRecord, setShownRecord] = useState<string>();

  useEffect(() => {
    if (revision > 0) refetch();
  }, [revision]);

  // Follow the install that is running when the segment is opened, if any.
  const running = segment?.installRecords.find((r) => r.status === 'RUNNING' || r.status === 'PENDING');
  useEffect(() => setShownRecord(undefined), [id]);
  const recordId = shownRecord ?? running?.id;

  if (error && !segment) {
    return (
      <p class="message error" role="alert">
        {error}
      </p>
    );
  }
  if (!data) return <p class="muted">Loading…</p>;
  if (!segment) {
    return (
      <p class="message">
        This segment is gone.{' '}
        <button type="button" class="link" onClick={onClose}>
          Close
        </button>
      </p>
    );
  }

  return (
    <article class="detail" aria-labelledby="detail-title">
      <header class="detail-head">
        <h2 id="detail-title">
          {segment.name} <span class="muted">{segment.version}</span>
        </h2>
        <button type="button" class="link" onClick={onClose} aria-label="Close segment details">
          Close
        </button>
      </header>
      {segment.description && <p>{segment.description}</p>}
      <dl class="facts">
        <dt>Sync</dt>
        <dd>
          <SyncBadge status={segment.sync.status} />
          {segment.sync.lastError && <span class="cell-error"> {segment.sync.lastError}</span>}
        </dd>
        <dt>Target</dt>
        <dd>
          {segment.format} → {TARGET_LABELS[segment.target]}
        </dd>
        <dt>File</dt>
        <dd>
          {segment.fileName} · <span class="num">{formatBytes(segment.size)}</span>
        </dd>
        <dt>SHA-256</dt>
        <dd class="mono ellipsis" title={segment.sha256}>
          {segment.sha256}
        </dd>
        <dt>Added</dt>
        <dd>
          {formatDate(segment.createdAt)}
          {!segment.isLocal && ' (found on SDP)'}
        </dd>
        <dt>Versions</dt>
        <dd>
          <ul class="versions" aria-label={`Versions of ${segment.name}`}>
            {segment.versions.map((v) => (
              <li key={v.id}>
                {v.id === segment.id ? (
                  <strong aria-current="true">{v.version}</strong>
                ) : (
                  <button type="button" class="link" onClick={() => onSelect(v.id)}>
                    {v.version}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <SegmentTrust segment={segment} onChanged={refetch} />
      <SegmentActions segment={segment} onChanged={refetch} />
      <InstallPanel
        segmentId={segment.id}
        synced={segment.sync.status === 'SYNCED' && segment.deleteStatus === 'NONE'}
        installedSeatIds={segment.seats.map((s) => s.id)}
        running={running !== undefined}
        onStarted={(record) => {
          setShownRecord(record);
          refetch();
        }}
      />
      {recordId && <InstallProgress key={recordId} recordId={recordId} onEnded={refetch} />}
      <InstallHistory records={segment.installRecords} shownId={recordId} onShow={setShownRecord} />
    </article>
  );
}
