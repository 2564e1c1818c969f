import type { KeyValue, KvStore, WatchEvent } from '../kv/kv.js';
import { RevisionBarrier, type RevisionBarrierOptions } from '../kv/revision-barrier.js';
import type { Logger } from '../logger.js';
import { retryUntilDone } from '../util/backoff.js';
import { SortedList } from '../util/sorted-list.js';
import { keys, segmentIdOfKey } from './keyspace.js';
import { type StoredSegment, toStored } from './segment-records.js';
import { type SeatList, seatListOf } from './segment-seats.js';

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

const LIST_PAGE = 1000;

export class SegmentCache {
  private records: SortedList<StoredSegment>;
  private byId = new Map<string, StoredSegment>();
  private seatLists = new Map<string, SeatList>();
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
    const { records, byId, seatLists, generation, fileUsers } = this;
    return {
      generation,
      usesFile: (sha256) => fileUsers.has(sha256),
      files: () => fileUsers.keys(),
      segments: records.items,
      get: (id) => byId.get(id),
      seatsOf: (id) => seatLists.get(id)?.seats ?? [],
    };
  }

  /** List, then follow the watch; list again whenever the watch cannot resume (compaction, failure). */
  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      // A pass that ends without failing (the watch was compacted away) starts the backoff over.
      await retryUntilDone(() => this.listAndWatch(signal), {
        baseMs: 200,
        maxMs: 5000,
        signal,
        onError: (err, _attempt, retryInMs) =>
          this.options.log.warn({ err, retryInMs }, 'segment cache lost the store; listing again'),
      }).catch(() => {});
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const first = await this.kv.range(keys.segments, { limit: LIST_PAGE });
    // Every page after the first is read at a later revision; replaying the watch from the first
    // page's revision over them is harmless, as `apply` skips changes older than what it holds.
    const watch = this.kv.watch('', { fromRevision: first.revision + 1, signal });
    try {
      const segments: StoredSegment[] = [];
      const addSegment = (kv: KeyValue) => {
        const segment = this.decode(kv, toStored);
        if (segment) segments.push(segment);
      };
      first.kvs.forEach(addSegment);
      if (first.more) await this.listRest(keys.segments, first.kvs.at(-1)!.key, addSegment);
      const seatLists = new Map<string, SeatList>();
      await this.listRest(keys.segmentSeatsAll, undefined, (kv) => {
        const list = this.decode(kv, seatListOf);
        if (list) seatLists.set(kv.key.slice(keys.segmentSeatsAll.length), list);
      });
      this.replace(segments, seatLists);
      this.lists++;
      this.barrier.advance(first.revision);
      this.options.log.info({ segments: segments.length, revision: first.revision }, 'segment cache listed');
      for await (const message of watch) {
        if (message.kind === 'compacted') {
          this.options.log.warn(
            { compactRevision: message.compactRevision },
            'watch compacted; listing again',
          );
          return;
        }
        for (const event of message.events) this.apply(event);
        this.barrier.advance(message.revision);
      }
    } finally {
      await watch.close();
    }
  }

  private async listRest(
    prefix: string,
    after: string | undefined,
    each: (kv: KeyValue) => void,
  ): Promise<void> {
    for (let startAfter = after; ; ) {
      const page = await this.kv.range(prefix, { limit: LIST_PAGE, startAfter });
      for (const kv of page.kvs) each(kv);
      if (!page.more || page.kvs.length === 0) return;
      startAfter = page.kvs.at(-1)!.key;
    }
  }

  private replace(segments: StoredSegment[], seatLists: Map<string, SeatList>): void {
    this.generation++;
    this.records = SortedList.from(this.options.order, segments);
    this.byId = new Map(segments.map((s) => [s.id, s]));
    this.seatLists = seatLists;
    this.fileUsers = new Map();
    for (const segment of segments) this.countFile(segment, 1);
  }

  private apply(event: WatchEvent): void {
    const key = event.type === 'put' ? event.kv.key : event.key;
    const id = segmentIdOfKey(key);
    if (id !== undefined) {
      this.generation++;
      this.applySegment(id, event);
    } else if (key.startsWith(keys.segmentSeatsAll)) {
      this.generation++;
      this.applySeatList(key.slice(keys.segmentSeatsAll.length), event);
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

  private applySeatList(segmentId: string, event: WatchEvent): void {
    const held = this.seatLists.get(segmentId);
    if (event.type === 'delete') {
      if (held && held.modRevision < event.modRevision) this.seatLists.delete(segmentId);
      return;
    }
    if (held && held.modRevision >= event.kv.modRevision) return;
    const list = this.decode(event.kv, seatListOf);
    if (list) this.seatLists.set(segmentId, list);
    else this.seatLists.delete(segmentId);
  }

  /** A record no codec can read is left out of lists (and logged), not allowed to stop the cache. */
  private decode<T>(kv: KeyValue, codec: (kv: KeyValue) => T): T | undefined {
    try {
      return codec(kv);
    } catch (err) {
      this.options.log.error({ err, key: kv.key }, 'unreadable record left out of the segment cache');
      return undefined;
    }
  }
}
