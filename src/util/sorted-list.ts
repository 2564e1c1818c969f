/**
 * An array kept sorted by a total order, with binary-search insert, remove and seek. Inserting
 * into 100,000 items moves pointers (tens of microseconds), far cheaper than sorting per read.
 */
export class SortedList<T> {
  private constructor(
    private readonly order: (a: T, b: T) => number,
    private readonly list: T[],
  ) {}

  static empty<T>(order: (a: T, b: T) => number): SortedList<T> {
    return new SortedList(order, []);
  }

  static from<T>(order: (a: T, b: T) => number, items: readonly T[]): SortedList<T> {
    return new SortedList(order, [...items].sort(order));
  }

  /** Sorted; live (changes with later inserts and removes): read it before awaiting anything. */
  get items(): readonly T[] {
    return this.list;
  }

  insert(item: T): void {
    this.list.splice(this.indexAfter(item), 0, item);
  }

  /** Removes the item the order ranks equal to `item`; false when there is none. */
  remove(item: T): boolean {
    const at = this.indexNotBefore(item);
    if (at >= this.list.length || this.order(this.list[at]!, item) !== 0) return false;
    this.list.splice(at, 1);
    return true;
  }

  /** Index of the first item ordered after `probe` (which need not be in the list). */
  private indexAfter(probe: T): number {
    return firstIndex(this.list, (item) => this.order(item, probe) > 0);
  }

  /** Index of the first item not ordered before `probe`. */
  private indexNotBefore(probe: T): number {
    return firstIndex(this.list, (item) => this.order(item, probe) >= 0);
  }
}

/**
 * Binary search in a sorted array: the first index whose item satisfies `past`, which must be
 * false for a prefix of the array and true after it (the array's length when it holds for none).
 */
export function firstIndex<T>(items: readonly T[], past: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (past(items[mid]!)) high = mid;
    else low = mid + 1;
  }
  return low;
}
