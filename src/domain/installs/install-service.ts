import type { Compare } from '../../kv/kv.js';
import { InvalidInputError } from '../../model/errors.js';
import { ContendedWriteError } from '../../records/conflict-error.js';
import type {
  InstallRecords,
  LogWrite,
  SeatListWrite,
  StoredInstall,
  StoredLog,
} from '../../records/install-records.js';
import { type InstallRecordValue, isFinalInstallStatus } from '../../records/install-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import { SdpNotFoundError } from '../../sdp/errors.js';
import type { SdpClients } from '../../sdp/sdp-clients.js';
import type { FreezeGuard } from '../groups/freeze-guard.js';
import type { ReleaseGuard } from '../groups/release-guard.js';
import type { SegmentService } from '../segments/segment-service.js';
import { decideInstall, type InstallRequest, type SeatDirectory } from './install-decision.js';
import { InstallLog } from './install-log.js';
import { seatListChanges } from './install-steps.js';

export type { InstallRequest, SeatDirectory } from './install-decision.js';

export interface InstallServiceOptions {
  records: InstallRecords;
  segmentSeats: SegmentSeats;
  segments: SegmentService;
  seats: SeatDirectory;
  clients: SdpClients;
  /** Protected groups: refuses segments that are not RELEASED on their seats (`groups/release-guard.ts`). */
  releaseGuard?: ReleaseGuard;
  /** Frozen groups: refuses installs and converge batches on their seats (`groups/freeze-guard.ts`). */
  freezeGuard?: FreezeGuard;
  now?: () => Date;
}

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
   * Makes `seatNames` the seats that should have the segment (or, with `mode: ADD`, adds them).
   * Null when that is already so (no record is written); otherwise the new record. Decision order:
   * SEGMENT_NOT_FOUND, SEGMENT_DELETING, SEGMENT_NOT_SYNCED, SEAT_NOT_FOUND, INSTALL_IN_PROGRESS,
   * GROUP_FROZEN (MANUAL and CONVERGE changes touching seats of a frozen group), SEGMENT_NOT_RELEASED
   * (seats of a protected group that would gain the segment).
   */
  async install(
    segmentId: string,
    seatNames: readonly string[],
    request: InstallRequest = {},
  ): Promise<StoredInstall | null> {
    const desired = [...new Set(seatNames)];
    if (desired.length > MAX_SEATS_PER_INSTALL) {
      throw new InvalidInputError(`at most ${MAX_SEATS_PER_INSTALL} seats per install`, 'seatIds');
    }
    const deps = { ...this.options, now: this.now };
    for (let attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
      const outcome = await decideInstall(deps, segmentId, desired, request);
      if (outcome !== 'RETRY') return outcome;
    }
    throw new ContendedWriteError(
      `install of ${segmentId} could not be recorded: the store kept changing under it`,
    );
  }

  /** A record's status, start and log summary, without its seats (cheap enough to poll). */
  progress(id: string) {
    return this.options.records.progress(id);
  }

  /** Seats of every install that has not ended, all names together (D5 `MAX_SEATS_IN_FLIGHT`). */
  seatsInFlight(): Promise<number> {
    return this.options.records.markers.seatsInFlight();
  }

  /** The install of any version of `name` that has not ended, if any (D1: one change per name). */
  activeForName(name: string): Promise<string | undefined> {
    return this.options.records.markers.activeForName(name);
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
      const read = { revision: current.modRevision, chunkNonces: current.chunkNonces, seatLockRevision };
      if (await records.replaceSegmentSeats(segmentId, names, this.now().toISOString(), read)) return;
    }
    throw new ContendedWriteError(
      `the seats of ${segmentId} could not be stored: the store kept changing under it`,
    );
  }

  // ---- what the controller writes ----

  /** Undefined when the record changed since read: re-read and decide again. */
  update(current: StoredInstall, next: InstallRecordValue, guard: Compare[], log?: LogWrite) {
    return this.options.records.update(current, next, guard, log);
  }

  writeLog(id: string, write: LogWrite, guard: Compare[]): Promise<boolean> {
    return this.options.records.writeLog(id, write, guard);
  }

  /** Ends a record that cannot be worked on as FAILED with `error`; false when it changed since read. */
  abandon(current: StoredInstall, error: string, guard: Compare[]): Promise<boolean> {
    const next: InstallRecordValue = {
      ...current.record,
      status: 'FAILED',
      finishedAt: this.now().toISOString(),
      error,
    };
    return this.options.records.abandon(current, next, guard);
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
   * Ends the record and sets the seat lists from what actually succeeded (see `seatListChanges`),
   * applied to the lists as they are now (a refresh may have changed them).
   */
  async finish(
    current: StoredInstall,
    next: InstallRecordValue,
    log: InstallLog,
    write: LogWrite,
    guard: Compare[],
  ) {
    const changes = seatListChanges(current.record, (index) => log.seat(index).state);
    const writes: SeatListWrite[] = [];
    for (const [segmentId, change] of changes) {
      if (change.add.size === 0 && change.remove.size === 0) continue;
      const seats = await this.options.segmentSeats.get(segmentId);
      const list = new Set(seats.seats);
      for (const name of change.add) list.add(name);
      for (const name of change.remove) list.delete(name);
      const unchanged = list.size === seats.seats.length && seats.seats.every((name) => list.has(name));
      if (!unchanged)
        writes.push({
          segmentId,
          list: [...list],
          revision: seats.modRevision,
          chunkNonces: seats.chunkNonces,
        });
    }
    return this.options.records.finish(current, next, write, writes, this.now().toISOString(), guard);
  }
}
