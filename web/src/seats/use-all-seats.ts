import { useEffect, useState } from 'preact/hooks';
import { SeatsPage } from '../api/documents.js';
import { request } from '../api/http.js';
import { onReconnect } from '../api/live.js';
import { errorText } from '../format.js';
import type { SeatsPageQuery } from '../generated/graphql.js';

export interface SeatChoice {
  id: string;
  name: string;
  ip: string;
}

/** The API's largest page: fewest round trips when a picker needs every seat. */
const PAGE_SIZE = 500;

/** Every seat, page after page: an install picks among all of them, not one page. */
export function useAllSeats(): { seats?: SeatChoice[]; error?: string; reload(): void } {
  const [seats, setSeats] = useState<SeatChoice[]>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);

  useEffect(() => onReconnect(() => setTick((t) => t + 1)), []);

  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      const all: SeatChoice[] = [];
      let after: string | null = null;
      for (;;) {
        const answer: SeatsPageQuery = await request(SeatsPage, { first: PAGE_SIZE, after }, abort.signal);
        const page = answer.seats;
        all.push(...page.edges.map(({ node }) => ({ id: node.id, name: node.name, ip: node.ip })));
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
        after = page.pageInfo.endCursor;
      }
      return all;
    })().then(
      (all) => {
        setSeats(all);
        setError(undefined);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(errorText(e));
      },
    );
    return () => abort.abort();
  }, [tick]);

  return { seats, error, reload: () => setTick((t) => t + 1) };
}
