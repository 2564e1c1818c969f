import { type KvStore, MAX_TXN_OPS, type TxnOp, unchangedSince } from '../kv/kv.js';
import { readMany } from '../kv/read-many.js';
import { ContendedWriteError } from './conflict-error.js';
import { keys } from './keyspace.js';
import { type SeatRecord, seatRecordCodec } from './seat-schema.js';
import { type StoredSeat, toStoredSeat } from './stored-seat.js';

/**
 * Rewrites the records of many seats (labels in bulk, `setSeatLabels`): a seat is a compare and a
 * put, so a transaction carries 64 seats; a seat record is at most a few KiB (32 labels, 256
 * characters of description), so a chunk stays far below etcd's 1.5 MiB request limit. Each chunk
 * is atomic and compares every seat it writes with what it read: a chunk that loses to a concurrent
 * writer is read again and recomputed, so no concurrent change is overwritten.
 */

export const SEATS_PER_REWRITE_TXN = Math.floor(MAX_TXN_OPS / 2);
const CHUNK_ATTEMPTS = 20;

/** The seat's next record, or undefined to leave it as it is. May throw to stop the rewrite. */
export type SeatChange = (seat: StoredSeat) => SeatRecord | undefined;

export interface RewriteOutcome {
  /** Names whose record was written. */
  readonly changed: string[];
  /** Names that no seat has (any more); left alone. */
  readonly missing: string[];
}

export async function rewriteSeats(
  kv: KvStore,
  names: readonly string[],
  change: SeatChange,
): Promise<RewriteOutcome> {
  const outcome: RewriteOutcome = { changed: [], missing: [] };
  for (let i = 0; i < names.length; i += SEATS_PER_REWRITE_TXN) {
    await rewriteChunk(kv, names.slice(i, i + SEATS_PER_REWRITE_TXN), change, outcome);
  }
  return outcome;
}

async function rewriteChunk(
  kv: KvStore,
  names: readonly string[],
  change: SeatChange,
  outcome: RewriteOutcome,
): Promise<void> {
  for (let attempt = 1; attempt <= CHUNK_ATTEMPTS; attempt++) {
    const found = await readMany(kv, keys.seats, names.map(keys.seat));
    const compare = [];
    const success: TxnOp[] = [];
    const changed: string[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const held = found.get(keys.seat(name));
      if (!held) {
        missing.push(name);
        continue;
      }
      const seat = toStoredSeat(held);
      const next = change(seat);
      if (!next) continue;
      compare.push(unchangedSince(keys.seat(name), seat.modRevision));
      success.push({ type: 'put' as const, key: keys.seat(name), value: seatRecordCodec.encode(next) });
      changed.push(name);
    }
    if (success.length > 0 && !(await kv.txn({ compare, success })).succeeded) continue;
    outcome.changed.push(...changed);
    outcome.missing.push(...missing);
    return;
  }
  throw new ContendedWriteError(
    `seat records kept changing under a bulk rewrite (${CHUNK_ATTEMPTS} attempts)`,
  );
}
