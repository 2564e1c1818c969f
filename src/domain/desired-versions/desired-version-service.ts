import { GroupNotFoundError, SegmentDeletingError, SegmentNotFoundError } from '../../model/errors.js';
import { ContendedWriteError } from '../../records/conflict-error.js';
import type {
  ConvergeState,
  DesiredVersionRecords,
  StoredDesiredVersion,
} from '../../records/desired-version-records.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import type { GroupService } from '../groups/group-service.js';
import { pageSize } from '../page-size.js';
import type { SegmentService } from '../segments/segment-service.js';
import { driftOf, type NameFacts, type SeatDrift } from './drift.js';

/**
 * Desired versions (SPEC-FLEET section 1, D4): per (seat group, segment name), the version the
 * group's seats should run. The converge reconciler keeps them there; this service records them
 * and answers what drifts. `set` is also what a successful rollout calls (with its id).
 */

export interface DesiredVersionServiceOptions {
  records: DesiredVersionRecords;
  groups: GroupService;
  segments: SegmentService;
  segmentSeats: SegmentSeats;
  /**
   * What an operator may not make desired (SPEC-FLEET section 3: a DEPRECATED segment, a tampered
   * file). A rollout's own success and a rollback's restore are not asked: both were judged already.
   */
  refuse?: (segment: StoredSegment) => void;
  now?: () => Date;
}

export interface DriftPage {
  readonly seats: SeatDrift[];
  readonly hasNextPage: boolean;
  readonly totalCount: number;
}

export class DesiredVersionService {
  private readonly now: () => Date;

  constructor(private readonly options: DesiredVersionServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Makes `segmentId` the version the group's seats should run (replacing another version of the
   * name) and gives parked seats of the name a fresh start. GROUP_NOT_FOUND, SEGMENT_NOT_FOUND,
   * SEGMENT_DELETING, and for an operator's set (neither `rolloutId` nor `restore`) what `refuse` says.
   */
  async set(
    group: string,
    segmentId: string,
    by: { setBy?: string; rolloutId?: string | null; restore?: boolean } = {},
  ): Promise<StoredDesiredVersion> {
    const { records, groups, segments } = this.options;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!(await groups.get(group))) throw new GroupNotFoundError(group);
      const segment = await segments.get(segmentId);
      if (!segment) throw new SegmentNotFoundError(segmentId);
      if (segment.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(segmentId);
      if (!by.rolloutId && !by.restore) this.options.refuse?.(segment);
      const record = {
        segmentId,
        setAt: this.now().toISOString(),
        ...(by.setBy === undefined ? {} : { setBy: by.setBy }),
        rolloutId: by.rolloutId ?? null,
      };
      const modRevision = await records.set(group, segment.record.name, record);
      if (modRevision !== undefined) return { group, name: segment.record.name, ...record, modRevision };
    }
    throw new ContendedWriteError(
      `the desired version of ${group} could not be written: the store kept changing`,
    );
  }

  /** Stops keeping the group on a version of `name`; its seats keep what they run. False if none was set. */
  async clear(group: string, name: string): Promise<boolean> {
    if (!(await this.options.groups.get(group))) throw new GroupNotFoundError(group);
    return this.options.records.clear(group, name);
  }

  get(group: string, name: string): Promise<StoredDesiredVersion | undefined> {
    return this.options.records.get(group, name);
  }

  /** A group's desired versions, by segment name. */
  forGroup(group: string): Promise<StoredDesiredVersion[]> {
    return this.options.records.list(group);
  }

  /** Every desired version of `name`, across groups. */
  async forName(name: string): Promise<StoredDesiredVersion[]> {
    return (await this.options.records.list()).filter((desired) => desired.name === name);
  }

  convergeState(name: string): Promise<ConvergeState | undefined> {
    return this.options.records.convergeState(name).then((read) => read?.state);
  }

  /** What converge and drift are computed from, for one name, read now. */
  async facts(name: string): Promise<NameFacts> {
    const { groups, segments, segmentSeats, records } = this.options;
    const desiredList = await this.forName(name);
    const desired = new Map(desiredList.map((d) => [d.group, d.segmentId]));
    // One view of the seat cache for every group: one read barrier, not two per group.
    const view = await groups.view();
    const members = new Map<string, readonly string[]>();
    for (const group of desired.keys()) members.set(group, groups.membersIn(view, group) ?? []);
    const running = new Map<string, ReadonlySet<string>>();
    const anyId = desiredList[0]?.segmentId;
    // A desired version whose segment is gone is drift for every member; a store that cannot be
    // read is not (it would make converge reinstall what seats already run).
    const versions = anyId
      ? await segments.versions(anyId).catch((error: unknown) => {
          if (error instanceof SegmentNotFoundError) return [];
          throw error;
        })
      : [];
    for (const version of versions)
      running.set(version.id, new Set((await segmentSeats.get(version.id)).seats));
    for (const id of desired.values()) if (!running.has(id)) running.set(id, new Set());
    return { desired, members, running, failures: await records.convergeSeats(name) };
  }

  /** The group's seats that drift from its desired version of `name`, in seat-name order. */
  async drift(group: string, name: string): Promise<SeatDrift[]> {
    const facts = await this.facts(name);
    return driftOf(facts.members.get(group) ?? [], facts);
  }

  /** A page of `drift`, after the seat named by `after`. */
  async driftPage(
    group: string,
    name: string,
    { first, after }: { first?: number | null; after?: string | null } = {},
  ): Promise<DriftPage> {
    const all = await this.drift(group, name);
    const start = after ? all.findIndex((d) => d.seat > after) : 0;
    const from = start < 0 ? all.length : start;
    const size = pageSize(first);
    return {
      seats: all.slice(from, from + size),
      hasNextPage: from + size < all.length,
      totalCount: all.length,
    };
  }
}
