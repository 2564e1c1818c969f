import { useCallback, useEffect, useState } from 'preact/hooks';
import { request } from '../api/http.js';
import { onReconnect } from '../api/live.js';
import { errorText } from '../format.js';
import type { TypedDocumentString } from '../generated/graphql.js';

export interface QueryState<TResult> {
  /** The last answer; kept while a refetch runs so the page does not blink. */
  data?: TResult;
  /** When the request that brought `data` was sent (`performance.now()`): live changes received after it are newer. */
  sentAt?: number;
  error?: string;
  loading: boolean;
  refetch(): void;
}

/**
 * Runs a query over HTTP whenever its variables change, again on `refetch()`, and again after the
 * live connection came back (seghub restarted: what the page shows may be stale). `null`
 * variables: nothing to ask yet.
 */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | null,
): QueryState<TResult> {
  const key = variables === null ? null : JSON.stringify(variables);
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ data?: TResult; sentAt?: number; error?: string; loading: boolean }>({
    loading: key !== null,
  });
  const refetch = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => onReconnect(refetch), [refetch]);

  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const sentAt = performance.now();
    request(document, JSON.parse(key) as TVariables, abort.signal).then(
      (data) => setState({ data, sentAt, loading: false }),
      (error: unknown) => {
        if (!abort.signal.aborted)
          setState((s) => ({ data: s.data, sentAt: s.sentAt, error: errorText(error), loading: false }));
      },
    );
    return () => abort.abort();
  }, [document, key, tick]);

  return { ...state, refetch };
}
