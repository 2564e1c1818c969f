import { StoreCorruptedError } from './errors.js';

/** One key change of a committed transaction, as written to the log and replayed from it. */
export type Change =
  | { type: 'put'; key: string; value: string; lease?: string }
  | { type: 'delete'; key: string };

/**
 * A log record. Transactions log their resulting changes rather than their requests, so replay
 * never re-evaluates compares and cannot diverge from what was acknowledged.
 */
export type LogRecord =
  /** A changing transaction; `revokedLease` rides along so a lease and its keys go in one record. */
  | { t: 'txn'; rev: number; changes: Change[]; revokedLease?: string }
  | { t: 'grant'; lease: string; ttl: number }
  /** A lease revoked or expired while it had no keys (no revision is used). */
  | { t: 'revoke'; lease: string }
  | { t: 'compact'; rev: number };

export function encodeRecord(record: LogRecord): Buffer {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

/** Parses a record whose checksum already matched; a bad shape means a bug or a foreign file. */
export function decodeRecord(payload: Buffer, where: string): LogRecord {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new StoreCorruptedError(`${where}: record is not valid JSON`, { cause: err });
  }
  if (!isLogRecord(value)) throw new StoreCorruptedError(`${where}: unknown record shape`);
  return value;
}

function isLogRecord(value: unknown): value is LogRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  switch (r.t) {
    case 'txn':
      return Number.isSafeInteger(r.rev) && Array.isArray(r.changes) && r.changes.every(isChange);
    case 'grant':
      return typeof r.lease === 'string' && typeof r.ttl === 'number';
    case 'revoke':
      return typeof r.lease === 'string';
    case 'compact':
      return Number.isSafeInteger(r.rev);
    default:
      return false;
  }
}

function isChange(value: unknown): value is Change {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  if (typeof c.key !== 'string') return false;
  if (c.type === 'delete') return true;
  return (
    c.type === 'put' && typeof c.value === 'string' && (c.lease === undefined || typeof c.lease === 'string')
  );
}
