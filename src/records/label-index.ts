import { matchesSelector, type Requirement, type Selector } from '../model/selector.js';
import { firstIndex, SortedList } from '../util/sorted-list.js';
import type { StoredSeat } from './stored-seat.js';

/**
 * Seats in name order with an index from labels to seats, so that a selector over 100,000 seats is
 * answered from the seats that carry one of its labels, not by testing every seat. Kept current by
 * the seat cache's watch (`seat-cache.ts`); read synchronously.
 *
 * The matching names of the last 64 selectors are kept (a dashboard paging through a group, converge
 * reading a group's members, ask the same selector again and again). A seat that changes is noted
 * against each of them and settled at the next read — tested once, moved in or out of the sorted
 * names — so a relabel costs the next read microseconds, not a new search; past `MAX_PENDING`
 * changes the entry is searched afresh instead. A change that keeps a seat's labels (its address)
 * moves no seat in or out of any selector and is not noted.
 */

export interface NamePage {
  /** In name order, the order of the unfiltered `seats` list, so cursors mean the same in both. */
  readonly names: readonly string[];
  readonly hasNextPage: boolean;
  /** Every match, not only this page. */
  readonly totalCount: number;
}

/** Above this share of all seats a candidate set is not worth sorting: walk the sorted seats instead. */
const SCAN_SHARE = 0.25;
const MEMO_ENTRIES = 64;
const MAX_PENDING = 256;

interface MemoEntry {
  readonly selector: Selector;
  /** In name order. Replaced, never changed in place: callers may hold an earlier one. */
  names: readonly string[];
  /** Seats changed since `names` was settled. */
  readonly pending: Set<string>;
}

