import {
  GroupInUseError,
  GroupNotFoundError,
  InvalidInputError,
  TooManySeatGroupsError,
} from '../../model/errors.js';
import { isValidSegmentName } from '../../model/segment-identity.js';
import { matchesSelector, parseSelector, type Selector } from '../../model/selector.js';
import { ConflictError, ContendedWriteError } from '../../records/conflict-error.js';
import type { SeatCache, SeatCacheChange, SeatCacheView } from '../../records/seat-cache.js';
import type { SeatGroupRecord, SeatGroupRecords, StoredSeatGroup } from '../../records/seat-group-records.js';
import type { StoredSeat } from '../../records/stored-seat.js';
import { pageSize } from '../page-size.js';
import { checkFreezeInput, freezeInForce, type GroupFreeze } from './group-freeze.js';

/**
 * Seat groups (SPEC-FLEET section 1): named label selectors; a seat is a member while its labels
 * match. Membership is computed from the seat cache (`records/seat-cache.ts`), never stored.
 *
 * API for other domain code (kept stable; seats are named by seat name, the domain's seat id):
 *   get(name)                    → the group, or undefined            (fresh: sees every acknowledged write)
 *   list()                       → every group, in name order
 *   membersOf(name)              → every member's name, in name order (GROUP_NOT_FOUND if no such group)
 *   memberPage(name, {first, after}) → a page of members with totalCount
 *   isMember(seatName, name)     → boolean
 *   groupsOfSeat(seatName)       → the names of the groups the seat is in, in name order
 *   onMembershipChange(listener) → unsubscribe; listener(event) is called synchronously, after the
 *       cache applied the change, with one of
 *         { kind: 'seat', seat, joined: string[], left: string[] }   a seat's labels changed, or it came or went
 *         { kind: 'group', group }   a group was created, changed (selector) or deleted: all its seats may have moved
 *         { kind: 'resync' }         the cache re-listed the store: anything may have changed
 *       Level-triggered consumers enqueue the groups named and re-read membership when they run.
 *   addInUseCheck(check)         → the hook `deleteSeatGroup` asks (GROUP_IN_USE with the reason it returns)
 *   freeze(name, reason, until, by) / unfreeze(name) → D8 freezes; `freezeIn(group)` the one in force now
 *       (what the freezes mean for seats: `freeze-guard.ts`)
 */

export interface SeatGroup {
  readonly name: string;
  readonly selector: string;
  readonly protected: boolean;
  readonly description: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The freeze in force when the group was read; absent when none is (or its `until` has passed). */
  readonly frozen?: GroupFreeze;
}

export interface SeatGroupInput {
  readonly name: string;
  readonly selector: string;
  /** Absent: false for a new group, unchanged for an existing one. */
  readonly protected?: boolean | null;
  /** Absent: '' for a new group, unchanged for an existing one. */
  readonly description?: string | null;
}

export type MembershipEvent =
  | { readonly kind: 'seat'; readonly seat: string; readonly joined: string[]; readonly left: string[] }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'resync' };

/** Why a group cannot go now, or undefined when nothing holds it. */
export type GroupInUseCheck = (groupName: string) => Promise<string | undefined>;

export interface MemberPage {
  readonly seats: StoredSeat[];
  readonly hasNextPage: boolean;
  readonly totalCount: number;
}

const MAX_GROUP_DESCRIPTION_LENGTH = 256;
const WRITE_ATTEMPTS = 5;

export class GroupService {
  private readonly now: () => Date;
  private readonly inUseChecks: GroupInUseCheck[] = [];
  /** Parsed selectors by group name and selector text (a group's selector parsed once). */
  private readonly parsed = new Map<string, { text: string; selector: Selector }>();

