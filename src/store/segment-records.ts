import { keys, segmentIdOfKey } from './keyspace.js';
import { absent, type Compare, type KeyValue, type KvStore, unchangedSince } from './kv.js';
import { decodeSegmentRecord, encodeSegmentRecord, type SegmentRecord } from './segment-record.js';

/** A segment record as read from the store, with the revisions that writes compare against. */
export interface StoredSegment {
  /** `<name>/<version>`. */
  readonly id: string;
  readonly record: SegmentRecord;
  readonly createRevision: number;
  readonly modRevision: number;
}

export type CreateOutcome =
  | { created: true; segment: StoredSegment }
  | { created: false; existing: StoredSegment | undefined };

/**
 * Segment records in the store. Every write is a transaction guarded by what the writer read, so
 * concurrent writers (API replicas, the controller) never overwrite each other's changes blindly.
 */
export class SegmentRecords {
  constructor(private readonly kv: KvStore) {}

  async get(id: string): Promise<StoredSegment | undefined> {
    const kv = await this.kv.get(keys.segment(id));
    return kv && toStored(kv);
  }

  /** All versions of one name, in key order (the caller sorts by version). */
  async versions(name: string): Promise<StoredSegment[]> {
    const { kvs } = await this.kv.range(keys.segmentVersions(name));
    return kvs.map(toStored);
  }

  /** Creates the record only if its key is absent: of concurrent creates exactly one wins. */
  async create(id: string, record: SegmentRecord): Promise<CreateOutcome> {
    const key = keys.segment(id);
    const result = await this.kv.txn({
      compare: [absent(key)],
      success: [{ type: 'put', key, value: encodeSegmentRecord(record) }],
      failure: [{ type: 'get', key }],
    });
    if (result.succeeded) {
      const segment = { id, record, createRevision: result.revision, modRevision: result.revision };
      return { created: true, segment };
    }
    const existing = result.results[0];
    return {
      created: false,
      existing: existing?.type === 'get' && existing.kv ? toStored(existing.kv) : undefined,
    };
  }

  /**
   * Replaces the record if nobody changed it since `current` was read and every `guard` holds (the
   * controller passes its leadership). Undefined when the write lost: re-read and decide again.
   */
  async update(
    current: StoredSegment,
    next: SegmentRecord,
    guard: Compare[] = [],
  ): Promise<StoredSegment | undefined> {
    const key = keys.segment(current.id);
    const result = await this.kv.txn({
      compare: [unchangedSince(key, current.modRevision), ...guard],
      success: [{ type: 'put', key, value: encodeSegmentRecord(next) }],
    });
    if (!result.succeeded) return undefined;
    return { ...current, record: next, modRevision: result.revision };
  }
}

export function toStored(kv: KeyValue): StoredSegment {
  const id = segmentIdOfKey(kv.key);
  if (id === undefined) throw new Error(`${kv.key} is not a segment key`);
  return {
    id,
    record: decodeSegmentRecord(kv.key, kv.value),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
  };
}
