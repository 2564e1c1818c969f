import type { KeyValue, KvStore, WatchEvent } from '../kv/kv.js';
import { RevisionBarrier, type RevisionBarrierOptions } from '../kv/revision-barrier.js';
import type { Logger } from '../logger.js';
import { SortedList } from '../util/sorted-list.js';
import { decodeOrSkip, followStore } from './follow-store.js';
import { keys, segmentIdOfKey } from './keyspace.js';
import { SeatListView } from './seat-list-view.js';
import { type StoredSegment, toStored } from './segment-records.js';

/**
 * Every segment record and seat list held in memory and kept current by one store watch, as a
 * Kubernetes informer does: lists of 100,000 segments are filtered and paged here, not in etcd.
 * The store stays the source of truth. `fresh()` passes a read barrier first: it returns only once
 * the cache reflects every write the store had acknowledged when it was called.
 */

export interface SegmentCacheOptions extends Omit<RevisionBarrierOptions, 'fenceKey'> {
  /** The order lists are served in: must be total (equal only for the same record). */
  order: (a: StoredSegment, b: StoredSegment) => number;
  log: Logger;
}

/** The cache as of one moment; read it synchronously, before awaiting anything. */
export interface SegmentView {
  /** In the cache's order. */
  readonly segments: readonly StoredSegment[];
  get(id: string): StoredSegment | undefined;
  /** Seat names the segment is installed on (empty when none). */
  seatsOf(id: string): readonly string[];
  /** Ids of the segments installed on the seat, by its seat lists (empty when none). */
  segmentsOnSeat(seatName: string): ReadonlySet<string>;
  /** Whether any record names the file with this SHA-256. */
  usesFile(sha256: string): boolean;
  /** Every file some record names, by SHA-256. */
  files(): IterableIterator<string>;
  /** Changes whenever a record or seat list changes: what was computed from the same generation still holds. */
  readonly generation: number;
}

/** For metrics: how big the cache is and how often it had to list or fence. */
export interface SegmentCacheStats {
  records: number;
  /** Full lists of the store: one at start-up, one after each watch that could not resume. */
  lists: number;
  /** Read barriers that had to write `meta/read-fence` to prove the watch current. */
  fences: number;
}

const NAME = 'segment cache';
const NO_SEGMENTS: ReadonlySet<string> = new Set();

export class SegmentCache {
  private records: SortedList<StoredSegment>;
  private byId = new Map<string, StoredSegment>();
  private seatLists: SeatListView;
  /** The seat lists turned around, seat name → segment ids: `Seat.segments` without a scan. */
  private onSeat = new Map<string, Set<string>>();
  /** How many records name each file: deletions ask whether a file is still needed. */
  private fileUsers = new Map<string, number>();
  private generation = 0;
  private readonly barrier: RevisionBarrier;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private lists = 0;

  constructor(
    private readonly kv: KvStore,
    private readonly options: SegmentCacheOptions,
  ) {
    this.records = SortedList.empty(options.order);
    this.seatLists = this.seatListView(this.onSeat);
    this.barrier = new RevisionBarrier(kv, { ...options, fenceKey: keys.readFence });
  }

  start(): void {
    this.running ??= this.run();
  }

  stats(): SegmentCacheStats {
    return { records: this.byId.size, lists: this.lists, fences: this.barrier.fences };
  }

  async close(): Promise<void> {
    this.stopping.abort(new Error('segment cache closed'));
    this.barrier.close();
    await this.running;
  }

  /** The cache once it reflects every write acknowledged before this call (see `RevisionBarrier`). */
  async fresh(signal?: AbortSignal): Promise<SegmentView> {
    this.start();
    await this.barrier.wait(signal);
    return this.current();
  }

