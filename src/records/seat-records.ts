import { type Compare, type KvStore, MAX_TXN_OPS, type TxnOp, unchangedSince } from '../kv/kv.js';
import { readMany } from '../kv/read-many.js';
import { canonicalIp } from '../util/ip.js';
import { keys } from './keyspace.js';
import { type RewriteOutcome, rewriteSeats, type SeatChange } from './seat-rewrite.js';
import { type SeatWrite, type UpsertSeatsOutcome, upsertSeats } from './seat-upsert.js';
import { type StoredSeat, toStoredSeat } from './stored-seat.js';

export type { RewriteOutcome, SeatChange } from './seat-rewrite.js';
export type { SeatWrite, UpsertRefusal, UpsertSeatsOutcome } from './seat-upsert.js';
export { SEATS_PER_UPSERT_TXN } from './seat-upsert.js';
export { type StoredSeat, toStoredSeat } from './stored-seat.js';

export interface SeatPage {
  /** In name order. */
  readonly seats: StoredSeat[];
  readonly hasNextPage: boolean;
  /** Every seat, not only this page. */
  readonly totalCount: number;
}

export interface DeleteSeatsOutcome {
  /** Names gone from the store now, including any another writer removed meanwhile. */
  readonly deleted: string[];
  /**
   * False when a chunk's compares failed (the seat-bindings lock moved, or a seat changed): the
   * caller re-checks that the rest may still go and calls again with a fresh lock revision.
   */
  readonly complete: boolean;
}

const IP_INDEX_PREFIX = keys.seatIp('');
// Per seat: the seat key and its IP index key (compare and delete each), plus the lock once per txn.
const SEATS_PER_DELETE_TXN = Math.floor((MAX_TXN_OPS - 1) / 2);

/**
 * Seats in the store: `seats/<name>` holds the record, `seat-ips/<canonical ip>` the name of the
 * seat holding that address. Both change in one transaction, guarded by what was read, so the
 * index never names two seats for one address and never outlives its seat.
 */
export class SeatRecords {
  constructor(private readonly kv: KvStore) {}

  async get(name: string): Promise<StoredSeat | undefined> {
    const kv = await this.kv.get(keys.seat(name));
    return kv && toStoredSeat(kv);
  }

  /** The seats that exist among `names`, by name. */
  async getMany(names: readonly string[]): Promise<Map<string, StoredSeat>> {
    const found = await readMany(this.kv, keys.seats, names.map(keys.seat));
    const seats = new Map<string, StoredSeat>();
    for (const kv of found.values()) {
      const seat = toStoredSeat(kv);
      seats.set(seat.name, seat);
    }
    return seats;
  }

  /** Up to `first` seats after `afterName` (exclusive) in name order. */
  async page(first: number, afterName?: string): Promise<SeatPage> {
    // A range's count is what remains after its cursor: from the start that is the total, later
    // pages need a second (keys-only) count.
    const [page, total] = await Promise.all([
      this.kv.range(keys.seats, {
        // etcd reads a limit of 0 as "no limit"; one key still tells whether any follow.
        limit: Math.max(first, 1),
        ...(afterName === undefined ? {} : { startAfter: keys.seat(afterName) }),
      }),
      afterName === undefined ? undefined : this.count(),
    ]);
    const kvs = page.kvs.slice(0, Math.max(first, 0));
    return {
      seats: kvs.map(toStoredSeat),
      hasNextPage: page.count > kvs.length,
      totalCount: total ?? page.count,
    };
  }

  async count(): Promise<number> {
    return (await this.kv.range(keys.seats, { limit: 1, keysOnly: true })).count;
  }

  /** The seat holding the address (canonical form, see `util/ip.ts`). */
  async nameByIp(canonical: string): Promise<string | undefined> {
    return (await this.kv.get(keys.seatIp(canonical)))?.value;
  }

  /** `canonical ip → seat name` for those of `canonicals` that a seat holds. */
  async namesByIps(canonicals: readonly string[]): Promise<Map<string, string>> {
    const found = await readMany(this.kv, IP_INDEX_PREFIX, canonicals.map(keys.seatIp));
    return new Map([...found.values()].map((kv) => [kv.key.slice(IP_INDEX_PREFIX.length), kv.value]));
  }

  /**
   * Creates or changes seats by name. The input must already be valid and free of duplicate names
   * and addresses (the domain checks that); this checks it against the store. See `seat-upsert.ts`.
   */
  upsert(writes: readonly SeatWrite[], now: Date): Promise<UpsertSeatsOutcome> {
    return upsertSeats(this.kv, writes, now);
  }

  /** Rewrites existing seats' records (not their addresses) in atomic chunks; see `seat-rewrite.ts`. */
  rewrite(names: readonly string[], change: SeatChange): Promise<RewriteOutcome> {
    return rewriteSeats(this.kv, names, change);
  }

  /**
   * Deletes seats with their IP index keys, in transactions that each compare the seat-bindings
   * lock at `lockRevision` (bumping it, so the next chunk compares the revision this one wrote).
   * The caller checked that no seat is in use after reading that revision: an install created
   * since then has bumped the lock, and the delete stops instead of removing a seat it names.
   */
  async delete(names: readonly string[], lockRevision: number, now: Date): Promise<DeleteSeatsOutcome> {
    const deleted: string[] = [];
    let lock = lockRevision;
    for (let i = 0; i < names.length; i += SEATS_PER_DELETE_TXN) {
      const chunk = names.slice(i, i + SEATS_PER_DELETE_TXN);
      const revision = await this.deleteChunk(chunk, lock, now);
      if (revision === undefined) return { deleted, complete: false };
      deleted.push(...chunk);
      lock = revision;
    }
    return { deleted, complete: true };
  }

  /** The revision of the transaction (the lock's new modRevision), or undefined when a compare failed. */
  private async deleteChunk(names: readonly string[], lockRevision: number, now: Date) {
    const seats = await this.getMany(names);
    const ipKeys = [...seats.values()].flatMap((seat) => {
      const canonical = canonicalIp(seat.ip);
      return canonical === undefined ? [] : [keys.seatIp(canonical)];
    });
    const index = await readMany(this.kv, IP_INDEX_PREFIX, ipKeys);
    const compare: Compare[] = [unchangedSince(keys.seatBindingsLock, lockRevision)];
    const success: TxnOp[] = [{ type: 'put', key: keys.seatBindingsLock, value: now.toISOString() }];
    for (const seat of seats.values()) {
      compare.push(unchangedSince(keys.seat(seat.name), seat.modRevision));
      success.push({ type: 'delete', key: keys.seat(seat.name) });
      const ipKey = keys.seatIp(canonicalIp(seat.ip) ?? '');
      const held = index.get(ipKey);
      // Only the seat's own index entry goes; an entry naming another seat is that seat's.
      if (held?.value !== seat.name) continue;
      compare.push(unchangedSince(ipKey, held.modRevision));
      success.push({ type: 'delete', key: ipKey });
    }
    const result = await this.kv.txn({ compare, success });
    return result.succeeded ? result.revision : undefined;
  }
}
