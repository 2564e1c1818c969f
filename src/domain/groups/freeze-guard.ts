import { GroupFrozenError } from '../../model/errors.js';
import type { SeatCacheView } from '../../records/seat-cache.js';
import type { GroupFreeze } from './group-freeze.js';
import type { GroupService } from './group-service.js';

/** A group with a freeze in force, and which of the seats asked about it holds. */
export interface FrozenGroup {
  readonly group: string;
  readonly freeze: GroupFreeze;
  /** The seats asked about that are in the group, in name order. */
  readonly seats: readonly string[];
}

/**
 * What freezes mean for seats (D8). Installs (`installSegment`) and converge batches ask
 * `refuseFrozen` with every seat they would touch before they record anything; the rollout engine
 * asks `frozenGroupsOf` and `freezeOf` and decides itself (a wave waits, a rollback goes on, D6).
 */
export interface FreezeGuard {
  /** GROUP_FROZEN for the first frozen group (by name) holding any of the seats; nothing when none does. */
  refuseFrozen(seatNames: readonly string[]): Promise<void>;
  /** The groups frozen now that hold any of the seats, in name order. */
  frozenGroupsOf(seatNames: readonly string[]): Promise<FrozenGroup[]>;
  /** The group's freeze in force now; undefined when there is none or no such group. */
  freezeOf(groupName: string): Promise<GroupFreeze | undefined>;
}

export class GroupFreezeGuard implements FreezeGuard {
  constructor(private readonly groups: GroupService) {}

  async refuseFrozen(seatNames: readonly string[]): Promise<void> {
    const [first] = await this.frozenGroupsOf(seatNames);
    if (first) throw new GroupFrozenError(first.group, first.freeze.reason, first.freeze.until);
  }

  async frozenGroupsOf(seatNames: readonly string[]): Promise<FrozenGroup[]> {
    if (seatNames.length === 0) return [];
    return this.frozenIn(await this.groups.view(), seatNames);
  }

  async freezeOf(groupName: string): Promise<GroupFreeze | undefined> {
    const group = (await this.groups.view()).groups.get(groupName);
    return group && this.groups.freezeIn(group);
  }

  /** The same, from a view the caller already holds (no barrier). */
  frozenIn(view: SeatCacheView, seatNames: readonly string[]): FrozenGroup[] {
    const out: FrozenGroup[] = [];
    // Freezes are few and rare: look at the frozen groups only, then at the seats for each.
    for (const group of view.groups.values()) {
      const freeze = this.groups.freezeIn(group);
      if (!freeze) continue;
      const selector = this.groups.selectorOf(group);
      const seats = seatNames.filter((seat) => view.seats.matches(seat, selector));
      if (seats.length > 0) out.push({ group: group.name, freeze, seats: [...seats].sort() });
    }
    return out.sort((a, b) => (a.group < b.group ? -1 : 1));
  }
}
