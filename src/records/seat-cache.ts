import type { KeyValue, KvStore, WatchEvent } from '../kv/kv.js';
import { RevisionBarrier, type RevisionBarrierOptions } from '../kv/revision-barrier.js';
import type { Logger } from '../logger.js';
import { decodeOrSkip, followStore } from './follow-store.js';
import { keys } from './keyspace.js';
import { LabelIndex } from './label-index.js';
import { type StoredSeatGroup, seatGroupNameOfKey, toStoredSeatGroup } from './seat-group-records.js';
import { type StoredSeat, toStoredSeat } from './stored-seat.js';

/**
 * Every seat (with its labels, indexed by `LabelIndex`) and every seat group, held in memory and
 * kept current by one store watch, as the segment cache does for segments: selectors and group
 * membership over 100,000 seats are answered here, never by reading every seat per request.
 * `fresh()` passes a read barrier, so a caller sees every write acknowledged before it asked.
 */

export type SeatCacheChange =
  /** A seat was created, changed or deleted; labels before and after (undefined: absent then). */
  | {
      readonly kind: 'seat';
      readonly name: string;
      readonly before?: ReadonlyMap<string, string>;
      readonly after?: ReadonlyMap<string, string>;
    }
  /** A group was created, changed or deleted. */
  | { readonly kind: 'group'; readonly name: string }
  /** The cache listed the store again (start, or a watch that could not resume): anything may have changed. */
  | { readonly kind: 'resync' };

export interface SeatCacheView {
  readonly seats: LabelIndex;
  readonly groups: ReadonlyMap<string, StoredSeatGroup>;
}

const NAME = 'seat cache';

export class SeatCache {
  private index = new LabelIndex();
  private groups = new Map<string, StoredSeatGroup>();
  private readonly listeners = new Set<(change: SeatCacheChange) => void>();
  private readonly barrier: RevisionBarrier;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private lists = 0;

  constructor(
    private readonly kv: KvStore,
    private readonly options: Omit<RevisionBarrierOptions, 'fenceKey'> & { log: Logger },
  ) {
    this.barrier = new RevisionBarrier(kv, { ...options, fenceKey: keys.readFence });
  }

  start(): void {
    this.running ??= this.run();
  }

  async close(): Promise<void> {
    this.stopping.abort(new Error('seat cache closed'));
    this.barrier.close();
    await this.running;
  }

  stats(): { seats: number; groups: number; lists: number } {
    return { seats: this.index.size, groups: this.groups.size, lists: this.lists };
  }

  /** The cache once it reflects every write acknowledged before this call. */
  async fresh(signal?: AbortSignal): Promise<SeatCacheView> {
    this.start();
    await this.barrier.wait(signal);
    return this.current();
  }

  /** The cache as it is (read synchronously, before awaiting anything). */
  current(): SeatCacheView {
    return { seats: this.index, groups: this.groups };
  }

  /** Called synchronously on every change the watch applies; returns the unsubscribe. */
  onChange(listener: (change: SeatCacheChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private run(): Promise<void> {
    const { log } = this.options;
    return followStore({ kv: this.kv, log, signal: this.stopping.signal, name: NAME }, () => {
      const seats: StoredSeat[] = [];
      const groups = new Map<string, StoredSeatGroup>();
      return {
        lists: [
          {
            prefix: keys.seats,
            each: (kv) => {
              const seat = this.decode(kv, toStoredSeat);
              if (seat) seats.push(seat);
            },
          },
          {
            prefix: keys.seatGroups,
            each: (kv) => {
              const group = this.decode(kv, toStoredSeatGroup);
              if (group) groups.set(group.name, group);
            },
          },
        ],
        listed: (revision) => {
          this.index = LabelIndex.of(seats);
          this.groups = groups;
          this.lists++;
          this.barrier.advance(revision);
          this.emit({ kind: 'resync' });
          log.info({ seats: seats.length, groups: groups.size }, 'seat cache listed');
        },
        changed: (events, revision) => {
          for (const event of events) this.apply(event);
          this.barrier.advance(revision);
        },
      };
    });
  }

  private apply(event: WatchEvent): void {
    const key = event.type === 'put' ? event.kv.key : event.key;
    if (key.startsWith(keys.seats)) this.applySeat(key.slice(keys.seats.length), event);
    const group = seatGroupNameOfKey(key);
    if (group !== undefined) this.applyGroup(group, event);
  }

  private applySeat(name: string, event: WatchEvent): void {
    const held = this.index.get(name);
    const revision = event.type === 'put' ? event.kv.modRevision : event.modRevision;
    if (held && held.modRevision >= revision) return;
    const before = held && this.index.labelsOf(name);
    const next = event.type === 'put' ? this.decode(event.kv, toStoredSeat) : undefined;
    if (next) this.index.set(next);
    else this.index.remove(name);
    this.emit({ kind: 'seat', name, before, after: next && this.index.labelsOf(name) });
  }

  private applyGroup(name: string, event: WatchEvent): void {
    const held = this.groups.get(name);
    const revision = event.type === 'put' ? event.kv.modRevision : event.modRevision;
    if (held && held.modRevision >= revision) return;
    const next = event.type === 'put' ? this.decode(event.kv, toStoredSeatGroup) : undefined;
    if (next) this.groups.set(name, next);
    else this.groups.delete(name);
    this.emit({ kind: 'group', name });
  }

  private emit(change: SeatCacheChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.log.error({ err }, 'seat cache listener failed');
      }
    }
  }

  private decode<T>(kv: KeyValue, codec: (kv: KeyValue) => T): T | undefined {
    return decodeOrSkip(kv, codec, this.options.log, NAME);
  }
}
