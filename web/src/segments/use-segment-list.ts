import { useEffect, useRef, useState } from 'preact/hooks';
import { SegmentChanged, SegmentsPage } from '../api/documents.js';
import { subscribe } from '../api/live.js';
import type { SegmentFilter, SegmentRowFieldsFragment } from '../generated/graphql.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useQuery } from '../hooks/use-query.js';

const PAGE_SIZE = 20;

/** A live change to a row on the page, and when it arrived. */
interface Patch {
  readonly segment: SegmentRowFieldsFragment;
  readonly at: number;
}

/**
 * One page of the segments table, kept live: a change to a segment on the page is applied in
 * place (no refetch, no jump); a segment that appears or goes makes the page refetch, since it
 * may shift what belongs on it.
 */
export function useSegmentList(filter: SegmentFilter, onChange: (segment: SegmentRowFieldsFragment) => void) {
  const pages = useCursorPages();
  const filterKey = JSON.stringify(filter);
  const {
    data,
    sentAt = 0,
    error,
    refetch,
  } = useQuery(SegmentsPage, {
    first: PAGE_SIZE,
    after: pages.after,
    filter,
  });
  const [patches, setPatches] = useState<ReadonlyMap<string, Patch>>(new Map());

  useEffect(() => pages.reset(), [filterKey]);
  // A page sent for after a change includes it; a change that arrived while the page was on its way
  // is newer than the page and stays (dropping it left a row PENDING that had long been SYNCED).
  useEffect(() => setPatches((p) => new Map([...p].filter(([, patch]) => patch.at > sentAt))), [data]);

  const rows =
    data?.segments.edges.map(({ node }) => {
      const patch = patches.get(node.id);
      return patch && patch.at > sentAt ? patch.segment : node;
    }) ?? [];
  const onPage = new Set(rows.map((r) => r.id));

  const latest = useRef({ onPage, refetch, onChange });
  latest.current = { onPage, refetch, onChange };
  const refetchSoon = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const stop = subscribe(
      SegmentChanged,
      {},
      {
        next: ({ segmentUpdated: segment }) => {
          latest.current.onChange(segment);
          if (!segment.deleted && latest.current.onPage.has(segment.id)) {
            setPatches((p) => new Map(p).set(segment.id, { segment, at: performance.now() }));
            return;
          }
          // An upload or a delete sends several events in a row: one refetch for them all.
          clearTimeout(refetchSoon.current);
          refetchSoon.current = setTimeout(() => latest.current.refetch(), 200);
        },
      },
    );
    return () => {
      stop();
      clearTimeout(refetchSoon.current);
    };
  }, []);

  return {
    rows,
    loaded: data !== undefined,
    error,
    totalCount: data?.segments.totalCount,
    hasNext: data?.segments.pageInfo.hasNextPage ?? false,
    page: pages.page,
    hasPrevious: pages.hasPrevious,
    previous: pages.previous,
    next: () => {
      const cursor = data?.segments.pageInfo.endCursor;
      if (cursor) pages.next(cursor);
    },
    refetch,
  };
}
