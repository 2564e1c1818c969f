import { z } from 'zod';
import { UPGRADE_ORDERS } from './install-schema.js';
import { jsonCodec } from './json-codec.js';

/**
 * `rollouts/<id>`: one staged rollout (SPEC-FLEET section 2, D5–D8). Everything the rollout has
 * decided is a field here: which wave runs, which install record carries it, when its soak ends, who
 * approved, why it paused, and the rollback's progress. A controller that starts anywhere reads this
 * and carries on. The per-seat states live in chunks of 500 (`rollout-seats/<id>/<n>`, D2); the head
 * keeps their counts, so a subscriber's update never reads the chunks.
 */

export const ROLLOUT_STATES = [
  'PENDING',
  'RUNNING',
  'SOAKING',
  'WAITING_APPROVAL',
  'WAITING_WINDOW',
  'PAUSED',
  'SUCCEEDED',
  'ROLLING_BACK',
  'ROLLED_BACK',
  'CANCELLED',
  'FAILED',
] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

const FINAL_STATES: readonly RolloutState[] = ['SUCCEEDED', 'ROLLED_BACK', 'CANCELLED', 'FAILED'];
export function isFinalRolloutState(state: RolloutState): boolean {
  return FINAL_STATES.includes(state);
}

export const ROLLOUT_SEAT_STATES = [
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'SKIPPED',
  'ROLLED_BACK',
  'NOT_REVERTED',
] as const;
export type RolloutSeatState = (typeof ROLLOUT_SEAT_STATES)[number];

export const FAILURE_ACTIONS = ['PAUSE', 'ROLLBACK'] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];

export const WAVE_STATES = ['PENDING', 'RUNNING', 'SOAKING', 'SUCCEEDED', 'HALTED'] as const;
export type WaveState = (typeof WAVE_STATES)[number];

const isoTime = z.iso.datetime();

