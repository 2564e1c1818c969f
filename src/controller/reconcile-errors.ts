import { KvError } from '../kv/kv.js';
import { ConflictError } from '../records/conflict-error.js';
import { SdpError } from '../sdp/errors.js';

/**
 * Whether an error thrown out of a reconcile may go away by itself: the store or SDP unreachable, a
 * lost write race, an I/O error, a shutdown. The work queue retries those with backoff. Anything
 * else — a RangeError, a TypeError, a record that does not decode — fails the same way on every
 * attempt, and retrying it would loop forever without a trace on the record.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof KvError || error instanceof ConflictError || error instanceof SdpError) return true;
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** The reason an operator reads for a failure that is not a domain outcome. */
export function internalReason(error: unknown): string {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error, not retried: ${detail}`;
}
