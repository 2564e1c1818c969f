import { absent, type Compare, type KvStore, type TxnOp, unchangedSince } from '../kv/kv.js';
import { chunksOf, discardAhead, SEAT_CHUNK_SIZE, writeAhead } from './chunked-writes.js';
import { keys } from './keyspace.js';
import {
  isFinalRolloutState,
  type RolloutRecord,
  type RolloutSeat,
  rolloutCodec,
  rolloutSeatChunkCodec,
} from './rollout-schema.js';

/**
 * Rollouts in the store: the head (`rollouts/<id>`), its seat chunks (`rollout-seats/<id>/<n>`,
 * 500 seats each in wave order), the name index and the name's active marker (D1). Every write
 * compares the head's revision, so two writers never both act on one reading.
 */

export interface StoredRolloutRecord {
  readonly id: string;
  readonly record: RolloutRecord;
  readonly modRevision: number;
}

/** Seat chunks by number: the whole chunk as it should be stored. */
export type SeatChunks = ReadonlyMap<number, readonly RolloutSeat[]>;

export class RolloutRecords {
  constructor(private readonly kv: KvStore) {}

  async get(id: string): Promise<StoredRolloutRecord | undefined> {
    const kv = await this.kv.get(keys.rollout(id));
    return kv && { id, record: rolloutCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
  }

  /** The rollout of the name that has not ended, if any. */
  async activeFor(name: string): Promise<string | undefined> {
    return (await this.kv.get(keys.activeRollout(name)))?.value;
  }

  /** The ids of every rollout that has not ended (one per segment name at most). */
  async activeIds(): Promise<string[]> {
    const ids: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(keys.activeRollouts, { limit: 1000, startAfter });
      for (const kv of page.kvs) ids.push(kv.value);
      if (!page.more) return ids;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /** The active marker's revision (0 when absent): an install's create compares it (D1). */
  async activeRevision(name: string): Promise<number> {
    return (await this.kv.get(keys.activeRollout(name)))?.modRevision ?? 0;
  }

  /** Ids of every rollout of the name, oldest first. */
  async idsOfName(name: string): Promise<string[]> {
    const prefix = keys.rolloutsOfName(name);
    const ids: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(prefix, { keysOnly: true, limit: 1000, startAfter });
      for (const kv of page.kvs) ids.push(kv.key.slice(prefix.length));
      if (!page.more) return ids;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /** Every rollout id, oldest first (keys only). */
  async ids(): Promise<string[]> {
    const ids: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(keys.rollouts, { keysOnly: true, limit: 1000, startAfter });
      for (const kv of page.kvs) ids.push(kv.key.slice(keys.rollouts.length));
      if (!page.more) return ids;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /** One page of rollouts in id (creation) order, after `startAfter` (an id). */
  async page(limit: number, startAfter?: string): Promise<{ items: StoredRolloutRecord[]; more: boolean }> {
    const page = await this.kv.range(keys.rollouts, {
      limit,
      startAfter: startAfter === undefined ? undefined : keys.rollout(startAfter),
    });
    const items = page.kvs.map((kv) => {
      const id = kv.key.slice(keys.rollouts.length);
      return { id, record: rolloutCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
    });
    return { items, more: page.more };
  }

  /** Chunks `[from, to)` (all when not given), by number. */
  async readChunks(id: string, from = 0, to?: number): Promise<Map<number, RolloutSeat[]>> {
    const prefix = keys.rolloutSeatsOf(id);
    const out = new Map<number, RolloutSeat[]>();
    let startAfter = from > 0 ? keys.rolloutSeatChunk(id, from - 1) : undefined;
    for (;;) {
      const page = await this.kv.range(prefix, { limit: 50, startAfter });
      for (const kv of page.kvs) {
        const n = Number(kv.key.slice(prefix.length));
        if (to !== undefined && n >= to) return out;
        out.set(n, rolloutSeatChunkCodec.decode(kv.key, kv.value));
      }
      if (!page.more) return out;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /**
   * Records a new rollout, its seats and its name's marker, if no rollout and no install of the name
   * is active and nothing in `guard` changed. Undefined when that did not hold (decide again).
   */
  async create(
    id: string,
    record: RolloutRecord,
    seats: readonly RolloutSeat[],
    guard: Compare[],
  ): Promise<number | undefined> {
    const compare = [
      ...guard,
      absent(keys.rollout(id)),
      absent(keys.activeRollout(record.name)),
      absent(keys.activeNameInstall(record.name)),
    ];
    const chunks = chunksOf(seats, SEAT_CHUNK_SIZE).map((chunk, n) => chunkOp(id, n, chunk));
    const final: TxnOp[] = [
      { type: 'put', key: keys.rollout(id), value: rolloutCodec.encode(record) },
      { type: 'put', key: keys.rolloutOfName(record.name, id), value: '' },
      { type: 'put', key: keys.activeRollout(record.name), value: id },
    ];
    const inline = await writeAhead(this.kv, compare, chunks, final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    if (result?.succeeded) return result.revision;
    await discardAhead(this.kv, keys.rolloutSeatsOf(id));
    return undefined;
  }

  /** Removes an ended rollout with its seats and its name index entry, if unchanged since read. */
  async remove(stored: StoredRolloutRecord): Promise<boolean> {
    const result = await this.kv.txn({
      compare: [unchangedSince(keys.rollout(stored.id), stored.modRevision)],
      success: [
        { type: 'delete', key: keys.rollout(stored.id) },
        { type: 'deletePrefix', prefix: keys.rolloutSeatsOf(stored.id) },
        { type: 'delete', key: keys.rolloutOfName(stored.record.name, stored.id) },
      ],
    });
    return result.succeeded;
  }

  /**
   * Replaces the head, and the given chunks, if the head is unchanged since read. A head that turns
   * final gives its name's marker up; one that leaves a final state (a rollback after SUCCEEDED)
   * takes it again, if the name is free (no rollout, no install). Chunks too many for one transaction are written ahead: a reader that
   * sees them before the head sees seat states the head is about to confirm.
   */
  async update(
    current: StoredRolloutRecord,
    next: RolloutRecord,
    chunks: SeatChunks,
    guard: Compare[],
    extra: { compare?: Compare[]; ops?: TxnOp[] } = {},
  ): Promise<number | undefined> {
    const head = keys.rollout(current.id);
    const compare = [unchangedSince(head, current.modRevision), ...guard, ...(extra.compare ?? [])];
    const final: TxnOp[] = [
      { type: 'put', key: head, value: rolloutCodec.encode(next) },
      ...(extra.ops ?? []),
    ];
    const marker = keys.activeRollout(next.name);
    const wasFinal = isFinalRolloutState(current.record.state);
    const isFinal = isFinalRolloutState(next.state);
    if (!wasFinal && isFinal) {
      // A rollout that has not ended always holds its name's marker: it was taken with the head.
      final.push({ type: 'delete', key: marker });
    } else if (wasFinal && !isFinal) {
      compare.push(absent(marker), absent(keys.activeNameInstall(next.name)));
      final.push({ type: 'put', key: marker, value: current.id });
    }
    const ops = [...chunks].map(([n, seats]) => chunkOp(current.id, n, seats));
    const inline = await writeAhead(this.kv, compare, ops, final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    return result?.succeeded ? result.revision : undefined;
  }
}

function chunkOp(id: string, n: number, seats: readonly RolloutSeat[]): TxnOp {
  return { type: 'put', key: keys.rolloutSeatChunk(id, n), value: rolloutSeatChunkCodec.encode([...seats]) };
}