  constructor(
    private readonly options: {
      cache: SeatCache;
      records: SeatGroupRecords;
      /** MAX_SEAT_GROUPS. */
      maxGroups: number;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    // A deleted group's parsed selector goes with it (the cache reports every group change).
    options.cache.onChange((change) => {
      if (change.kind === 'group' && !options.cache.current().groups.has(change.name)) {
        this.parsed.delete(change.name);
      }
    });
  }

  async get(name: string): Promise<SeatGroup | undefined> {
    const group = (await this.view()).groups.get(name);
    return group && this.toGroup(group);
  }

  async list(): Promise<SeatGroup[]> {
    const groups = [...(await this.view()).groups.values()];
    return groups.sort((a, b) => (a.name < b.name ? -1 : 1)).map((group) => this.toGroup(group));
  }

  async membersOf(name: string): Promise<readonly string[]> {
    const members = this.membersIn(await this.view(), name);
    if (!members) throw new GroupNotFoundError(name);
    return members;
  }

  /** The same, from a view the caller already holds (no barrier); undefined when there is no such group. */
  membersIn(view: SeatCacheView, name: string): readonly string[] | undefined {
    const group = view.groups.get(name);
    return group && view.seats.matching(this.selectorOf(group), memoKey(name, view));
  }

  /** Seats whose labels match an ad-hoc selector (INVALID_SELECTOR when it does not parse). */
  async seatsMatching(selector: string): Promise<readonly string[]> {
    const parsed = parseSelector(selector);
    return (await this.view()).seats.matching(parsed, `selector:${selector}`);
  }

  async memberPage(
    name: string,
    { first, after }: { first?: number; after?: string } = {},
  ): Promise<MemberPage> {
    const size = pageSize(first);
    const view = await this.view();
    const group = requireGroup(view, name);
    const page = view.seats.page(this.selectorOf(group), memoKey(name, view), size, after);
    return { ...page, seats: page.names.map((seat) => view.seats.get(seat)!) };
  }

  async isMember(seatName: string, name: string): Promise<boolean> {
    const view = await this.view();
    const group = view.groups.get(name);
    return group !== undefined && view.seats.matches(seatName, this.selectorOf(group));
  }

  async groupsOfSeat(seatName: string): Promise<string[]> {
    return this.groupsOfSeatIn(await this.view(), seatName);
  }

  /** The same, from a view the caller already holds (no barrier): for many seats of one request. */
  groupsOfSeatIn(view: SeatCacheView, seatName: string): string[] {
    if (!view.seats.get(seatName)) return [];
    const labels = view.seats.labelsOf(seatName);
    return [...view.groups.values()]
      .filter((group) => matchesSelector(this.selectorOf(group), labels))
      .map((group) => group.name)
      .sort();
  }

  /** The cache after a read barrier, for callers that ask several questions of one moment. */
  view(signal?: AbortSignal): Promise<SeatCacheView> {
    return this.options.cache.fresh(signal);
  }

  onMembershipChange(listener: (event: MembershipEvent) => void): () => void {
    return this.options.cache.onChange((change) => {
      const event = this.membershipEvent(change);
      if (event) listener(event);
    });
  }

  addInUseCheck(check: GroupInUseCheck): void {
    this.inUseChecks.push(check);
  }

  /** Creates or changes a group. INVALID_INPUT for a bad name or description, INVALID_SELECTOR for a bad selector. */
  async upsert(input: SeatGroupInput): Promise<SeatGroup> {
    checkGroupInput(input);
    return this.write(input.name, async (held, at) => {
      // Every group is tested against each changed seat: the limit keeps that cheap. Two creates at
      // the same moment may both pass it; the count is a bound on cost, not an invariant.
      if (!held && (await this.options.records.count()) >= this.options.maxGroups) {
        throw new TooManySeatGroupsError(this.options.maxGroups);
      }
      return {
        name: input.name,
        selector: input.selector,
        protected: input.protected ?? held?.protected ?? false,
        description: input.description ?? held?.description ?? '',
        createdAt: held?.createdAt ?? at,
        updatedAt: at,
        // A freeze is changed only by freeze and unfreeze, never by editing the group.
        ...(held?.frozen ? { frozen: held.frozen } : {}),
      };
    });
  }

  /**
   * Freezes a group (D8), replacing any freeze it had: GROUP_NOT_FOUND; INVALID_INPUT for an empty
   * reason, one over 500 characters, or an `until` not in the future. Without `until` it holds until
   * `unfreeze`.
   */
  async freeze(name: string, reason: string, until: Date | undefined, by: string): Promise<SeatGroup> {
    checkFreezeInput(reason, until, this.now());
    return this.write(name, async (held, at) => {
      if (!held) throw new GroupNotFoundError(name);
      const frozen = { reason, ...(until ? { until: until.toISOString() } : {}), by, at };
      return { ...toRecord(held), updatedAt: at, frozen };
    });
  }

  /** Ends a group's freeze: GROUP_NOT_FOUND; a group with no freeze in force is left as it is. */
  async unfreeze(name: string): Promise<SeatGroup> {
    return this.write(name, async (held, at) => {
      if (!held) throw new GroupNotFoundError(name);
      if (!this.freezeIn(held)) return undefined;
      const { frozen: _, ...record } = toRecord(held);
      return { ...record, updatedAt: at };
    });
  }

  /** The group's freeze if it is in force now (by this service's clock). */
  freezeIn(group: StoredSeatGroup): GroupFreeze | undefined {
    return freezeInForce(group.frozen, this.now());
  }

  /**
   * Reads the group, asks `next` for its new record (undefined: leave it as it is) and writes that
   * if the group did not change meanwhile, else reads again.
   */
  private async write(
    name: string,
    next: (held: StoredSeatGroup | undefined, at: string) => Promise<SeatGroupRecord | undefined>,
  ): Promise<SeatGroup> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const held = isValidSegmentName(name) ? await this.options.records.get(name) : undefined;
      const record = await next(held, this.now().toISOString());
      if (!record) return this.toGroup(held!);
      try {
        return this.toGroup(await this.options.records.put(record, held?.modRevision ?? 0));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new ContendedWriteError(
      `seat group ${name} kept changing under the write (${WRITE_ATTEMPTS} attempts)`,
    );
  }

  private toGroup(stored: StoredSeatGroup): SeatGroup {
    const { modRevision: _, frozen: __, ...group } = stored;
    const frozen = this.freezeIn(stored);
    return frozen ? { ...group, frozen } : group;
  }

  /** Deletes a group: GROUP_NOT_FOUND, or GROUP_IN_USE with the reason a check gave. */
  async delete(name: string): Promise<void> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const held = isValidSegmentName(name) ? await this.options.records.get(name) : undefined;
      if (!held) throw new GroupNotFoundError(name);
      for (const check of this.inUseChecks) {
        const reason = await check(name);
        if (reason !== undefined) throw new GroupInUseError(name, reason);
      }
      try {
        return await this.options.records.delete(name, held.modRevision);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new ContendedWriteError(
      `seat group ${name} kept changing under the delete (${WRITE_ATTEMPTS} attempts)`,
    );
  }

  /** The group's selector, parsed once per selector text (it parsed when it was written). */
  selectorOf(group: StoredSeatGroup): Selector {
    const held = this.parsed.get(group.name);
    if (held?.text === group.selector) return held.selector;
    const selector = parseSelector(group.selector);
    this.parsed.set(group.name, { text: group.selector, selector });
    return selector;
  }

  private membershipEvent(change: SeatCacheChange): MembershipEvent | undefined {
    if (change.kind !== 'seat')
      return change.kind === 'group' ? { kind: 'group', group: change.name } : change;
    const joined: string[] = [];
    const left: string[] = [];
    for (const group of this.options.cache.current().groups.values()) {
      const selector = this.selectorOf(group);
      const was = change.before !== undefined && matchesSelector(selector, change.before);
      const is = change.after !== undefined && matchesSelector(selector, change.after);
      if (is && !was) joined.push(group.name);
      if (was && !is) left.push(group.name);
    }
    if (joined.length === 0 && left.length === 0) return undefined;
    return { kind: 'seat', seat: change.name, joined: joined.sort(), left: left.sort() };
  }
}

function requireGroup(view: SeatCacheView, name: string): StoredSeatGroup {
  const group = view.groups.get(name);
  if (!group) throw new GroupNotFoundError(name);
  return group;
}

/** Memo entries are per group and selector text, so a changed selector never answers from the old one. */
function memoKey(name: string, view: SeatCacheView): string {
  return `group:${name}:${view.groups.get(name)?.selector}`;
}

function checkGroupInput(input: SeatGroupInput): void {
  if (!isValidSegmentName(input.name)) {
    throw new InvalidInputError(
      `group name ${JSON.stringify(input.name)} must be 1 to 63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit`,
      'input.name',
    );
  }
  parseSelector(input.selector);
  if ((input.description?.length ?? 0) > MAX_GROUP_DESCRIPTION_LENGTH) {
    throw new InvalidInputError(
      `a group description has at most ${MAX_GROUP_DESCRIPTION_LENGTH} characters`,
      'input.description',
    );
  }
}

function toRecord({ modRevision: _, ...record }: StoredSeatGroup): SeatGroupRecord {
  return record;
}
