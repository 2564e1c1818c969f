import type { UnavailableMark } from '../util/unavailable.js';

/**
 * A conditional write found the record changed since it was read (another writer, or a leader that
 * lost its term). Nothing was written: re-read and decide again. Reconcilers throw it so that the
 * work queue retries the key with backoff.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/**
 * A write lost to other writers of the same records every time it was tried. Nothing was written and
 * the request may well succeed later, so it is answered like a store that cannot take the write now:
 * a top-level `STORE_UNAVAILABLE` with HTTP 503 and Retry-After, not a masked internal error.
 */
export class ContendedWriteError extends Error implements UnavailableMark {
  override name = 'ContendedWriteError';
  readonly unavailable = 'STORE_UNAVAILABLE' as const;
}
