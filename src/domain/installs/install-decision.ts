import { randomBytes } from 'node:crypto';
import {
  InstallInProgressError,
  RolloutInProgressError,
  SeatNotFoundError,
  SegmentDeletingError,
  SegmentNotFoundError,
  SegmentNotSyncedError,
} from '../../model/errors.js';
import type { InstallRecords, StoredInstall } from '../../records/install-records.js';
import {
  type InstallOrigin,
  type InstallRecordValue,
  isFinalInstallStatus,
  type ReplacePlan,
  type UpgradeOrder,
} from '../../records/install-schema.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import { BitMask } from '../../util/bit-mask.js';
import type { FreezeGuard } from '../groups/freeze-guard.js';
import type { ReleaseGuard } from '../groups/release-guard.js';
import type { SegmentService } from '../segments/segment-service.js';
import { InstallLog } from './install-log.js';
import { planTasks } from './install-steps.js';

/** What installs need from the seats: their addresses, and the way back from an address. */
export interface SeatDirectory {
  getMany(names: readonly string[]): Promise<ReadonlyMap<string, { name: string; ip: string }>>;
  /** Seat names by address, for the addresses that belong to a seat (any spelling of an address). */
  namesByIps(ips: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** How an install is asked for, beyond the segment and the seats. */
export interface InstallRequest {
  /** Who asked (the principal's id). */
  requestedBy?: string;
  /** D3: remove the other versions of the name from these seats in the same record. */
  replaceOtherVersions?: boolean;
  upgradeOrder?: UpgradeOrder;
  /** D1: which path makes the change; MANUAL when absent. */
  origin?: InstallOrigin;
  /**
   * SET (installSegment): the seats become exactly the segment's, seats not listed lose it. ADD
   * (converge, rollouts): the seats get it, nothing else changes. REMOVE (rollbacks): the seats
   * lose it, nothing else changes.
   */
  mode?: 'SET' | 'ADD' | 'REMOVE';
  /**
   * The record's id, chosen by a caller that must find its record again after a crash (a rollout
   * stores it first); `<segmentId>/<seq>`. A new one when absent.
   */
  recordId?: string;
  /** How long the record's devices may run before they are cancelled; INSTALL_TIMEOUT_MS when absent. */
  timeoutMs?: number;
}

export interface DecisionDeps {
  records: InstallRecords;
  segmentSeats: SegmentSeats;
  segments: SegmentService;
  seats: SeatDirectory;
  releaseGuard?: ReleaseGuard;
  /** Frozen groups (D8): refuses MANUAL and CONVERGE changes touching their seats. */
  freezeGuard?: FreezeGuard;
  now: () => Date;
}

/**
 * One attempt at the install decision (SPEC flow 8, D1, D3): checks in the order SEGMENT_NOT_FOUND,
 * SEGMENT_DELETING, SEGMENT_NOT_SYNCED, SEAT_NOT_FOUND, INSTALL_IN_PROGRESS (any version of the name),
 * GROUP_FROZEN (a MANUAL or CONVERGE change touching seats of a frozen group), SEGMENT_NOT_RELEASED
 * (seats of a protected group that would gain it); then the record, written only if nothing it was
 * decided on changed ('RETRY' otherwise). Null when the seats already are as asked.
 */
export async function decideInstall(
  deps: DecisionDeps,
  segmentId: string,
  desired: readonly string[],
  request: InstallRequest,
): Promise<StoredInstall | null | 'RETRY'> {
  const { records, segments, seats, segmentSeats } = deps;
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
  const name = segment.record.name;
  // D1: while a rollout of the name has not ended, only its own waves and rollback change seats.
  // Asked first: a caller refused during a rollout is told of the rollout, not of its wave's record.
  const rollout = await records.markers.activeRollout(name);
  if (rollout.id !== undefined && rollout.id !== request.origin?.rolloutId) {
    throw new RolloutInProgressError(name, rollout.id);
  }
  const active = await activeInstallOf(records, name);
  if (active !== undefined) throw new InstallInProgressError(segmentId, active);

  const current = await segmentSeats.get(segmentId);
  const has = new Set(current.seats);
  const wanted = new Set(desired);
  const removing = request.mode === 'REMOVE';
  const toInstall = removing ? [] : desired.filter((seat) => !has.has(seat)).sort();
  const uninstallSeats = removing
    ? desired.filter((seat) => has.has(seat)).sort()
    : request.mode === 'ADD'
      ? []
      : current.seats.filter((seat) => !wanted.has(seat));
  const others =
    request.replaceOtherVersions && !removing ? await otherVersions(deps, segmentId, desired) : [];
  // Seats that run this version already but also another one only lose the other.
  const cleanup = desired.filter((seat) => has.has(seat) && others.some((o) => o.seats.has(seat))).sort();
  const installSeats = [...toInstall, ...cleanup];
  // Freezes (D8): rollout waves and rollbacks decide about them in the rollout engine (D6).
  const kind = request.origin?.kind ?? 'MANUAL';
  if (kind === 'MANUAL' || kind === 'CONVERGE')
    await deps.freezeGuard?.refuseFrozen([...installSeats, ...uninstallSeats]);
  // Protected groups: SEGMENT_NOT_RELEASED before anything is written (seats gaining the segment only).
  await deps.releaseGuard?.refuseUnreleased(segment, toInstall, kind);
  if (installSeats.length === 0 && uninstallSeats.length === 0) return null;

  const id = request.recordId ?? `${segmentId}/${newSequence(deps.now())}`;
  const record: InstallRecordValue = {
    segmentId,
    installSeats,
    uninstallSeats,
    status: 'PENDING',
    createdAt: deps.now().toISOString(),
    origin: request.origin ?? { kind: 'MANUAL' },
    ...(request.requestedBy === undefined ? {} : { requestedBy: request.requestedBy }),
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
  };
  const replace = replacePlan(installSeats, toInstall.length, others, request.upgradeOrder);
  if (replace) record.replace = replace;
  const log = InstallLog.fresh(
    id,
    installSeats.length + uninstallSeats.length,
    planTasks(id, record).length,
    deps.now(),
  );
  const revision = await records.create(id, segmentId, record, log.summary, {
    segmentKeyRevision: segment.modRevision,
    segmentSeatsRevision: current.modRevision,
    seatLockRevision,
    otherSeatLists: others.map((o) => ({ segmentId: o.segmentId, revision: o.revision })),
    rolloutRevision: rollout.revision,
  });
  return revision === undefined ? 'RETRY' : { id, record, modRevision: revision };
}

/**
 * The install of the name that has not ended, if any. A marker whose record is gone or has ended
 * (left by a segment removed while it ran) is cleared instead of blocking the name for ever.
 */
async function activeInstallOf(records: InstallRecords, name: string): Promise<string | undefined> {
  const active = await records.markers.activeForName(name);
  if (active === undefined) return undefined;
  const stored = await records.get(active);
  if (stored && !isFinalInstallStatus(stored.record.status)) return active;
  await records.markers.clearNameMarker(name, active);
  return (await records.markers.activeForName(name)) === active ? active : undefined;
}

interface OtherVersion {
  segmentId: string;
  seats: Set<string>;
  revision: number;
}

/** The other versions of the name that run on any of `desired`, with their seat lists as read. */
async function otherVersions(
  deps: DecisionDeps,
  segmentId: string,
  desired: readonly string[],
): Promise<OtherVersion[]> {
  const versions = await deps.segments.versions(segmentId);
  const out: OtherVersion[] = [];
  for (const version of versions) {
    if (version.id === segmentId) continue;
    const list = await deps.segmentSeats.get(version.id);
    const on = new Set(list.seats);
    const seats = new Set(desired.filter((seat) => on.has(seat)));
    if (seats.size > 0) out.push({ segmentId: version.id, seats, revision: list.modRevision });
  }
  return out;
}

function replacePlan(
  installSeats: readonly string[],
  installedFrom: number,
  others: readonly OtherVersion[],
  order: UpgradeOrder = 'INSTALL_FIRST',
): ReplacePlan | undefined {
  if (others.length === 0) return undefined;
  const indexOf = new Map(installSeats.map((seat, i) => [seat, i]));
  return {
    order,
    installedFrom,
    others: others.map((other) => ({
      segmentId: other.segmentId,
      seats: BitMask.of(
        installSeats.length,
        [...other.seats].map((seat) => indexOf.get(seat) as number),
      ).encode(),
    })),
  };
}

/** Sorts by creation time; the random tail keeps two records of one millisecond apart. */
function newSequence(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
