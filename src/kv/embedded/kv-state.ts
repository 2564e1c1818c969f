import type { KeyValue, RangeOptions, RangeResult, WatchEvent } from '../kv.js';
import { StoreCorruptedError } from './errors.js';
import type { Change } from './records.js';
import { compareKeys, type KeyPosition, SortedKeys } from './sorted-keys.js';

export interface LeaseState {
  readonly id: string;
  readonly ttlSeconds: number;
  /** Keys currently attached, so expiry deletes them without scanning the store. */
  readonly keys: Set<string>;
}

/** Rough per-key overhead, so the snapshot trigger is not fooled by many tiny keys. */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The data as of the latest applied transaction: the key-value map, the key order, leases and the
 * revision counter. Deterministic and synchronous, so live commits and log replay share it.
 * Stored KeyValue objects are never mutated (they are replaced), so they can be shared with the
 * watch history and snapshots without copying.
 */
export class KvState {
  revision = 0;
  /** Approximate size of the live data, used to decide when the log is worth compacting. */
  liveBytes = 0;
  readonly leases = new Map<string, LeaseState>();
  private readonly entries = new Map<string, KeyValue>();
  private keys = new SortedKeys();

  /** Replaces the contents with a snapshot's (kvs sorted by key). */
  load(
    revision: number,
    kvs: readonly KeyValue[],
    leases: readonly { id: string; ttlSeconds: number }[],
  ): void {
    this.revision = revision;
    this.entries.clear();
    this.leases.clear();
    this.liveBytes = 0;
    for (const lease of leases) this.leases.set(lease.id, { ...lease, keys: new Set() });
    for (const kv of kvs) {
      this.entries.set(kv.key, kv);
      this.liveBytes += entryBytes(kv);
      if (kv.lease !== undefined) this.leaseOf(kv.lease, kv.key).keys.add(kv.key);
    }
    this.keys = SortedKeys.fromSorted(kvs.map((kv) => kv.key));
  }

  get size(): number {
    return this.keys.size;
  }

  get(key: string): KeyValue | undefined {
    return this.entries.get(key);
  }

  range(prefix: string, options: RangeOptions = {}): RangeResult {
    const from = this.rangeStart(prefix, options.startAfter);
    const to = this.prefixEnd(prefix);
    const count = this.keys.countBetween(from, to);
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const kvs: KeyValue[] = [];
    for (const key of this.keys.between(from, to)) {
      if (kvs.length >= limit) break;
      const kv = this.entries.get(key)!;
      kvs.push(options.keysOnly ? { ...kv, value: '' } : { ...kv });
    }
    return { kvs, count, more: count > kvs.length, revision: this.revision };
  }

  /** Keys under `prefix` in key order. */
  keysWithPrefix(prefix: string): string[] {
    return [...this.keys.between(this.rangeStart(prefix, undefined), this.prefixEnd(prefix))];
  }

  /** Every key-value in key order (the objects are shared, not copied). */
  allEntries(): KeyValue[] {
    return Array.from(this.keys, (key) => this.entries.get(key)!);
  }

  /** Writes `key` at revision `rev`; the caller has checked that the lease exists. */
  put(key: string, value: string, lease: string | undefined, rev: number): WatchEvent {
    const prev = this.entries.get(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : rev,
      modRevision: rev,
      version: prev ? prev.version + 1 : 1,
    };
    if (lease !== undefined) kv.lease = lease;
    if (prev?.lease !== undefined && prev.lease !== lease) this.leases.get(prev.lease)?.keys.delete(key);
    if (lease !== undefined) this.leaseOf(lease, key).keys.add(key);
    this.entries.set(key, kv);
    if (prev) this.liveBytes -= entryBytes(prev);
    else this.keys.insert(key);
    this.liveBytes += entryBytes(kv);
    return prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  /** Removes `key` at revision `rev`; undefined when it did not exist. */
  delete(key: string, rev: number): WatchEvent | undefined {
    const prev = this.entries.get(key);
    if (!prev) return undefined;
    this.entries.delete(key);
    this.keys.remove(key);
    this.liveBytes -= entryBytes(prev);
    if (prev.lease !== undefined) this.leases.get(prev.lease)?.keys.delete(key);
    return { type: 'delete', key, modRevision: rev, prevKv: prev };
  }

  /** Replays logged changes as the next revision. */
  applyChanges(changes: readonly Change[], rev: number): WatchEvent[] {
    if (rev !== this.revision + 1) {
      throw new StoreCorruptedError(`log jumps from revision ${this.revision} to ${rev}`);
    }
    const events: WatchEvent[] = [];
    for (const change of changes) {
      const event =
        change.type === 'put'
          ? this.put(change.key, change.value, change.lease, rev)
          : this.delete(change.key, rev);
      if (event) events.push(event);
    }
    this.revision = rev;
    return events;
  }

  private leaseOf(id: string, key: string): LeaseState {
    const lease = this.leases.get(id);
    // Live writes check leases first; reaching this means the files disagree with each other.
    if (!lease) throw new StoreCorruptedError(`key ${JSON.stringify(key)} refers to unknown lease ${id}`);
    return lease;
  }

  private rangeStart(prefix: string, startAfter: string | undefined): KeyPosition {
    if (startAfter !== undefined && compareKeys(startAfter, prefix) >= 0) {
      return this.keys.partition((k) => compareKeys(k, startAfter) <= 0);
    }
    return this.keys.partition((k) => compareKeys(k, prefix) < 0);
  }

  private prefixEnd(prefix: string): KeyPosition {
    return this.keys.partition((k) => k.startsWith(prefix) || compareKeys(k, prefix) < 0);
  }
}

function entryBytes(kv: KeyValue): number {
  return kv.key.length + kv.value.length + ENTRY_OVERHEAD_BYTES;
}
