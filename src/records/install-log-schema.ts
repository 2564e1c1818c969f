import { z } from 'zod';
import { INSTALL_STATUSES } from './install-schema.js';
import { jsonCodec } from './json-codec.js';

/**
 * The install log of one record, split over keys so that a poll rewrites only what changed:
 *
 * - `install-logs/<recordId>/summary`: status, overall percent, counts, the SDP cursors. Small;
 *   rewritten on every poll that saw a change.
 * - `install-logs/<recordId>/chunks/<n>`: the per-seat states of seats `[n * SIZE, (n + 1) * SIZE)`
 *   in the record's seat order, packed (a state letter per seat, a percent per seat, errors by
 *   index), about 2.5 KiB for 500 seats. Only chunks with a changed seat are rewritten.
 *
 * A 10,000-seat install is 20 chunks: a poll where every seat moved writes ~50 KiB, far from
 * etcd's 1.5 MiB request limit, and one transaction stays well under its 128 operations.
 */
export const LOG_CHUNK_SIZE = 500;

export const SEAT_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

const STATE_LETTERS: Record<SeatState, string> = { PENDING: 'P', RUNNING: 'R', SUCCEEDED: 'S', FAILED: 'F' };
const LETTER_STATES: Record<string, SeatState> = { P: 'PENDING', R: 'RUNNING', S: 'SUCCEEDED', F: 'FAILED' };

const isoTime = z.iso.datetime();

const summarySchema = z.object({
  status: z.enum(INSTALL_STATUSES),
  /** 0..100 over every seat, a finished seat counting 100; never decreases. */
  percent: z.number().int().min(0).max(100),
  total: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  updatedAt: isoTime,
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /** Per planned task: the SDP revision seen last (GetTask `since_revision`), and whether it ended. */
  tasks: z.array(z.object({ revision: z.number().int().nonnegative(), ended: z.boolean() })),
  /** When the controller gave up waiting and cancelled what was left. */
  timedOutAt: isoTime.optional(),
  /** Increases with every write, so a reader can tell which chunks belong to which summary. */
  seq: z.number().int().nonnegative(),
});

const chunkSchema = z.object({
  /** One letter per seat: P(ending) R(unning) S(ucceeded) F(ailed). */
  s: z.string().regex(/^[PRSF]*$/),
  /** Percent per seat. */
  p: z.array(z.number().int().min(0).max(100)),
  /** Errors by index within the chunk. */
  e: z.record(z.string(), z.string()),
  seq: z.number().int().nonnegative(),
});

export type InstallLogSummary = z.infer<typeof summarySchema>;
export type LogChunk = z.infer<typeof chunkSchema>;
export const logSummaryCodec = jsonCodec(summarySchema, 'install log summary');
export const logChunkCodec = jsonCodec(chunkSchema, 'install log chunk');

export interface SeatProgress {
  state: SeatState;
  percent: number;
  error?: string;
}

export function chunkCount(seats: number): number {
  return Math.ceil(seats / LOG_CHUNK_SIZE);
}

export function emptyChunk(size: number, seq: number): LogChunk {
  return { s: 'P'.repeat(size), p: new Array<number>(size).fill(0), e: {}, seq };
}

/** The chunks of a log of `seats` seats where every seat is still PENDING at 0 %. */
export function emptyChunks(seats: number): LogChunk[] {
  return Array.from({ length: chunkCount(seats) }, (_, n) =>
    emptyChunk(Math.min(LOG_CHUNK_SIZE, seats - n * LOG_CHUNK_SIZE), 0),
  );
}

/** One seat of a chunk, or of a chunk being edited (its letters as an array). */
export function seatInChunk(
  chunk: Pick<LogChunk, 'p' | 'e'> & { s: ArrayLike<string> },
  index: number,
): SeatProgress {
  const state = LETTER_STATES[chunk.s[index] ?? 'P'] ?? 'PENDING';
  const error = chunk.e[String(index)];
  return { state, percent: chunk.p[index] ?? 0, ...(error === undefined ? {} : { error }) };
}

export function stateLetter(state: SeatState): string {
  return STATE_LETTERS[state];
}

export function sameSeat(a: SeatProgress, b: SeatProgress): boolean {
  return a.state === b.state && a.percent === b.percent && a.error === b.error;
}

export function isFinishedSeat(state: SeatState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED';
}
