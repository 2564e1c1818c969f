import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Pager } from '../components/pager.js';
import type { SegmentFilter, SegmentRowFieldsFragment, SyncStatus } from '../generated/graphql.js';
import { useDebounced } from '../hooks/use-debounced.js';
import { SegmentDetail } from './segment-detail.js';
import { SegmentTable } from './segment-table.js';
import { UploadForm } from './upload-form.js';
import { useSegmentList } from './use-segment-list.js';

export function SegmentsView() {
  const [search, setSearch] = useState('');
  const [syncStatus, setSyncStatus] = useState<SyncStatus | ''>('');
  const nameContains = useDebounced(search.trim(), 250);
  const filter: SegmentFilter = {
    ...(nameContains && { nameContains }),
    ...(syncStatus && { syncStatus }),
  };
  const [selectedId, setSelectedId] = useState<string>();
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState('');
  const selected = useRef(selectedId);
  selected.current = selectedId;

  const onChange = useCallback((segment: SegmentRowFieldsFragment) => {
    if (segment.id !== selected.current) return;
    if (segment.deleted) {
      setSelectedId(undefined);
      setNotice(`Deleted ${segment.name} ${segment.version}.`);
    } else {
      setRevision((r) => r + 1);
    }
  }, []);
  const list = useSegmentList(filter, onChange);

  const detailPanel = useRef<HTMLElement>(null);
  const scrollToDetail = useRef(false);

  function select(id: string, scroll = false) {
    setSelectedId(id);
    setNotice('');
    setRevision(0);
    scrollToDetail.current = scroll;
  }

  // On a narrow screen the details sit below the table: bring them into view when a row is opened.
  useEffect(() => {
    if (!selectedId || !scrollToDetail.current) return;
    scrollToDetail.current = false;
    if (window.matchMedia('(max-width: 1099px)').matches)
      detailPanel.current?.scrollIntoView({ block: 'start' });
  }, [selectedId]);

  return (
    <div class={selectedId ? 'segments-layout with-detail' : 'segments-layout'}>
      <section class="panel" aria-labelledby="segments-title">
        <h2 id="segments-title">Segments</h2>
        <UploadForm
          onUploaded={(segment) => {
            list.refetch();
            select(segment.id);
          }}
        />
        <search class="toolbar">
          <label>
            Search segments
            <input
              type="search"
              value={search}
              onInput={(e) => setSearch(e.currentTarget.value)}
              placeholder="name"
            />
          </label>
          <label>
            Sync status
            <select
              value={syncStatus}
              onChange={(e) => setSyncStatus(e.currentTarget.value as SyncStatus | '')}
            >
              <option value="">Any</option>
              <option value="SYNCED">Synced</option>
              <option value="PENDING">Pending</option>
              <option value="FAILED">Failed</option>
            </select>
          </label>
        </search>
        {list.error && (
          <p class="message error" role="alert">
            {list.error}
          </p>
        )}
        <p class="message" role="status">
          {notice}
        </p>
        <SegmentTable
          segments={list.rows}
          selectedId={selectedId}
          loaded={list.loaded}
          onSelect={(id) => select(id, true)}
        />
        <Pager
          noun="segments"
          page={list.page}
          totalCount={list.totalCount}
          hasPrevious={list.hasPrevious}
          hasNext={list.hasNext}
          onPrevious={list.previous}
          onNext={list.next}
        />
      </section>
      {selectedId && (
        <section ref={detailPanel} class="panel detail-panel" aria-label="Segment details">
          <SegmentDetail
            key={selectedId}
            id={selectedId}
            revision={revision}
            onSelect={select}
            onClose={() => setSelectedId(undefined)}
          />
        </section>
      )}
    </div>
  );
}
