import { absent, type Compare, type KeyValue, type KvStore, unchangedSince } from '../kv/kv.js';
import { versionIdentity } from '../model/segment-identity.js';
import { keys, segmentIdOfKey } from './keyspace.js';
import { decodeSegmentRecord, encodeSegmentRecord, type SegmentRecord } from './segment-schema.js';
import { SegmentSeats } from './segment-seats.js';

/** A segment record as read from the store, with the revisions that writes compare against. */
export interface StoredSegment {
  /** `<name>/<version>`. */
  readonly id: string;
  readonly record: SegmentRecord;
  readonly createRevision: number;
  readonly modRevision: number;
}

/** What stands between a segment and its deletion (SPEC flow 4). */
export interface InstallState {
  readonly seats: readonly string[];
  /** Of `segment-seats/<id>`; 0 when the segment has no seat list. */
  readonly seatsModRevision: number;
  readonly installRunning: boolean;
}

export type CreateOutcome =
  | { created: true; segment: StoredSegment }
  | { created: false; existing: StoredSegment | undefined };

/**
 * Segment records in the store. Every write is a transaction guarded by what the writer read, so
 * concurrent writers (API replicas, the controller) never overwrite each other's changes blindly.
 */
export class SegmentRecords {
  private readonly seats: SegmentSeats;

  constructor(private readonly kv: KvStore) {
    this.seats = new SegmentSeats(kv);
  }

  async get(id: string): Promise<StoredSegment | undefined> {
    const kv = await this.kv.get(keys.segment(id));
    return kv && toStored(kv);
  }

  /** All versions of one name, in key order (the caller sorts by version). */
  async versions(name: string): Promise<StoredSegment[]> {
    const { kvs } = await this.kv.range(keys.segmentVersions(name));
    return kvs.map(toStored);
  }

  async installState(id: string): Promise<InstallState> {
    const [seats, active] = await Promise.all([this.seats.get(id), this.kv.get(keys.activeInstall(id))]);
    return { seats: seats.seats, seatsModRevision: seats.modRevision, installRunning: active !== undefined };
  }

  /**
   * Creates the record only if its key is absent (and every `guard` holds): of concurrent creates
   * exactly one wins.
   */
  async create(id: string, record: SegmentRecord, guard: Compare[] = []): Promise<CreateOutcome> {
    const key = keys.segment(id);
    const identityKey = keys.segmentIdentity(record.name, versionIdentity(record.version));
    const older = await this.sameIdentityUnindexed(record.name, record.version);
    if (older) return { created: false, existing: older };
    const result = await this.kv.txn({
      compare: [absent(key), absent(identityKey), ...guard],
      success: [
        { type: 'put', key, value: encodeSegmentRecord(record) },
        { type: 'put', key: identityKey, value: id },
      ],
      failure: [
        { type: 'get', key },
        { type: 'get', key: identityKey },
      ],
    });
    if (result.succeeded) {
      const segment = { id, record, createRevision: result.revision, modRevision: result.revision };
      return { created: true, segment };
    }
    const [same, identity] = result.results;
    if (same?.type === 'get' && same.kv) return { created: false, existing: toStored(same.kv) };
    const twinId = identity?.type === 'get' ? identity.kv?.value : undefined;
    const twin = twinId === undefined ? undefined : await this.get(twinId);
    if (twinId !== undefined && !twin && (await this.dropStaleIdentity(identityKey, twinId))) {
      return this.create(id, record, guard);
    }
    return { created: false, existing: twin };
  }

  /**
   * Removes an identity key whose record is gone (deleted by a release that did not know the key),
   * if it still names `twinId` and that record is still absent. True when removed.
   */
  private async dropStaleIdentity(identityKey: string, twinId: string): Promise<boolean> {
    const result = await this.kv.txn({
      compare: [{ key: identityKey, target: 'value', op: '=', value: twinId }, absent(keys.segment(twinId))],
      success: [{ type: 'delete', key: identityKey }],
    });
    return result.succeeded;
  }

  /** The stored segment whose version has the identity of `version` (`1.0` finds `1.0.0`), if any. */
  async withIdentity(name: string, version: string): Promise<StoredSegment | undefined> {
    const indexed = await this.kv.get(keys.segmentIdentity(name, versionIdentity(version)));
    const stored = indexed && (await this.get(indexed.value));
    return stored || this.sameIdentityUnindexed(name, version);
  }

  /**
   * A stored version of `name` with the identity of `version`, among records written before the
   * identity key existed (they have none). Reads keys only. New records always write the key, so
   * the transaction's compare on it settles races between creates; this look covers the old ones.
   */
  private async sameIdentityUnindexed(name: string, version: string): Promise<StoredSegment | undefined> {
    const identity = versionIdentity(version);
    const { kvs } = await this.kv.range(keys.segmentVersions(name), { keysOnly: true });
    for (const { key } of kvs) {
      const stored = segmentIdOfKey(key)?.slice(name.length + 1);
      if (stored !== undefined && versionIdentity(stored) === identity) return this.get(`${name}/${stored}`);
    }
    return undefined;
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

  /**
   * Writes `next` (deleteStatus PROCESSING) only if the record is as read, no install is running
   * and the seat list is as read (`seatsModRevision`, 0: none). Installing compares the record and
   * the running-install key the same way, so of an install and a delete starting together exactly
   * one wins. Undefined when the write lost: re-read and decide again.
   */
  markDeleting(
    current: StoredSegment,
    next: SegmentRecord,
    seatsModRevision: number,
  ): Promise<StoredSegment | undefined> {
    return this.update(current, next, [
      absent(keys.activeInstall(current.id)),
      unchangedSince(keys.segmentSeats(current.id), seatsModRevision),
    ]);
  }

  /**
   * Removes the record with everything that hangs off it — seat list (and its chunks), install
   * records (and theirs), install logs, running-install marker — in one transaction, if the record is unchanged since read and
   * every `guard` holds. False when the write lost: re-read and decide again.
   */
  async removeWithDependents(current: StoredSegment, guard: Compare[] = []): Promise<boolean> {
    const { id, record } = current;
    const result = await this.kv.txn({
      compare: [unchangedSince(keys.segment(id), current.modRevision), ...guard],
      success: [
        { type: 'delete', key: keys.segment(id) },
        // Only this record can hold its identity: a create refuses while any version shares it.
        { type: 'delete', key: keys.segmentIdentity(record.name, versionIdentity(record.version)) },
        { type: 'delete', key: keys.segmentSeats(id) },
        { type: 'deletePrefix', prefix: keys.segmentSeatChunksOf(id) },
        { type: 'delete', key: keys.activeInstall(id) },
        { type: 'deletePrefix', prefix: keys.segmentInstalls(id) },
        { type: 'deletePrefix', prefix: keys.segmentInstallLogs(id) },
        { type: 'deletePrefix', prefix: keys.segmentInstallSeats(id) },
      ],
    });
    return result.succeeded;
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
