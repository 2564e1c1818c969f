import { createHash, randomBytes } from 'node:crypto';
import type { Compare } from '../../kv/kv.js';
import {
  InstallInProgressError,
  InvalidInputError,
  SeatNotFoundError,
  SegmentDeletingError,
  SegmentNotFoundError,
  SegmentNotSyncedError,
} from '../../model/errors.js';
import type { InstallRecords, LogWrite, StoredInstall, StoredLog } from '../../records/install-records.js';
import {
  type InstallRecordValue,
  isFinalInstallStatus,
  type PlannedTask,
  seatOrder,
} from '../../records/install-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import { SdpNotFoundError } from '../../sdp/errors.js';
import type { SdpClients } from '../../sdp/sdp-clients.js';
import type { SegmentService } from '../segments/segment-service.js';
import { InstallLog } from './install-log.js';

/** What installs need from the seats: their addresses, and the way back from an address. */
export interface SeatDirectory {
  getMany(names: readonly string[]): Promise<ReadonlyMap<string, { name: string; ip: string }>>;
  /** Seat names by address, for the addresses that belong to a seat (any spelling of an address). */
  namesByIps(ips: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface InstallServiceOptions {
  records: InstallRecords;
  segmentSeats: SegmentSeats;
  segments: SegmentService;
  seats: SeatDirectory;
  clients: SdpClients;
  now?: () => Date;
}

/** SDP takes at most this many devices per task; larger changes are split over several tasks. */
export const MAX_DEVICES_PER_TASK = 20_000;
/** One request may change at most this many seats. */
const MAX_SEATS_PER_INSTALL = 100_000;
const DECISION_ATTEMPTS = 10;

/**
 * Installs and uninstalls (SPEC flow 8): the decision taken for `installSegment`, the records and
 * logs it leaves for the controller, and the writes the controller makes as SDP reports progress.
 */
export class InstallService {
  private readonly now: () => Date;

  constructor(private readonly options: InstallServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get(id: string): Promise<StoredInstall | undefined> {
    return this.options.records.get(id);
  }

  /** A segment's install records, newest first. */
  async forSegment(segmentId: string): Promise<StoredInstall[]> {
    return (await this.options.records.forSegment(segmentId)).reverse();
  }

  async readLog(id: string): Promise<{ log: InstallLog; stored: StoredLog } | undefined> {
    const stored = await this.options.records.readLog(id);
    return stored && { log: InstallLog.fromStored(stored), stored };
  }

  /**
   * Makes `seatNames` the seats that should have the segment. Null when that is already so (no
   * record is written); otherwise the new record. Decision order: SEGMENT_NOT_FOUND,
   * SEGMENT_DELETING, SEGMENT_NOT_SYNCED, SEAT_NOT_FOUND, INSTALL_IN_PROGRESS.
   */
  async install(
    segmentId: string,
    seatNames: readonly string[],
    requestedBy?: string,
  ): Promise<StoredInstall | null> {
    const desired = [...new Set(seatNames)];
    if (desired.length > MAX_SEATS_PER_INSTALL) {
      throw new InvalidInputError(`at most ${MAX_SEATS_PER_INSTALL} seats per install`, 'seatIds');
    }
    for (let attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
      const outcome = await this.tryInstall(segmentId, desired, requestedBy);
      if (outcome !== 'RETRY') return outcome;
    }
    throw new Error(`install of ${segmentId} could not be recorded: the store kept changing under it`);
  }

  private async tryInstall(
    segmentId: string,
    desired: string[],
    requestedBy: string | undefined,
  ): Promise<StoredInstall | null | 'RETRY'> {
    const { records, segments, seats, segmentSeats } = this.options;
    const segment = await segments.get(segmentId);
    if (!segment) throw new SegmentNotFoundError(segmentId);
    if (segment.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(segmentId);
    if (segment.record.sync.status !== 'SYNCED' || !segment.record.remoteExtra) {
      throw new SegmentNotSyncedError(segmentId, segment.record.sync.status);
    }
    // Read before the seats: a seat deleted after this read makes the create's compare fail.
    const seatLockRevision = await records.seatLockRevision();
    const found = await seats.getMany(desired);
    const missing = desired.filter((name) => !found.has(name));
    if (missing.length > 0) throw new SeatNotFoundError(missing);
    const active = await records.activeFor(segmentId);
    if (active !== undefined) throw new InstallInProgressError(segmentId, active);

    const current = await segmentSeats.get(segmentId);
    const wanted = new Set(desired);
    const installSeats = desired.filter((name) => !current.seats.includes(name)).sort();
    const uninstallSeats = current.seats.filter((name) => !wanted.has(name));
    if (installSeats.length === 0 && uninstallSeats.length === 0) return null;

    const id = `${segmentId}/${newSequence(this.now())}`;
    const record: InstallRecordValue = {
      segmentId,
      installSeats,
      uninstallSeats,
      status: 'PENDING',
      createdAt: this.now().toISOString(),
      ...(requestedBy === undefined ? {} : { requestedBy }),
    };
    const log = InstallLog.fresh(
      id,
      installSeats.length + uninstallSeats.length,
      planTasks(id, record).length,
      this.now(),
    );
    const revision = await records.create(
      id,
      segmentId,
      record,
      { summary: log.summary, chunks: log.allChunks() },
      {
        segmentKeyRevision: segment.modRevision,
        segmentSeatsRevision: current.modRevision,
        seatLockRevision,
      },
    );
    return revision === undefined ? 'RETRY' : { id, record, modRevision: revision };
  }

  /**
   * SPEC flow 7: asks SDP which devices have each version of the segment's name and stores the
   * seats with those addresses as that version's seat list. Devices that are no seat are ignored.
   */
  async refreshSeats(segmentId: string, signal?: AbortSignal): Promise<StoredSegment[]> {
    const versions = await this.options.segments.versions(segmentId);
    for (const version of versions) {
      const uid = version.record.remoteExtra?.uid;
      if (!uid) continue; // never reached SDP: no device can have it
      const ips = await this.options.clients[version.record.target]
        .listInstalledDevices(uid, { signal })
        .catch((err: unknown) => {
          if (err instanceof SdpNotFoundError) return []; // gone from SDP: installed nowhere
          throw err;
        });
      await this.replaceSeats(version.id, ips);
    }
    return versions;
  }

  private async replaceSeats(segmentId: string, ips: string[]): Promise<void> {
    const { records, seats, segmentSeats } = this.options;
    for (let attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
      // Read before the names: a seat deleted meanwhile makes the write's compare fail.
      const seatLockRevision = await records.seatLockRevision();
      const names = [...new Set((await seats.namesByIps(ips)).values())].sort();
      const current = await segmentSeats.get(segmentId);
      if (current.seats.length === names.length && current.seats.every((name, i) => name === names[i]))
        return;
      const read = { revision: current.modRevision, seatLockRevision };
      if (await records.replaceSegmentSeats(segmentId, names, this.now().toISOString(), read)) return;
    }
    throw new Error(`the seats of ${segmentId} could not be stored: the store kept changing under it`);
  }

  // ---- what the controller writes ----

  /** Undefined when the record changed since read: re-read and decide again. */
  update(current: StoredInstall, next: InstallRecordValue, guard: Compare[], log?: LogWrite) {
    return this.options.records.update(current, next, guard, log);
  }

  writeLog(id: string, write: LogWrite, guard: Compare[]): Promise<boolean> {
    return this.options.records.writeLog(id, write, guard);
  }

  /**
   * Keeps the newest `keep` ended records of a segment and deletes the older ones with their logs,
   * so a segment installed daily does not grow the store without bound. Returns how many went.
   */
  async pruneHistory(segmentId: string, keep: number, guard: Compare[]): Promise<number> {
    const ended = (await this.options.records.forSegment(segmentId)).filter((stored) =>
      isFinalInstallStatus(stored.record.status),
    );
    let pruned = 0;
    for (const stored of ended.slice(0, Math.max(0, ended.length - keep))) {
      if (await this.options.records.deleteEnded(stored, guard)) pruned++;
    }
    return pruned;
  }

  /**
   * Ends the record and sets the segment's seats from what actually succeeded: installed seats
   * added, uninstalled seats removed, to the list as it is now (a refresh may have changed it).
   */
  async finish(
    current: StoredInstall,
    next: InstallRecordValue,
    log: InstallLog,
    write: LogWrite,
    guard: Compare[],
  ) {
    const { segmentId, installSeats } = current.record;
    const seats = await this.options.segmentSeats.get(segmentId);
    const list = new Set(seats.seats);
    seatOrder(current.record).forEach((name, index) => {
      if (log.seat(index).state !== 'SUCCEEDED') return;
      if (index < installSeats.length) list.add(name);
      else list.delete(name);
    });
    const unchanged = list.size === seats.seats.length && seats.seats.every((name) => list.has(name));
    const at = this.now().toISOString();
    const change = unchanged ? undefined : { list: [...list], revision: seats.modRevision, at };
    return this.options.records.finish(current, next, write, change, guard);
  }
}

/** The SDP tasks that carry out a record: per action, batches of at most MAX_DEVICES_PER_TASK seats. */
export function planTasks(recordId: string, record: InstallRecordValue): Omit<PlannedTask, 'taskId'>[] {
  const base = `seghub-${createHash('sha256').update(recordId).digest('hex').slice(0, 40)}`;
  const tasks: Omit<PlannedTask, 'taskId'>[] = [];
  const add = (action: PlannedTask['action'], from: number, to: number) => {
    for (let start = from; start < to; start += MAX_DEVICES_PER_TASK) {
      const end = Math.min(to, start + MAX_DEVICES_PER_TASK);
      tasks.push({ action, from: start, to: end, idempotencyKey: `${base}-${tasks.length}` });
    }
  };
  const installs = record.installSeats.length;
  add('INSTALL', 0, installs);
  add('UNINSTALL', installs, installs + record.uninstallSeats.length);
  return tasks;
}

/** Sorts by creation time; the random tail keeps two records of one millisecond apart. */
function newSequence(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
