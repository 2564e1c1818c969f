import { z } from 'zod';
import type { KeyValue, KvStore } from '../kv/kv.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * `segment-seats/<segmentId>`: the seats a segment is installed on, by seat name, sorted. Written
 * when an install record ends (from what actually succeeded) and by `refreshSegmentSeats` (from what
 * SDP reports). Kept apart from the segment record so that a 10,000-seat list is not rewritten, or
 * sent to `segmentUpdated` subscribers, on every sync-status change.
 */
const segmentSeatsSchema = z.object({
  seats: z.array(z.string()),
  updatedAt: z.iso.datetime(),
  /** What wrote the list last: an install record's end, or a refresh from SDP. */
  source: z.enum(['INSTALL', 'REFRESH']),
});

export const segmentSeatsCodec = jsonCodec(segmentSeatsSchema, 'segment seat list');

export interface StoredSegmentSeats {
  readonly segmentId: string;
  readonly seats: readonly string[];
  /** 0 when the segment has never been installed anywhere (no key). */
  readonly modRevision: number;
}

export interface SeatList {
  readonly seats: readonly string[];
  readonly modRevision: number;
}

/** A stored seat list's seats and revision (the decode throws on a malformed value). */
export function seatListOf(kv: KeyValue): SeatList {
  return { seats: segmentSeatsCodec.decode(kv.key, kv.value).seats, modRevision: kv.modRevision };
}

/** Reads of the seat lists; writes happen inside the transactions of installs, refreshes and deletes. */
export class SegmentSeats {
  constructor(private readonly kv: KvStore) {}

  async get(segmentId: string): Promise<StoredSegmentSeats> {
    const kv = await this.kv.get(keys.segmentSeats(segmentId));
    if (!kv) return { segmentId, seats: [], modRevision: 0 };
    return { segmentId, ...seatListOf(kv) };
  }

  /** Every segment with at least one seat, as `segmentId → seats`. */
  async all(): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(keys.segmentSeatsAll, { limit: 500, startAfter });
      for (const kv of page.kvs) {
        const { seats } = segmentSeatsCodec.decode(kv.key, kv.value);
        if (seats.length > 0) out.set(kv.key.slice(keys.segmentSeatsAll.length), seats);
      }
      if (!page.more) return out;
      startAfter = page.kvs.at(-1)?.key;
    }
  }
}
