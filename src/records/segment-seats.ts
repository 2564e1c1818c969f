import { z } from 'zod';
import type { KeyValue, KvStore, TxnOp } from '../kv/kv.js';
import { chunksOf, newChunkNonce, SEAT_CHUNK_SIZE } from './chunked-writes.js';
import { jsonCodec, RecordDecodeError } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * `segment-seats/<segmentId>`: the seats a segment is installed on, by seat name, sorted. Written
 * when an install record ends (from what actually succeeded) and by `refreshSegmentSeats` (from what
 * SDP reports). Kept apart from the segment record so that a 10,000-seat list is not rewritten, or
 * sent to `segmentUpdated` subscribers, on every sync-status change.
 *
 * A list of more than 500 seats keeps only its count here and the names in chunks of 500 under a
 * nonce of this write (`segment-seat-chunks/`, D2). The head is what every guarded write compares.
 */
const segmentSeatsSchema = z.object({
  /** The names, for a list stored whole. */
  seats: z.array(z.string()).optional(),
  /** For a list stored in chunks: their nonce and how many seats they hold. */
  chunked: z.object({ nonce: z.string().min(1), count: z.number().int().nonnegative() }).optional(),
  updatedAt: z.iso.datetime(),
  /** What wrote the list last: an install record's end, or a refresh from SDP. */
  source: z.enum(['INSTALL', 'REFRESH']),
});
export type SeatListHead = z.infer<typeof segmentSeatsSchema>;
export const segmentSeatsCodec = jsonCodec(segmentSeatsSchema, 'segment seat list');

const chunkCodec = jsonCodec(z.object({ s: z.array(z.string()) }), 'segment seat chunk');

export interface StoredSegmentSeats {
  readonly segmentId: string;
  readonly seats: readonly string[];
  /** 0 when the segment has never been installed anywhere (no key). */
  readonly modRevision: number;
  /**
   * Nonces of the chunks stored for this segment when the list is chunked or absent: the list's own,
   * and any a write cut short by a crash left; the next write of the list removes them all. Empty for
   * a short list, which is read without looking for chunks: strays under one go with the next long
   * write or with the segment.
   */
  readonly chunkNonces: readonly string[];
}

/** A seat list the end of a record writes: the list, and the head's revision and chunks as read. */
export interface SeatListWrite {
  segmentId: string;
  list: string[];
  revision: number;
  /** The chunks stored when the head was read (`StoredSegmentSeats.chunkNonces`), to remove. */
  chunkNonces?: readonly string[];
}

/** The ops that store a list: chunk puts to land first, and the head (with old chunks' removal). */
export interface SeatListOps {
  readonly chunks: TxnOp[];
  readonly final: TxnOp[];
  /** Where the new chunks are, for removal when the final write loses. */
  readonly chunkPrefix?: string;
}

export function seatListOps(write: SeatListWrite, at: string, source: SeatListHead['source']): SeatListOps {
  const { segmentId } = write;
  const seats = [...write.list].sort();
  const retire = (write.chunkNonces ?? []).map(
    (nonce): TxnOp => ({ type: 'deletePrefix', prefix: keys.segmentSeatChunks(segmentId, nonce) }),
  );
  const head = (value: SeatListHead): TxnOp => ({
    type: 'put',
    key: keys.segmentSeats(segmentId),
    value: segmentSeatsCodec.encode(value),
  });
  if (seats.length <= SEAT_CHUNK_SIZE) {
    return { chunks: [], final: [head({ seats, updatedAt: at, source }), ...retire] };
  }
  const nonce = newChunkNonce();
  const chunks = chunksOf(seats).map(
    (s, n): TxnOp => ({
      type: 'put',
      key: keys.segmentSeatChunk(segmentId, nonce, n),
      value: chunkCodec.encode({ s }),
    }),
  );
  return {
    chunks,
    final: [head({ chunked: { nonce, count: seats.length }, updatedAt: at, source }), ...retire],
    chunkPrefix: keys.segmentSeatChunks(segmentId, nonce),
  };
}

