import {
  emptyChunks,
  type InstallLogSummary,
  isFinishedSeat,
  LOG_CHUNK_SIZE,
  type LogChunk,
  type SeatProgress,
  sameSeat,
  seatInChunk,
  stateLetter,
} from '../../records/install-log-schema.js';
import type { StoredLog } from '../../records/install-records.js';
import type { InstallStatus } from '../../records/install-schema.js';

/** A chunk being changed: its own mutable copy, turned back into a chunk when it is taken. */
interface Editing {
  /** The state letters, one per seat, as an array to edit in place. */
  s: string[];
  p: number[];
  e: Record<string, string>;
  seq: number;
}

/**
 * One install log in memory: the summary and every chunk of per-seat states. The controller changes
 * seats and writes back only the chunks it dirtied; readers assemble views from it.
 *
 * Chunks are never mutated (views and snapshots share them). A chunk the controller changes is
 * copied once, on its first change since it was last taken, and edited in place until then: a
 * poll that moves 10,000 seats copies 20 chunks, not one chunk per seat (bench install-10k).
 */
export class InstallLog {
  private readonly editing = new Map<number, Editing>();

  constructor(
    readonly recordId: string,
    public summary: InstallLogSummary,
    private readonly chunks: LogChunk[],
  ) {}

  static fromStored(stored: StoredLog): InstallLog {
    return new InstallLog(stored.recordId, stored.summary, [...stored.chunks]);
  }

  /** A log where every seat is PENDING at 0 %. */
  static fresh(recordId: string, seats: number, taskCount: number, now: Date): InstallLog {
    const chunks = emptyChunks(seats);
    const summary: InstallLogSummary = {
      status: 'PENDING',
      percent: 0,
      total: seats,
      pending: seats,
      running: 0,
      succeeded: 0,
      failed: 0,
      updatedAt: now.toISOString(),
      tasks: Array.from({ length: taskCount }, () => ({ revision: 0, ended: false })),
      seq: 0,
    };
    return new InstallLog(recordId, summary, chunks);
  }

  get size(): number {
    return this.summary.total;
  }

  seat(index: number): SeatProgress {
    const n = Math.floor(index / LOG_CHUNK_SIZE);
    const editing = this.editing.get(n);
    if (editing) return seatInChunk(editing, index % LOG_CHUNK_SIZE);
    const chunk = this.chunks[n];
    if (!chunk) throw new RangeError(`seat ${index} is outside log ${this.recordId}`);
    return seatInChunk(chunk, index % LOG_CHUNK_SIZE);
  }

  /** Changes one seat; true when it differed. A finished seat never moves again, and percent never drops. */
  setSeat(index: number, next: SeatProgress): boolean {
    const current = this.seat(index);
    if (isFinishedSeat(current.state)) return false;
    const merged = { ...next, percent: Math.max(current.percent, next.percent) };
    if (sameSeat(current, merged)) return false;
    const editing = this.edit(Math.floor(index / LOG_CHUNK_SIZE));
    const i = index % LOG_CHUNK_SIZE;
    editing.s[i] = stateLetter(merged.state);
    editing.p[i] = merged.percent;
    if (merged.error === undefined) delete editing.e[String(i)];
    else editing.e[String(i)] = merged.error;
    editing.seq = this.summary.seq + 1;
    return true;
  }

  hasDirty(): boolean {
    return this.editing.size > 0;
  }

  /** A copy that later changes to this log do not affect. */
  snapshot(): InstallLog {
    return new InstallLog(this.recordId, this.summary, this.currentChunks());
  }

  /** Chunks changed since the last `takeDirty`, by number. */
  takeDirty(): Map<number, LogChunk> {
    const out = new Map<number, LogChunk>();
    for (const [n, editing] of this.editing) {
      // The edit ends here, so its arrays become the chunk's without another copy.
      const chunk = { s: editing.s.join(''), p: editing.p, e: editing.e, seq: editing.seq };
      this.chunks[n] = chunk;
      out.set(n, chunk);
    }
    this.editing.clear();
    return out;
  }

  allChunks(): ReadonlyMap<number, LogChunk> {
    return new Map(this.currentChunks().map((chunk, n) => [n, chunk]));
  }

  /** Replaces one chunk with what the store holds now (a watcher following the log). */
  replaceChunk(n: number, chunk: LogChunk): number[] {
    this.editing.delete(n);
    const before = this.chunks[n];
    // A watch can replay writes older than the read this log started from: never go back.
    if (before && chunk.seq < before.seq) return [];
    this.chunks[n] = chunk;
    const changed: number[] = [];
    for (let i = 0; i < chunk.s.length; i++) {
      if (!before || !sameSeat(seatInChunk(before, i), seatInChunk(chunk, i)))
        changed.push(n * LOG_CHUNK_SIZE + i);
    }
    return changed;
  }

  /** The summary recomputed from the seats, with the next `seq`. */
  summarize(status: InstallStatus, now: Date, extra: Partial<InstallLogSummary> = {}): InstallLogSummary {
    const counts = { pending: 0, running: 0, succeeded: 0, failed: 0 };
    let done = 0;
    for (let i = 0; i < this.size; i++) {
      const seat = this.seat(i);
      if (seat.state === 'PENDING') counts.pending++;
      else if (seat.state === 'RUNNING') counts.running++;
      else if (seat.state === 'SUCCEEDED') counts.succeeded++;
      else counts.failed++;
      done += isFinishedSeat(seat.state) ? 100 : seat.percent;
    }
    const computed = this.size === 0 ? 100 : Math.floor(done / this.size);
    this.summary = {
      ...this.summary,
      ...extra,
      ...counts,
      status,
      percent: Math.max(this.summary.percent, computed),
      updatedAt: now.toISOString(),
      seq: this.summary.seq + 1,
    };
    return this.summary;
  }

  private edit(n: number): Editing {
    let editing = this.editing.get(n);
    if (!editing) {
      const chunk = this.chunks[n] as LogChunk;
      editing = { s: [...chunk.s], p: [...chunk.p], e: { ...chunk.e }, seq: chunk.seq };
      this.editing.set(n, editing);
    }
    return editing;
  }

  /** Every chunk, those being edited as they stand now (without ending their edit). */
  private currentChunks(): LogChunk[] {
    return this.chunks.map((chunk, n) => {
      const editing = this.editing.get(n);
      if (!editing) return chunk;
      return { s: editing.s.join(''), p: [...editing.p], e: { ...editing.e }, seq: editing.seq };
    });
  }
}
