/**
 * "A part seghub depends on cannot be reached now; the same request may succeed later." The store
 * (`kv/`) and the SDP client (`sdp/`) each have their own error hierarchy and know nothing of HTTP;
 * the HTTP layer knows neither of them. Their unavailability errors carry this mark, so that
 * `server/` can answer a typed, retryable error (HTTP 503 with Retry-After) without importing them.
 */
export type UnavailableCode = 'STORE_UNAVAILABLE' | 'SDP_UNAVAILABLE';

export interface UnavailableMark {
  readonly unavailable: UnavailableCode;
}

/** Wrappers keep what they wrap as `cause`; a chain longer than this is not followed. */
const MAX_CAUSE_DEPTH = 8;

/** The code of the first marked error in `error`'s cause chain, if any. */
export function unavailableCodeOf(error: unknown): UnavailableCode | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const mark = (current as Partial<UnavailableMark>).unavailable;
    if (mark === 'STORE_UNAVAILABLE' || mark === 'SDP_UNAVAILABLE') return mark;
    current = current.cause;
  }
  return undefined;
}