/** The parts of a chunk key: `segment-seat-chunks/<segmentId>/<nonce>/<n>`. */
export function parseSeatChunkKey(key: string): { segmentId: string; nonce: string; n: number } | undefined {
  if (!key.startsWith(keys.segmentSeatChunksAll)) return undefined;
  const parts = key.slice(keys.segmentSeatChunksAll.length).split('/');
  const n = Number(parts.pop());
  const nonce = parts.pop();
  if (!Number.isInteger(n) || !nonce || parts.length === 0) return undefined;
  return { segmentId: parts.join('/'), nonce, n };
}

export function decodeSeatChunk(kv: KeyValue): string[] {
  return chunkCodec.decode(kv.key, kv.value).s;
}

/** Joins a chunked list's chunks (in key order); throws when they do not hold `count` seats. */
export function joinSeatChunks(key: string, chunks: readonly string[][], count: number): string[] {
  const seats = chunks.flat();
  if (seats.length !== count) {
    throw new RecordDecodeError(`${key} names ${count} seats but its chunks hold ${seats.length}`);
  }
  return seats;
}

function noncesOf(chunks: readonly KeyValue[]): string[] {
  const nonces = new Set<string>();
  for (const chunk of chunks) {
    const nonce = parseSeatChunkKey(chunk.key)?.nonce;
    if (nonce) nonces.add(nonce);
  }
  return [...nonces];
}

/** Reads of the seat lists; writes happen inside the transactions of installs, refreshes and deletes. */
export class SegmentSeats {
  constructor(private readonly kv: KvStore) {}

  async get(segmentId: string): Promise<StoredSegmentSeats> {
    for (let attempt = 0; ; attempt++) {
      const kv = await this.kv.get(keys.segmentSeats(segmentId));
      if (!kv)
        return { segmentId, seats: [], modRevision: 0, chunkNonces: await this.chunkNonces(segmentId) };
      try {
        return { segmentId, ...(await this.resolve(kv)) };
      } catch (err) {
        // The chunks go when a newer list replaces them: read the newer head.
        if (attempt >= 3 || !(err instanceof RecordDecodeError)) throw err;
      }
    }
  }

  /** Every segment with at least one seat, as `segmentId → seats`. */
  async all(): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    const chunked: string[] = [];
    await this.each(keys.segmentSeatsAll, (kv) => {
      const head = segmentSeatsCodec.decode(kv.key, kv.value);
      const segmentId = kv.key.slice(keys.segmentSeatsAll.length);
      if (head.chunked) chunked.push(segmentId);
      else if (head.seats?.length) out.set(segmentId, head.seats);
    });
    for (const segmentId of chunked) {
      const { seats } = await this.get(segmentId);
      if (seats.length > 0) out.set(segmentId, seats);
    }
    return out;
  }

  private async resolve(kv: KeyValue): Promise<Omit<StoredSegmentSeats, 'segmentId'>> {
    const head = segmentSeatsCodec.decode(kv.key, kv.value);
    // A short list (the common case) is one read; a chunked one reads all its segment's chunks at once.
    if (!head.chunked) return { seats: head.seats ?? [], modRevision: kv.modRevision, chunkNonces: [] };
    const segmentId = kv.key.slice(keys.segmentSeatsAll.length);
    const { kvs } = await this.kv.range(keys.segmentSeatChunksOf(segmentId));
    const chunkNonces = noncesOf(kvs);
    const own = keys.segmentSeatChunks(segmentId, head.chunked.nonce);
    const chunks = kvs.filter((chunk) => chunk.key.startsWith(own)).map(decodeSeatChunk);
    return {
      seats: joinSeatChunks(kv.key, chunks, head.chunked.count),
      modRevision: kv.modRevision,
      chunkNonces,
    };
  }

  private async chunkNonces(segmentId: string): Promise<string[]> {
    const { kvs } = await this.kv.range(keys.segmentSeatChunksOf(segmentId), { keysOnly: true });
    return noncesOf(kvs);
  }

  private async each(prefix: string, visit: (kv: KeyValue) => void): Promise<void> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(prefix, { limit: 500, startAfter });
      for (const kv of page.kvs) visit(kv);
      if (!page.more) return;
      startAfter = page.kvs.at(-1)?.key;
    }
  }
}
