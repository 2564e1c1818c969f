import { absent, type Compare, type KeyValue, type KvStore, type TxnOp, unchangedSince } from '../kv/kv.js';
import { parseSegmentId } from '../model/segment-identity.js';
import { discardAhead, writeAhead } from './chunked-writes.js';
import {
  encodeHead,
  ipChunkOps,
  nameChunkOps,
  nonceFor,
  readInstall,
  SeatChunkCache,
  type StoredInstall,
} from './install-chunks.js';
import { type InstallLogSummary, logSummaryCodec } from './install-log-schema.js';
import {
  type LogWrite,
  logChunkOps,
  readInstallLog,
  type StoredLog,
  summaryOp,
} from './install-log-store.js';
import { InstallMarkers } from './install-markers.js';
import {
  type InstallRecordValue,
  type InstallStatus,
  installHeadCodec,
  isFinalInstallStatus,
} from './install-schema.js';
import { RecordDecodeError } from './json-codec.js';
import { keys } from './keyspace.js';
import { type SeatListWrite, seatListOps } from './segment-seats.js';

export type { StoredInstall } from './install-chunks.js';
export type { LogWrite, StoredLog } from './install-log-store.js';
export type { SeatListWrite } from './segment-seats.js';

/** What `create` must find unchanged: what the install decision was made on. */
export interface CreateInstallGuard {
  segmentKeyRevision: number;
  segmentSeatsRevision: number;
  seatLockRevision: number;
  /** The seat lists of the other versions an upgrade removes, as read (0: none). */
  otherSeatLists?: readonly { segmentId: string; revision: number }[];
  /** The name's active-rollout marker as read (0: none): a rollout created meanwhile wins (D1). */
  rolloutRevision?: number;
}

function nameOf(segmentId: string): string {
  const parsed = parseSegmentId(segmentId);
  if (!parsed) throw new Error(`${segmentId} is not a segment id`);
  return parsed.name;
}

/** The store side of installs: records, their logs, and the transactions that move them. */
export class InstallRecords {
  /** Which installs (and rollouts) of a segment or name have not ended. */
  readonly markers: InstallMarkers;
  /** The controller reads a running record on every pass: its seat chunks are decoded once. */
  private readonly chunkCache = new SeatChunkCache();

  constructor(private readonly kv: KvStore) {
    this.markers = new InstallMarkers(kv);
  }

  async get(id: string): Promise<StoredInstall | undefined> {
    const kv = await this.kv.get(keys.install(id));
    return kv && this.resolve(kv);
  }

  /** A segment's records, oldest first. */
  async forSegment(segmentId: string): Promise<StoredInstall[]> {
    const { kvs } = await this.kv.range(keys.segmentInstalls(segmentId));
    const out: StoredInstall[] = [];
    for (const kv of kvs) {
      const stored = await this.resolve(kv);
      if (stored) out.push(stored);
    }
    return out;
  }

  /**
   * The record a head read names, with its chunks. Chunks go with their record: when they are
   * missing because it was deleted meanwhile, the record is gone; otherwise the record is damaged.
   */
  private async resolve(kv: KeyValue): Promise<StoredInstall | undefined> {
    try {
      return await readInstall(this.kv, kv, this.chunkCache);
    } catch (err) {
      if (!(err instanceof RecordDecodeError)) throw err;
      const now = await this.kv.get(kv.key);
      if (now?.modRevision === kv.modRevision) throw err;
      return now && readInstall(this.kv, now, this.chunkCache);
    }
  }

  async seatLockRevision(): Promise<number> {
    return (await this.kv.get(keys.seatBindingsLock))?.modRevision ?? 0;
  }

  readLog(id: string): Promise<StoredLog | undefined> {
    return readInstallLog(this.kv, id);
  }

  /**
   * Where a record stands, from its head alone (no seat chunks, no log chunks): what a follower
   * polling a long record needs between its start and its end.
   */
  async progress(
    id: string,
  ): Promise<{ status: InstallStatus; startedAt: string; summary?: InstallLogSummary } | undefined> {
    const [head, summary] = await Promise.all([
      this.kv.get(keys.install(id)),
      this.kv.get(keys.installLogSummary(id)),
    ]);
    if (!head) return undefined;
    const record = installHeadCodec.decode(head.key, head.value);
    return {
      status: record.status,
      startedAt: record.startedAt ?? record.createdAt,
      ...(summary ? { summary: logSummaryCodec.decode(summary.key, summary.value) } : {}),
    };
  }

