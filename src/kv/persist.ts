import { retryUntilDone } from '../util/backoff.js';
import { StoreUnavailableError } from './kv.js';

const OUTAGE_RETRY_MS = 250;

/**
 * Retries `fn` through store outages until `stop` aborts. For leases' holders (a candidacy, a
 * leadership, a membership): the lease, not one failed call, decides when they end.
 */
export function persist<T>(fn: () => Promise<T>, stop: AbortSignal): Promise<T> {
  return retryUntilDone(fn, {
    baseMs: OUTAGE_RETRY_MS,
    maxMs: OUTAGE_RETRY_MS,
    signal: stop,
    isPermanent: (error) => !(error instanceof StoreUnavailableError),
  });
}
