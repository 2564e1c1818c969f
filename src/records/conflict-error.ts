/**
 * A conditional write found the record changed since it was read (another writer, or a leader that
 * lost its term). Nothing was written: re-read and decide again. Reconcilers throw it so that the
 * work queue retries the key with backoff.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
}
