import { absent, type Compare, type KeyValue, type KvStore, type TxnOp, unchangedSince } from '../kv/kv.js';
import { parseSegmentId } from '../model/segment-identity.js';
import {
  type InstallLogSummary,
  type LogChunk,
  logChunkCodec,
  logSummaryCodec,
} from './install-log-schema.js';
import { type InstallRecordValue, installRecordCodec, isFinalInstallStatus } from './install-schema.js';
import { installIdOfKey, keys } from './keyspace.js';
import { segmentSeatsCodec } from './segment-seats.js';

/** An install record as read from the store, with the revision that writes compare against. */
export interface StoredInstall {
  /** `<segmentId>/<seq>`. */
  readonly id: string;
  readonly record: InstallRecordValue;
  readonly modRevision: number;
}

/** A log as read, with the summary's revision: log writes compare it, so two writers never interleave. */
export interface StoredLog {
  readonly recordId: string;
  readonly summary: InstallLogSummary;
  /** In chunk order. */
  readonly chunks: LogChunk[];
  readonly summaryRevision: number;
}

/** A log write: the new summary, the chunks that changed, and the revision the summary had when read. */
export interface LogWrite {
  readonly summaryRevision: number;
  readonly summary: InstallLogSummary;
  readonly chunks: ReadonlyMap<number, LogChunk>;
}

/** What `create` must find unchanged: what the install decision was made on. */
export interface CreateInstallGuard {
  segmentKeyRevision: number;
  segmentSeatsRevision: number;
  seatLockRevision: number;
  /** The seat lists of the other versions an upgrade removes, as read (0: none). */
  otherSeatLists?: readonly { segmentId: string; revision: number }[];
}

/** A seat list the end of a record writes: the list, and the revision it had when read. */
export interface SeatListWrite {
  segmentId: string;
  list: string[];
  revision: number;
}

function nameOf(segmentId: string): string {
  const parsed = parseSegmentId(segmentId);
  if (!parsed) throw new Error(`${segmentId} is not a segment id`);
  return parsed.name;
}

/** The store side of installs: records, their logs, and the transactions that move them. */
export class InstallRecords {
  constructor(private readonly kv: KvStore) {}

  async get(id: string): Promise<StoredInstall | undefined> {
    const kv = await this.kv.get(keys.install(id));
    return kv && toStoredInstall(kv);
  }

  /** A segment's records, oldest first. */
  async forSegment(segmentId: string): Promise<StoredInstall[]> {
    const { kvs } = await this.kv.range(keys.segmentInstalls(segmentId));
    return kvs.map(toStoredInstall);
  }

  /** The record id of the segment's install that has not ended, if any. */
  async activeFor(segmentId: string): Promise<string | undefined> {
    return (await this.kv.get(keys.activeInstall(segmentId)))?.value;
  }

  /**
   * The record id of an install of any version of `name` that has not ended, if any: the name's
   * marker, or (records from before it existed) a version's marker.
   */
  async activeForName(name: string): Promise<string | undefined> {
    const marker = await this.kv.get(keys.activeNameInstall(name));
    if (marker) return marker.value;
    const { kvs } = await this.kv.range(keys.activeInstall(`${name}/`), { limit: 1 });
    return kvs[0]?.value;
  }

  /** Removes the name's marker if it still names `recordId` (whose record is gone or has ended). */
  async clearNameMarker(name: string, recordId: string): Promise<boolean> {
    const key = keys.activeNameInstall(name);
    const result = await this.kv.txn({
      compare: [{ key, target: 'value', op: '=', value: recordId }],
      success: [{ type: 'delete', key }],
    });
    return result.succeeded;
  }

  async seatLockRevision(): Promise<number> {
    return (await this.kv.get(keys.seatBindingsLock))?.modRevision ?? 0;
  }