export const maintenanceWindowSchema = z.object({
  cron: z.string(),
  durationMinutes: z.number().int().positive(),
  timeZone: z.string(),
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

const policySchema = z.object({
  maxFailurePercent: z.number().min(0).max(100),
  minSeatsBeforeEvaluating: z.number().int().min(1),
  onFailure: z.enum(FAILURE_ACTIONS),
  seatTimeoutSeconds: z.number().int().positive(),
  seatRetries: z.number().int().nonnegative(),
  /** The wait before a failed seat's first retry; it doubles with each further one. */
  retryBaseSeconds: z.number().nonnegative(),
  maintenanceWindow: maintenanceWindowSchema.optional(),
  upgradeOrder: z.enum(UPGRADE_ORDERS),
});
export type RolloutPolicy = z.infer<typeof policySchema>;

const waveSchema = z.object({
  /** The wave's seats are `[from, to)` in the rollout's seat order. */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  soakSeconds: z.number().int().nonnegative(),
  requireApproval: z.boolean(),
  state: z.enum(WAVE_STATES),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Failures accepted by `resumeRollout`: only failures beyond these can breach again. */
  acceptedFailed: z.number().int().nonnegative(),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  soakUntil: isoTime.optional(),
  /** The next time the soak re-reads the installed sets (every `SOAK_CHECK_S`, and at `soakUntil`). */
  soakCheckAt: isoTime.optional(),
});
export type RolloutWave = z.infer<typeof waveSchema>;

/**
 * The install record the rollout is waiting on. Its id is chosen and stored here before the record
 * is created, so a controller that died in between finds the record (or creates it) under that id,
 * and SDP's idempotency keys, derived from the id, are the same on every replay.
 */
const stepSchema = z.object({
  kind: z.enum(['WAVE', 'ROLLBACK']),
  wave: z.number().int().nonnegative(),
  attempt: z.number().int().nonnegative(),
  /** ROLLBACK only: the index of this step in `rollback.steps`. */
  index: z.number().int().nonnegative().optional(),
  recordId: z.string(),
  /** Set once the record's end has been read into the seat chunks. */
  accounted: z.boolean(),
});
export type RolloutStep = z.infer<typeof stepSchema>;

/** One step of a rollback: put `segmentId` back (`ADD`) or take the rollout's version off (`REMOVE`). */
const rollbackStepSchema = z.object({
  action: z.enum(['ADD', 'REMOVE']),
  segmentId: z.string(),
});
export type RollbackStep = z.infer<typeof rollbackStepSchema>;

const rollbackSchema = z.object({
  reason: z.string(),
  by: z.string(),
  at: isoTime,
  /** Planned once, when the forward work has stopped, from the seats' `fromVersions`. */
  planned: z.boolean(),
  steps: z.array(rollbackStepSchema),
  /** Steps `[0, next)` have ended and been accounted. */
  next: z.number().int().nonnegative(),
});

const eventSchema = z.object({
  at: isoTime,
  kind: z.string(),
  message: z.string(),
  by: z.string().optional(),
});
export type RolloutEvent = z.infer<typeof eventSchema>;

const summarySchema = z.object({
  total: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  timedOut: z.number().int().nonnegative(),
  rolledBack: z.number().int().nonnegative(),
  notReverted: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type RolloutSummary = z.infer<typeof summarySchema>;

const rolloutSchema = z.object({
  segmentId: z.string(),
  /** The segment's name: one non-final rollout per name (D1). */
  name: z.string(),
  group: z.string().optional(),
  selector: z.string().optional(),
  policy: policySchema,
  waves: z.array(waveSchema).min(1),
  state: z.enum(ROLLOUT_STATES),
  /** The wave that runs, soaks or waits; `waves.length` once every wave has succeeded. */
  currentWave: z.number().int().nonnegative(),
  /** Set while PAUSED: why, and the state `resumeRollout` returns to. */
  paused: z
    .object({
      reason: z.string(),
      /**
       * BREACH and MANUAL wait for `resumeRollout`; FREEZE ends by itself with the freeze, TRUST
       * once the segment may go to the wave's seats again (a signature added, a file verified).
       */
      cause: z.enum(['BREACH', 'MANUAL', 'FREEZE', 'TRUST']),
      at: isoTime,
    })
    .optional(),
  /** FAILED: the rollout-level fault. */
  error: z.string().optional(),
  step: stepSchema.optional(),
  /** Counts every step so far: each step's record id is derived from the rollout, its kind and this. */
  stepSeq: z.number().int().nonnegative(),
  /**
   * Seats of the running step that its install log shows ended, not yet accounted into the chunks
   * and `summary`: what `rolloutUpdated` shows between a step's start and its end.
   */
  live: z
    .object({
      succeeded: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      timedOut: z.number().int().nonnegative(),
    })
    .optional(),
  /** Seats waiting to be retried (their chunk entries carry `retryAt`): the earliest of those. */
  retryAt: isoTime.optional(),
  rollback: rollbackSchema.optional(),
  /** Every version (segment id) in any seat's `fromVersions`: what a rollback may need (D6). */
  fromVersionSet: z.array(z.string()),
  /** The group's desired version for the name when the rollout was created (restored by a rollback). */
  previousDesired: z.string().nullable().optional(),
  createdBy: z.string(),
  approvals: z.array(z.object({ wave: z.number().int(), by: z.string(), at: isoTime, note: z.string() })),
  /** The newest events, oldest first (bounded; the audit log keeps every mutation). */
  events: z.array(eventSchema),
  summary: summarySchema,
  /** How many seat chunks `rollout-seats/<id>/` holds. */
  chunks: z.number().int().nonnegative(),
  createdAt: isoTime,
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /** When the reconciler looks again by itself: a window opens, a soak check is due, a retry. */
  nextWaveAt: isoTime.optional(),
  /** Seconds spent PAUSED and WAITING_* so far, and since when the current wait runs (metrics). */
  waitedSeconds: z.record(z.string(), z.number()).optional(),
  waitingSince: isoTime.optional(),
});
export type RolloutRecord = z.infer<typeof rolloutSchema>;
export const rolloutCodec = jsonCodec(rolloutSchema, 'rollout');

const rolloutSeatSchema = z.object({
  seat: z.string(),
  /** Null for a seat that already ran the version when the rollout was created (SKIPPED, in no wave). */
  wave: z.number().int().nonnegative().nullable(),
  state: z.enum(ROLLOUT_SEAT_STATES),
  /** Versions of the name the seat ran before the rollout touched it; written before it is touched. */
  fromVersions: z.array(z.string()),
  attempts: z.number().int().nonnegative(),
  error: z.string().optional(),
  /** A failed seat with retries left is tried again from then on. */
  retryAt: isoTime.optional(),
});
export type RolloutSeat = z.infer<typeof rolloutSeatSchema>;
export const rolloutSeatChunkCodec = jsonCodec(z.array(rolloutSeatSchema), 'rollout seat chunk');
