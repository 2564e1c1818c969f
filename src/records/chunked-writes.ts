import { randomBytes } from 'node:crypto';
import { type Compare, type KvStore, MAX_REQUEST_BYTES, MAX_TXN_OPS, type TxnOp } from '../kv/kv.js';

/**
 * D2: no stored value over 256 KiB, and no request over etcd's limits. Seat lists, install plans and
 * logs are split into chunks of this many seats (500 names of at most 253 characters stay under
 * 128 KiB); lists this short or shorter stay inline in their record.
 */
export const SEAT_CHUNK_SIZE = 500;

/**
 * What one batch of chunks may carry: well under etcd's limits (`MAX_TXN_OPS`, `MAX_REQUEST_BYTES`),
 * leaving room for the ops and compares of the transaction that ends the write.
 */
const TXN_MAX_OPS = MAX_TXN_OPS - 28;
const TXN_MAX_BYTES = (MAX_REQUEST_BYTES * 2) / 3;

export function chunksOf<T>(items: readonly T[], size = SEAT_CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let from = 0; from < items.length; from += size) out.push(items.slice(from, from + size));
  return out;
}

/** Names one write of chunks: a later write uses another, so a head never sees its chunks change. */
export function newChunkNonce(): string {
  return randomBytes(6).toString('base64url');
}

function opBytes(op: TxnOp): number {
  if (op.type === 'put') return op.key.length + op.value.length + 16;
  return (op.type === 'deletePrefix' ? op.prefix : op.key).length + 16;
}

function fits(ops: readonly TxnOp[], alongside: readonly TxnOp[]): boolean {
  if (ops.length + alongside.length > TXN_MAX_OPS) return false;
  let bytes = 0;
  for (const op of ops) bytes += opBytes(op);
  for (const op of alongside) bytes += opBytes(op);
  return bytes <= TXN_MAX_BYTES;
}

/** Splits ops into batches that each fit one transaction. */
function batches(ops: readonly TxnOp[]): TxnOp[][] {
  const out: TxnOp[][] = [];
  let batch: TxnOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    const size = opBytes(op);
    if (batch.length > 0 && (batch.length >= TXN_MAX_OPS || bytes + size > TXN_MAX_BYTES)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(op);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * Chunk writes that must land before a final transaction: when they fit in it alongside `final`,
 * they are returned to be put there (one atomic write); otherwise they are written first, in as many
 * transactions as needed, each under `compare`, and nothing is returned. Undefined when a compare
 * failed: the caller's read is stale, and whatever was written ahead is for it to discard.
 *
 * Safe only for keys no reader follows until the final transaction names them (nonce'd chunks), or
 * whose early arrival a reader tolerates (log chunks, which only move forward).
 */
export async function writeAhead(
  kv: KvStore,
  compare: Compare[],
  chunks: readonly TxnOp[],
  final: readonly TxnOp[],
): Promise<TxnOp[] | undefined> {
  if (fits(chunks, final)) return [...chunks];
  for (const batch of batches(chunks)) {
    const result = await kv.txn({ compare, success: batch });
    if (!result.succeeded) return undefined;
  }
  return [];
}

/** Removes what a lost write put ahead; a failure only leaves it for the owner's deletion. */
export async function discardAhead(kv: KvStore, prefix: string): Promise<void> {
  await kv.deletePrefix(prefix).catch(() => {});
}