  async readLog(id: string): Promise<StoredLog | undefined> {
    const { kvs } = await this.kv.range(keys.installLog(id));
    const summaryKey = keys.installLogSummary(id);
    const summaryKv = kvs.find((kv) => kv.key === summaryKey);
    if (!summaryKv) return undefined;
    const chunks = kvs.filter((kv) => kv !== summaryKv).map((kv) => logChunkCodec.decode(kv.key, kv.value));
    const summary = logSummaryCodec.decode(summaryKv.key, summaryKv.value);
    return { recordId: id, summary, chunks, summaryRevision: summaryKv.modRevision };
  }

  /**
   * Writes a new record, marks it the segment's active install, bumps the seat-bindings lock and
   * writes its initial log, all at once, if nothing the decision rested on changed. False otherwise.
   */
  async create(
    id: string,
    segmentId: string,
    record: InstallRecordValue,
    log: Omit<LogWrite, 'summaryRevision'>,
    guard: CreateInstallGuard,
  ): Promise<number | undefined> {
    const result = await this.kv.txn({
      compare: [
        unchangedSince(keys.segment(segmentId), guard.segmentKeyRevision),
        unchangedSince(keys.segmentSeats(segmentId), guard.segmentSeatsRevision),
        unchangedSince(keys.seatBindingsLock, guard.seatLockRevision),
        absent(keys.activeInstall(segmentId)),
        absent(keys.activeNameInstall(nameOf(segmentId))),
        ...(guard.otherSeatLists ?? []).map((other) =>
          unchangedSince(keys.segmentSeats(other.segmentId), other.revision),
        ),
      ],
      success: [
        { type: 'put', key: keys.install(id), value: installRecordCodec.encode(record) },
        { type: 'put', key: keys.activeInstall(segmentId), value: id },
        { type: 'put', key: keys.activeNameInstall(nameOf(segmentId)), value: id },
        { type: 'put', key: keys.seatBindingsLock, value: id },
        ...logOps(id, log.summary, log.chunks),
      ],
    });
    return result.succeeded ? result.revision : undefined;
  }

  /** Replaces the record (and optionally its log) if neither changed since read. */
  async update(
    current: StoredInstall,
    next: InstallRecordValue,
    guard: Compare[],
    log?: LogWrite,
  ): Promise<StoredInstall | undefined> {
    const compare = [unchangedSince(keys.install(current.id), current.modRevision), ...guard];
    const success: TxnOp[] = [
      { type: 'put', key: keys.install(current.id), value: installRecordCodec.encode(next) },
    ];
    if (log) {
      compare.push(unchangedSince(keys.installLogSummary(current.id), log.summaryRevision));
      success.push(...logOps(current.id, log.summary, log.chunks));
    }
    const result = await this.kv.txn({ compare, success });
    return result.succeeded ? { ...current, record: next, modRevision: result.revision } : undefined;
  }

  /** Writes the summary and the given chunks if the summary is unchanged since `stored` was read. */
  async writeLog(id: string, write: LogWrite, guard: Compare[]): Promise<boolean> {
    const result = await this.kv.txn({
      compare: [unchangedSince(keys.installLogSummary(id), write.summaryRevision), ...guard],
      success: logOps(id, write.summary, write.chunks),
    });
    return result.succeeded;
  }

  /**
   * Ends a record: its final state and log, the new seat lists (its segment's, and for an upgrade
   * the other versions'), and the end of its activity, in one transaction, so no reader ever sees a
   * finished record with stale seats.
   */
  async finish(
    current: StoredInstall,
    next: InstallRecordValue,
    log: LogWrite,
    /** The seat lists that changed. */
    seats: readonly SeatListWrite[],
    at: string,
    guard: Compare[],
  ): Promise<boolean> {
    const { segmentId } = current.record;
    const nameKey = keys.activeNameInstall(nameOf(segmentId));
    // Records from before the name marker existed have none (and must not remove a newer record's).
    const ownsName = (await this.kv.get(nameKey))?.value === current.id;
    const result = await this.kv.txn({
      compare: [
        unchangedSince(keys.install(current.id), current.modRevision),
        unchangedSince(keys.installLogSummary(current.id), log.summaryRevision),
        ...seats.map((write) => unchangedSince(keys.segmentSeats(write.segmentId), write.revision)),
        ...(ownsName
          ? [{ key: nameKey, target: 'value' as const, op: '=' as const, value: current.id }]
          : []),
        ...guard,
      ],
      success: [
        { type: 'put', key: keys.install(current.id), value: installRecordCodec.encode(next) },
        ...seats.map((write) => segmentSeatsPut(write.segmentId, write.list, at, 'INSTALL')),
        ...logOps(current.id, log.summary, log.chunks),
        { type: 'delete', key: keys.activeInstall(segmentId) },
        ...(ownsName ? [{ type: 'delete' as const, key: nameKey }] : []),
      ],
    });
    return result.succeeded;
  }

