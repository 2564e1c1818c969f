import type { KeyValue, WatchEvent } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { SEAT_CHUNK_SIZE } from './chunked-writes.js';
import { decodeOrSkip } from './follow-store.js';
import { keys } from './keyspace.js';
import {
  decodeSeatChunk,
  joinSeatChunks,
  parseSeatChunkKey,
  type SeatListHead,
  segmentSeatsCodec,
} from './segment-seats.js';

/** One segment's seat list as the view holds it. */
interface HeldList {
  readonly modRevision: number;
  /** Undefined while a chunked list's chunks have not all arrived. */
  seats: readonly string[] | undefined;
  readonly head: SeatListHead;
}

/** Told when a segment's resolved seats change, to keep an index in step. */
export type SeatListChanged = (
  segmentId: string,
  before: readonly string[],
  after: readonly string[],
) => void;

const NONE: readonly string[] = [];

/**
 * Every segment's seat list as one watch of the `segment` prefix delivers it: heads, and the chunks
 * long lists keep apart (D2). Chunks are written before the head that names them, so a head usually
 * finds them here; after a relist a head may arrive first and resolves when its last chunk does.
 * A list resolved from its chunks no longer needs them: they are dropped, and a later head always
 * names new ones.
 */
export class SeatListView {
  private readonly lists = new Map<string, HeldList>();
  /** Chunks not yet joined into a list, by `<segmentId>\n<nonce>`, then chunk number. */
  private readonly pending = new Map<string, Map<number, string[]>>();

  constructor(
    private readonly changed: SeatListChanged,
    private readonly log: Logger,
    private readonly name: string,
  ) {}

  seatsOf(segmentId: string): readonly string[] {
    return this.lists.get(segmentId)?.seats ?? NONE;
  }

  /** Whether the key is one this view follows. */
  static follows(key: string): boolean {
    return key.startsWith(keys.segmentSeatsAll) || key.startsWith(keys.segmentSeatChunksAll);
  }

  /** A listed or watched put or delete of a head or chunk. */
  apply(event: WatchEvent): void {
    const key = event.type === 'put' ? event.kv.key : event.key;
    if (key.startsWith(keys.segmentSeatsAll)) this.applyHead(key.slice(keys.segmentSeatsAll.length), event);
    else this.applyChunk(key, event);
  }

  /** A key read by a list (the same as a put). */
  listed(kv: KeyValue): void {
    this.apply({ type: 'put', kv });
  }

  private applyHead(segmentId: string, event: WatchEvent): void {
    const held = this.lists.get(segmentId);
    if (event.type === 'delete') {
      if (held && held.modRevision < event.modRevision) this.drop(segmentId, held);
      return;
    }
    if (held && held.modRevision >= event.kv.modRevision) return;
    const head = this.decode(event.kv, (kv) => segmentSeatsCodec.decode(kv.key, kv.value));
    if (held) this.drop(segmentId, held);
    if (!head) return;
    const list: HeldList = { modRevision: event.kv.modRevision, head, seats: undefined };
    this.lists.set(segmentId, list);
    this.resolve(segmentId, list);
  }

  private applyChunk(key: string, event: WatchEvent): void {
    const parsed = parseSeatChunkKey(key);
    if (!parsed) return;
    const slot = `${parsed.segmentId}\n${parsed.nonce}`;
    if (event.type === 'delete') {
      this.pending.get(slot)?.delete(parsed.n);
      if (this.pending.get(slot)?.size === 0) this.pending.delete(slot);
      return;
    }
    const list = this.lists.get(parsed.segmentId);
    // A chunk of a list already joined is a replay of what it was joined from.
    if (list?.seats && list.head.chunked?.nonce === parsed.nonce) return;
    const seats = this.decode(event.kv, decodeSeatChunk);
    if (!seats) return;
    const chunks = this.pending.get(slot) ?? new Map<number, string[]>();
    this.pending.set(slot, chunks.set(parsed.n, seats));
    if (list) this.resolve(parsed.segmentId, list);
  }

  private resolve(segmentId: string, list: HeldList): void {
    const { chunked } = list.head;
    if (!chunked) {
      list.seats = list.head.seats ?? NONE;
    } else {
      const slot = `${segmentId}\n${chunked.nonce}`;
      const chunks = this.pending.get(slot);
      if (!chunks || chunks.size < Math.ceil(chunked.count / SEAT_CHUNK_SIZE)) return;
      const ordered = [...chunks].sort(([a], [b]) => a - b).map(([, seats]) => seats);
      // Other chunks of this segment are dead: a lost write's or a crashed one's (see segment-seats.ts).
      for (const other of this.pending.keys())
        if (other.startsWith(`${segmentId}\n`)) this.pending.delete(other);
      try {
        list.seats = joinSeatChunks(keys.segmentSeats(segmentId), ordered, chunked.count);
      } catch (err) {
        this.log.error({ err, segmentId }, `unreadable seat list left out of the ${this.name}`);
        return;
      }
    }
    this.changed(segmentId, NONE, list.seats);
  }

  private drop(segmentId: string, held: HeldList): void {
    this.lists.delete(segmentId);
    if (held.seats) this.changed(segmentId, held.seats, NONE);
    if (held.head.chunked) this.pending.delete(`${segmentId}\n${held.head.chunked.nonce}`);
  }

  private decode<T>(kv: KeyValue, codec: (kv: KeyValue) => T): T | undefined {
    return decodeOrSkip(kv, codec, this.log, this.name);
  }

  /** Every segment with a resolved list. */
  *entries(): IterableIterator<[string, readonly string[]]> {
    for (const [segmentId, list] of this.lists) if (list.seats) yield [segmentId, list.seats];
  }
}