  /**
   * The cache as it is, without a barrier: for reads that follow a `fresh()` of the same caller,
   * which the cache has not gone back behind since.
   */
  current(): SegmentView {
    const { records, byId, seatLists, generation, fileUsers, onSeat } = this;
    return {
      segmentsOnSeat: (seatName) => onSeat.get(seatName) ?? NO_SEGMENTS,
      generation,
      usesFile: (sha256) => fileUsers.has(sha256),
      files: () => fileUsers.keys(),
      segments: records.items,
      get: (id) => byId.get(id),
      seatsOf: (id) => seatLists.seatsOf(id),
    };
  }

  private run(): Promise<void> {
    const { log } = this.options;
    return followStore({ kv: this.kv, log, signal: this.stopping.signal, name: NAME }, () => {
      const segments: StoredSegment[] = [];
      const onSeat = new Map<string, Set<string>>();
      const seatLists = this.seatListView(onSeat);
      return {
        lists: [
          {
            prefix: keys.segments,
            each: (kv) => {
              const segment = this.decode(kv, toStored);
              if (segment) segments.push(segment);
            },
          },
          { prefix: keys.segmentSeatsAll, each: (kv) => seatLists.listed(kv) },
          { prefix: keys.segmentSeatChunksAll, each: (kv) => seatLists.listed(kv) },
        ],
        listed: (revision) => {
          this.replace(segments, seatLists, onSeat);
          this.lists++;
          this.barrier.advance(revision);
          log.info({ segments: segments.length, revision }, 'segment cache listed');
        },
        changed: (events, revision) => {
          for (const event of events) this.apply(event);
          this.barrier.advance(revision);
        },
      };
    });
  }

  private replace(
    segments: StoredSegment[],
    seatLists: SeatListView,
    onSeat: Map<string, Set<string>>,
  ): void {
    this.generation++;
    this.records = SortedList.from(this.options.order, segments);
    this.byId = new Map(segments.map((s) => [s.id, s]));
    this.seatLists = seatLists;
    this.onSeat = onSeat;
    this.fileUsers = new Map();
    for (const segment of segments) this.countFile(segment, 1);
  }

  private apply(event: WatchEvent): void {
    const key = event.type === 'put' ? event.kv.key : event.key;
    const id = segmentIdOfKey(key);
    if (id !== undefined) {
      this.generation++;
      this.applySegment(id, event);
    } else if (SeatListView.follows(key)) {
      this.generation++;
      this.seatLists.apply(event);
    }
  }

  private applySegment(id: string, event: WatchEvent): void {
    const held = this.byId.get(id);
    if (event.type === 'delete') {
      if (held && held.modRevision < event.modRevision) this.forget(held);
      return;
    }
    if (held && held.modRevision >= event.kv.modRevision) return;
    if (held) this.forget(held);
    const next = this.decode(event.kv, toStored);
    if (!next) return;
    this.records.insert(next);
    this.byId.set(id, next);
    this.countFile(next, 1);
  }

  private forget(segment: StoredSegment): void {
    this.records.remove(segment);
    this.byId.delete(segment.id);
    this.countFile(segment, -1);
  }

  private countFile({ record: { sha256 } }: StoredSegment, delta: 1 | -1): void {
    const users = (this.fileUsers.get(sha256) ?? 0) + delta;
    if (users > 0) this.fileUsers.set(sha256, users);
    else this.fileUsers.delete(sha256);
  }

  /** A view of the seat lists that keeps `onSeat` (seat → segment ids) in step with them. */
  private seatListView(onSeat: Map<string, Set<string>>): SeatListView {
    return new SeatListView(
      (segmentId, before, after) => {
        for (const seat of before) {
          const ids = onSeat.get(seat);
          ids?.delete(segmentId);
          if (ids?.size === 0) onSeat.delete(seat);
        }
        for (const seat of after) {
          const ids = onSeat.get(seat);
          if (ids) ids.add(segmentId);
          else onSeat.set(seat, new Set([segmentId]));
        }
      },
      this.options.log,
      NAME,
    );
  }

  private decode<T>(kv: KeyValue, codec: (kv: KeyValue) => T): T | undefined {
    return decodeOrSkip(kv, codec, this.options.log, NAME);
  }
}