const byName = (a: StoredSeat, b: StoredSeat) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class LabelIndex {
  private readonly sorted = SortedList.empty(byName);
  private readonly seats = new Map<string, StoredSeat>();
  private readonly labels = new Map<string, ReadonlyMap<string, string>>();
  /** key → value → seat names. */
  private readonly byLabel = new Map<string, Map<string, Set<string>>>();
  /** key → seat names carrying it, whatever the value. */
  private readonly byKey = new Map<string, Set<string>>();
  private readonly memo = new Map<string, MemoEntry>();

  static of(seats: readonly StoredSeat[]): LabelIndex {
    const index = new LabelIndex();
    for (const seat of seats) index.add(seat);
    return index;
  }

  get size(): number {
    return this.seats.size;
  }

  /** Every seat in name order (live: read before awaiting anything). */
  get all(): readonly StoredSeat[] {
    return this.sorted.items;
  }

  get(name: string): StoredSeat | undefined {
    return this.seats.get(name);
  }

  labelsOf(name: string): ReadonlyMap<string, string> {
    return this.labels.get(name) ?? new Map();
  }

  /** Puts a seat in, replacing the one of that name. */
  set(seat: StoredSeat): void {
    const held = this.seats.get(seat.name);
    if (held && sameLabels(this.labelsOf(seat.name), seat.labels ?? [])) {
      // Same name, same labels: every selector still says the same of it.
      this.sorted.remove(held);
      this.sorted.insert(seat);
      this.seats.set(seat.name, seat);
      return;
    }
    if (held) this.remove(held.name);
    this.add(seat);
  }

  remove(name: string): void {
    const held = this.seats.get(name);
    if (!held) return;
    this.noteChange(name);
    this.sorted.remove(held);
    this.seats.delete(name);
    for (const [key, value] of this.labels.get(name) ?? []) {
      const values = this.byLabel.get(key)!;
      const names = values.get(value)!;
      names.delete(name);
      if (names.size === 0) values.delete(value);
      if (values.size === 0) this.byLabel.delete(key);
      const keyed = this.byKey.get(key)!;
      keyed.delete(name);
      if (keyed.size === 0) this.byKey.delete(key);
    }
    this.labels.delete(name);
  }

  private add(seat: StoredSeat): void {
    this.noteChange(seat.name);
    this.sorted.insert(seat);
    this.seats.set(seat.name, seat);
    const labels = new Map((seat.labels ?? []).map(({ key, value }) => [key, value]));
    this.labels.set(seat.name, labels);
    for (const [key, value] of labels) {
      entry(
        entry(this.byLabel, key, () => new Map<string, Set<string>>()),
        value,
        () => new Set<string>(),
      ).add(seat.name);
      entry(this.byKey, key, () => new Set<string>()).add(seat.name);
    }
  }

  matches(name: string, selector: Selector): boolean {
    return this.seats.has(name) && matchesSelector(selector, this.labelsOf(name));
  }

  /** `first` matching names after `after` (exclusive), in name order. `memoKey` names the selector. */
  page(selector: Selector, memoKey: string, first: number, after?: string): NamePage {
    const names = this.matching(selector, memoKey);
    const start = after === undefined ? 0 : firstIndex(names, (name) => name > after);
    return {
      names: names.slice(start, start + first),
      hasNextPage: start + first < names.length,
      totalCount: names.length,
    };
  }

  /** Every matching name, in name order. `memoKey` names the selector (same key, same selector). */
  matching(selector: Selector, memoKey: string): readonly string[] {
    const held = this.memo.get(memoKey);
    if (held) {
      // Most recently used last, so the oldest is the first to go.
      this.memo.delete(memoKey);
      this.memo.set(memoKey, held);
      if (held.pending.size > 0) this.settle(held);
      return held.names;
    }
    const names = this.compute(selector);
    this.memo.set(memoKey, { selector, names, pending: new Set() });
    if (this.memo.size > MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value!);
    return names;
  }

  private noteChange(name: string): void {
    for (const [key, entry] of this.memo) {
      entry.pending.add(name);
      if (entry.pending.size > MAX_PENDING) this.memo.delete(key);
    }
  }

  /** Moves each changed seat in or out of the entry's names, on a copy. */
  private settle(entry: MemoEntry): void {
    const names = [...entry.names];
    for (const name of entry.pending) {
      const at = firstIndex(names, (n) => n >= name);
      const present = names[at] === name;
      const belongs = this.matches(name, entry.selector);
      if (present && !belongs) names.splice(at, 1);
      else if (!present && belongs) names.splice(at, 0, name);
    }
    entry.pending.clear();
    entry.names = names;
  }

  private compute(selector: Selector): string[] {
    const candidates = this.smallestCandidates(selector.requirements);
    const test = (name: string) => matchesSelector(selector, this.labelsOf(name));
    if (candidates === undefined || candidates.size > this.seats.size * SCAN_SHARE) {
      const names: string[] = [];
      for (const seat of this.sorted.items) if (test(seat.name)) names.push(seat.name);
      return names;
    }
    return [...candidates].filter(test).sort();
  }

  /**
   * The fewest seats some requirement confines the result to (`k=v`, `k in (…)`, `k`); undefined
   * when none does (`!k`, `k!=v` and `notin` match seats without the key, so only a scan finds them).
   */
  private smallestCandidates(requirements: readonly Requirement[]): Set<string> | undefined {
    let smallest: Set<string> | undefined;
    for (const { key, operator, values } of requirements) {
      let set: Set<string> | undefined;
      if (operator === 'exists') set = this.byKey.get(key) ?? new Set();
      else if (operator === 'eq' || operator === 'in') set = this.union(key, values);
      if (set && (smallest === undefined || set.size < smallest.size)) smallest = set;
      if (smallest?.size === 0) return smallest;
    }
    return smallest;
  }

  private union(key: string, values: readonly string[]): Set<string> {
    const byValue = this.byLabel.get(key);
    const sets = values.flatMap((value) => byValue?.get(value) ?? []);
    if (sets.length === 1) return sets[0]!;
    const out = new Set<string>();
    for (const set of sets) for (const name of set) out.add(name);
    return out;
  }
}

/** The map's value for `key`, created first when there is none. */
function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function sameLabels(
  held: ReadonlyMap<string, string>,
  next: readonly { key: string; value: string }[],
): boolean {
  return held.size === next.length && next.every(({ key, value }) => held.get(key) === value);
}
