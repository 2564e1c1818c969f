import type { WatchEvent } from '../kv.js';

export interface HistoryEntry {
  readonly revision: number;
  /** In the order the transaction made them; every event carries its prevKv when there was one. */
  readonly events: readonly WatchEvent[];
}

/**
 * The changes of recent revisions, one entry per revision without gaps, so watches can start in
 * the past and slow watchers can catch up without the writers buffering anything for them.
 * Bounded by a number of events; the oldest revisions go first, but the newest always stays.
 */
export class History {
  private entries: HistoryEntry[] = [];
  private head = 0;
  private eventCount = 0;
  private lowest: number;

  constructor(
    private readonly limit: number,
    /** The first revision this history can hold (the revision after the loaded snapshot). */
    floor: number,
  ) {
    this.lowest = floor;
  }

  /** Lowest revision still retained; watching from before it answers `compacted`. */
  get floor(): number {
    return this.lowest;
  }

  append(entry: HistoryEntry): void {
    const last = this.entries[this.entries.length - 1];
    const expected = last && this.head < this.entries.length ? last.revision + 1 : this.lowest;
    if (entry.revision !== expected) {
      throw new Error(`history expects revision ${expected}, got ${entry.revision}`);
    }
    this.entries.push(entry);
    this.eventCount += entry.events.length;
    while (this.eventCount > this.limit && this.entries.length - this.head > 1) this.dropOldest();
    this.reclaim();
  }

  at(revision: number): HistoryEntry | undefined {
    if (revision < this.lowest) return undefined;
    return this.entries[this.head + (revision - this.lowest)];
  }

  /** Forgets every revision before `revision` (which may be one past the newest). */
  compact(revision: number): void {
    while (this.lowest < revision && this.head < this.entries.length) this.dropOldest();
    this.lowest = Math.max(this.lowest, revision);
    this.reclaim();
  }

  private dropOldest(): void {
    const entry = this.entries[this.head]!;
    this.eventCount -= entry.events.length;
    this.head++;
    this.lowest = entry.revision + 1;
  }

  /** Drops consumed slots now and then instead of shifting the array on every append. */
  private reclaim(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