  /**
   * Writes a new record, marks it the segment's active install, bumps the seat-bindings lock and
   * writes its log summary, all at once, if nothing the decision rested on changed. Undefined
   * otherwise. The log's chunks are written by the polls that change them: until then every seat is
   * PENDING, which is what an absent chunk reads as, so a create never leaves log chunks behind.
   * A record of more than 500 seats writes its seat chunks first when they do not fit alongside.
   */
  async create(
    id: string,
    segmentId: string,
    record: InstallRecordValue,
    summary: InstallLogSummary,
    guard: CreateInstallGuard,
  ): Promise<number | undefined> {
    const nonce = nonceFor(record);
    const final: TxnOp[] = [
      { type: 'put', key: keys.install(id), value: encodeHead(record, nonce) },
      { type: 'put', key: keys.activeInstall(segmentId), value: id },
      { type: 'put', key: keys.activeNameInstall(nameOf(segmentId)), value: id },
      { type: 'put', key: keys.seatBindingsLock, value: id },
      summaryOp(id, summary),
    ];
    const compare = [
      unchangedSince(keys.segment(segmentId), guard.segmentKeyRevision),
      unchangedSince(keys.segmentSeats(segmentId), guard.segmentSeatsRevision),
      unchangedSince(keys.seatBindingsLock, guard.seatLockRevision),
      absent(keys.activeInstall(segmentId)),
      absent(keys.activeNameInstall(nameOf(segmentId))),
      ...(guard.otherSeatLists ?? []).map((other) =>
        unchangedSince(keys.segmentSeats(other.segmentId), other.revision),
      ),
      unchangedSince(keys.activeRollout(nameOf(segmentId)), guard.rolloutRevision ?? 0),
      // A caller-chosen id (a rollout's step) is created once: an ended record is never overwritten.
      absent(keys.install(id)),
    ];
    const chunks = nonce === undefined ? [] : nameChunkOps(id, record, nonce);
    const inline = await writeAhead(this.kv, [...compare, absent(keys.install(id))], chunks, final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    if (result?.succeeded) return result.revision;
    if (nonce !== undefined) await discardAhead(this.kv, keys.installSeatChunks(id, nonce));
    return undefined;
  }

  /**
   * Replaces the record (and optionally its log) if neither changed since read. A record stored in
   * chunks that gets its plan here gets its address chunks first.
   */
  async update(
    current: StoredInstall,
    next: InstallRecordValue,
    guard: Compare[],
    log?: LogWrite,
  ): Promise<StoredInstall | undefined> {
    const compare = [unchangedSince(keys.install(current.id), current.modRevision), ...guard];
    const { nonce } = current;
    const chunks =
      nonce !== undefined && next.plan && !current.record.plan
        ? ipChunkOps(current.id, next.plan.ips, nonce)
        : [];
    const final: TxnOp[] = [{ type: 'put', key: keys.install(current.id), value: encodeHead(next, nonce) }];
    if (log) {
      compare.push(unchangedSince(keys.installLogSummary(current.id), log.summaryRevision));
      final.push(summaryOp(current.id, log.summary));
      chunks.push(...logChunkOps(current.id, log.chunks));
    }
    const inline = await writeAhead(this.kv, compare, chunks, final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    return result?.succeeded ? { ...current, record: next, modRevision: result.revision } : undefined;
  }

  /** Writes the summary and the given chunks if the summary is unchanged since `stored` was read. */
  async writeLog(id: string, write: LogWrite, guard: Compare[]): Promise<boolean> {
    const compare = [unchangedSince(keys.installLogSummary(id), write.summaryRevision), ...guard];
    const final = [summaryOp(id, write.summary)];
    const inline = await writeAhead(this.kv, compare, logChunkOps(id, write.chunks), final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    return result?.succeeded ?? false;
  }

  /**
   * Ends a record: its final state and log, the new seat lists (its segment's, and for an upgrade
   * the other versions'), and the end of its activity, in one transaction, so no reader ever sees a
   * finished record with stale seats. Chunks of long lists and logs that do not fit go first.
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
    const lists = seats.map((write) => seatListOps(write, at, 'INSTALL'));
    const compare: Compare[] = [
      unchangedSince(keys.install(current.id), current.modRevision),
      unchangedSince(keys.installLogSummary(current.id), log.summaryRevision),
      ...seats.map((write) => unchangedSince(keys.segmentSeats(write.segmentId), write.revision)),
      ...(ownsName ? [{ key: nameKey, target: 'value' as const, op: '=' as const, value: current.id }] : []),
      ...guard,
    ];
    const final: TxnOp[] = [
      { type: 'put', key: keys.install(current.id), value: encodeHead(next, current.nonce) },
      ...lists.flatMap((list) => list.final),
      summaryOp(current.id, log.summary),
      { type: 'delete', key: keys.activeInstall(segmentId) },
      ...(ownsName ? [{ type: 'delete' as const, key: nameKey }] : []),
    ];
    const chunks = [...lists.flatMap((list) => list.chunks), ...logChunkOps(current.id, log.chunks)];
    const inline = await writeAhead(this.kv, compare, chunks, final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...final] }));
    if (result?.succeeded) return true;
    for (const list of lists) if (list.chunkPrefix) await discardAhead(this.kv, list.chunkPrefix);
    return false;
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
        { type: 'put', key: keys.install(current.id), value: encodeHead(next, current.nonce) },
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
        { type: 'deletePrefix', prefix: keys.installSeatsOf(stored.id) },
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
    read: { revision: number; chunkNonces?: readonly string[]; seatLockRevision: number },
  ): Promise<boolean> {
    const write = { segmentId, list, revision: read.revision, chunkNonces: read.chunkNonces };
    const ops = seatListOps(write, at, 'REFRESH');
    const compare = [
      unchangedSince(keys.segmentSeats(segmentId), read.revision),
      unchangedSince(keys.seatBindingsLock, read.seatLockRevision),
    ];
    const inline = await writeAhead(this.kv, compare, ops.chunks, ops.final);
    const result = inline && (await this.kv.txn({ compare, success: [...inline, ...ops.final] }));
    if (result?.succeeded) return true;
    if (ops.chunkPrefix) await discardAhead(this.kv, ops.chunkPrefix);
    return false;
  }
}