  /**
   * Ends a record that cannot be worked on (its log is gone or does not decode): its final state and
   * the end of its activity, and nothing else; its segment's seat lists are left to a refresh.
   */
  async abandon(current: StoredInstall, next: InstallRecordValue, guard: Compare[]): Promise<boolean> {
    const { segmentId } = current.record;
    const nameKey = keys.activeNameInstall(nameOf(segmentId));
    const ownsName = (await this.kv.get(nameKey))?.value === current.id;
    const result = await this.kv.txn({
      compare: [
        unchangedSince(keys.install(current.id), current.modRevision),
        ...(ownsName
          ? [{ key: nameKey, target: 'value' as const, op: '=' as const, value: current.id }]
          : []),
        ...guard,
      ],
      success: [
        { type: 'put', key: keys.install(current.id), value: installRecordCodec.encode(next) },
        { type: 'delete', key: keys.activeInstall(segmentId) },
        ...(ownsName ? [{ type: 'delete' as const, key: nameKey }] : []),
      ],
    });
    return result.succeeded;
  }

  /**
   * Deletes an ended record with its log, if unchanged since read. Records that have not ended are
   * never deleted this way.
   */
  async deleteEnded(stored: StoredInstall, guard: Compare[]): Promise<boolean> {
    if (!isFinalInstallStatus(stored.record.status)) return false;
    const result = await this.kv.txn({
      compare: [unchangedSince(keys.install(stored.id), stored.modRevision), ...guard],
      success: [
        { type: 'delete', key: keys.install(stored.id) },
        { type: 'deletePrefix', prefix: keys.installLog(stored.id) },
      ],
    });
    return result.succeeded;
  }

  /**
   * Stores a segment's seat list as SDP reported it, if unchanged since read and no seat was deleted
   * since the names were looked up (`seatLockRevision`, read before them).
   */
  async replaceSegmentSeats(
    segmentId: string,
    list: string[],
    at: string,
    read: { revision: number; seatLockRevision: number },
  ): Promise<boolean> {
    const result = await this.kv.txn({
      compare: [
        unchangedSince(keys.segmentSeats(segmentId), read.revision),
        unchangedSince(keys.seatBindingsLock, read.seatLockRevision),
      ],
      success: [segmentSeatsPut(segmentId, list, at, 'REFRESH')],
    });
    return result.succeeded;
  }
}

function segmentSeatsPut(
  segmentId: string,
  list: string[],
  at: string,
  source: 'INSTALL' | 'REFRESH',
): TxnOp {
  const value = segmentSeatsCodec.encode({ seats: [...list].sort(), updatedAt: at, source });
  return { type: 'put', key: keys.segmentSeats(segmentId), value };
}

// The summary goes last: a watcher that sees it knows the chunks written with it came before.
function logOps(id: string, summary: InstallLogSummary, chunks: ReadonlyMap<number, LogChunk>): TxnOp[] {
  return [
    ...[...chunks].map(
      ([n, chunk]): TxnOp => ({
        type: 'put',
        key: keys.installLogChunk(id, n),
        value: logChunkCodec.encode(chunk),
      }),
    ),
    { type: 'put', key: keys.installLogSummary(id), value: logSummaryCodec.encode(summary) },
  ];
}

export function toStoredInstall(kv: KeyValue): StoredInstall {
  const id = installIdOfKey(kv.key);
  if (id === undefined) throw new Error(`${kv.key} is not an install key`);
  return { id, record: installRecordCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
}
