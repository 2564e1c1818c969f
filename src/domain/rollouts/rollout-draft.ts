import type { Compare } from '../../kv/kv.js';
import { SEAT_CHUNK_SIZE } from '../../records/chunked-writes.js';
import type { RolloutRecords, StoredRolloutRecord } from '../../records/rollout-records.js';
import type {
  RolloutRecord,
  RolloutSeat,
  RolloutSeatState,
  RolloutState,
  RolloutSummary,
} from '../../records/rollout-schema.js';
import { addEvent, moveWait } from './rollout-record.js';

const SUMMARY_KEY: Record<RolloutSeatState, keyof RolloutSummary> = {
  PENDING: 'pending',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timedOut',
  SKIPPED: 'skipped',
  ROLLED_BACK: 'rolledBack',
  NOT_REVERTED: 'notReverted',
};

/**
 * A seat's error is kept to this many characters, so that a chunk of 500 seats stays well under
 * 256 KiB whatever SDP reports (D2): names ≤ 63, versions ≤ 64 characters.
 */
const MAX_SEAT_ERROR = 200;

/** A seat and its position in the rollout's seat order. */
export interface IndexedSeat {
  readonly index: number;
  readonly seat: RolloutSeat;
}

/**
 * One pass's working copy of a rollout: the head as read, the chunks it has loaded, and what it
 * changed. `commit` writes the head with the changed chunks in one guarded write (or reports that
 * the head moved meanwhile, and nothing is written).
 */
export class RolloutDraft {
  readonly record: RolloutRecord;
  private readonly chunks = new Map<number, RolloutSeat[]>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly records: RolloutRecords,
    readonly stored: StoredRolloutRecord,
    private readonly now: Date,
  ) {
    this.record = structuredClone(stored.record);
  }

  get id(): string {
    return this.stored.id;
  }

  at(): Date {
    return this.now;
  }

  /** Seats `[from, to)` of the seat order, loading their chunks once. */
  async seatsIn(from: number, to: number): Promise<IndexedSeat[]> {
    const first = Math.floor(from / SEAT_CHUNK_SIZE);
    const last = Math.ceil(to / SEAT_CHUNK_SIZE);
    const missing = [];
    for (let n = first; n < last; n++) if (!this.chunks.has(n)) missing.push(n);
    if (missing.length > 0) {
      const read = await this.records.readChunks(this.id, missing[0], (missing.at(-1) as number) + 1);
      for (const [n, seats] of read) if (!this.chunks.has(n)) this.chunks.set(n, seats);
    }
    const out: IndexedSeat[] = [];
    for (let n = first; n < last; n++) {
      const seats = this.chunks.get(n) ?? [];
      seats.forEach((seat, i) => {
        const index = n * SEAT_CHUNK_SIZE + i;
        if (index >= from && index < to) out.push({ index, seat });
      });
    }
    return out;
  }

  /** Every seat of the rollout (waves first, then those skipped at creation). */
  allSeats(): Promise<IndexedSeat[]> {
    return this.seatsIn(0, this.record.summary.total);
  }

  /** The seats of one wave. */
  waveSeats(wave: number): Promise<IndexedSeat[]> {
    const w = this.record.waves[wave];
    return w ? this.seatsIn(w.from, w.to) : Promise.resolve([]);
  }

  /** Replaces a loaded seat, keeping the summary's counts in step with the states. */
  setSeat(index: number, next: RolloutSeat): void {
    const n = Math.floor(index / SEAT_CHUNK_SIZE);
    const chunk = this.chunks.get(n);
    const current = chunk?.[index % SEAT_CHUNK_SIZE];
    if (!chunk || !current) throw new Error(`seat ${index} of rollout ${this.id} was not loaded`);
    if (current.state !== next.state) {
      const summary = this.record.summary;
      summary[SUMMARY_KEY[current.state]]--;
      summary[SUMMARY_KEY[next.state]]++;
    }
    const error = next.error;
    chunk[index % SEAT_CHUNK_SIZE] =
      error !== undefined && error.length > MAX_SEAT_ERROR
        ? { ...next, error: `${error.slice(0, MAX_SEAT_ERROR - 1)}…` }
        : next;
    this.dirty.add(n);
  }

  enter(state: RolloutState): void {
    moveWait(this.record, state, this.now);
  }

  event(kind: string, message: string, by?: string): void {
    addEvent(this.record, this.now, kind, message, by);
  }

  /** True when written; false when the head changed since read (nothing was written). */
  async commit(guard: Compare[]): Promise<boolean> {
    const changed = new Map<number, RolloutSeat[]>();
    for (const n of this.dirty) changed.set(n, this.chunks.get(n) as RolloutSeat[]);
    return (await this.records.update(this.stored, this.record, changed, guard)) !== undefined;
  }
}
