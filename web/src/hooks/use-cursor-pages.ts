import { useState } from 'preact/hooks';

/**
 * Forward-only cursors (`first`/`after`) made browsable both ways: the cursors of the pages seen
 * so far are kept, so "Previous" goes back to a known `after`.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  return {
    after,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    next: (endCursor: string) => setCursors((c) => [...c, endCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([null]),
  };
}
