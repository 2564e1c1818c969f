import {
  MAX_PROMOTION_FAILURE_RECORDS,
  MAX_PROMOTION_SEAT_NAMES,
  type PromotionState,
} from '../../records/promotion-schema.js';

/**
 * The promotion gate (SPEC-FLEET section 3) as a pure function: from what the last judgement
 * remembered and what runs and failed on the test group now, the next state, whether the segment
 * is TESTED now, when to look again, and the reasons in words.
 *
 * The soak starts when at least `minSeats` test seats run the segment (as first seen); while fewer
 * do, there is none. A failed install of the segment on a test seat during the soak restarts it from
 * the failure's time. A failure is counted once: each install record's failed test seats are
 * remembered by number, so a record read again adds only seats that failed since.
 */

/** The gate's settings: PROMOTION_TEST_GROUP, PROMOTION_MIN_SEATS, PROMOTION_SOAK_MINUTES. */
export interface PromotionSettings {
  readonly testGroup: string;
  readonly minSeats: number;
  readonly soakMs: number;
}

/** The failed test seats of one install record of the segment (records without any are left out). */
export interface TestSeatFailure {
  readonly installId: string;
  /** How many of its test seats have failed so far (at least 1). */
  readonly failed: number;
  /** One of them (the first in the record's seat order), with its error. */
  readonly seat: string;
  readonly error: string;
  /** When the record ended; for one still running, when its log last changed. */
  readonly at: string;
}

export interface PromotionInput {
  /** The stored state; absent before the first judgement. */
  readonly state: PromotionState | undefined;
  /** The test seats running the segment now; undefined when the test group does not exist. */
  readonly running: readonly string[] | undefined;
  /** Every install record of the segment with failed test seats, known ones included. */
  readonly failures: readonly TestSeatFailure[];
  readonly now: Date;
}

export interface PromotionJudgement {
  readonly state: PromotionState;
  /** Whether `state` says anything the stored one did not (its time aside): else nothing to write. */
  readonly changed: boolean;
  readonly tested: boolean;
  /** When the running soak ends: the time to look again. */
  readonly soakEndsAt?: Date;
  /** Where the gate stands, for operators; when `tested`, how it got there. */
  readonly reasons: string[];
}

/** What a segment no judgement has looked at yet reads as. */
export const NOTHING_SEEN: Omit<PromotionState, 'judgedAt'> = { testSeats: [], testSeatCount: 0 };

export function judgePromotion(input: PromotionInput, settings: PromotionSettings): PromotionJudgement {
  const { state: before, now } = input;
  const nowMs = now.getTime();
  const running = [...(input.running ?? [])].sort();
  const { fresh, counted } = newFailures(before?.failuresCounted ?? [], input.failures);
  const newest = fresh.reduce<TestSeatFailure | undefined>(
    (a, b) => (a === undefined || Date.parse(b.at) > Date.parse(a.at) ? b : a),
    undefined,
  );
  const enough = input.running !== undefined && running.length >= settings.minSeats;
  let start = enough && before?.soakStartedAt ? Date.parse(before.soakStartedAt) : undefined;
  if (start !== undefined && newest) start = Math.max(start, Math.min(Date.parse(newest.at), nowMs));
  if (enough && start === undefined) start = nowMs;

  const lastFailure =
    newest && (!before?.lastFailure || Date.parse(newest.at) > Date.parse(before.lastFailure.at))
      ? { at: newest.at, seat: newest.seat, error: newest.error, installId: newest.installId }
      : before?.lastFailure;
  const facts: Omit<PromotionState, 'judgedAt'> = {
    ...(start === undefined ? {} : { soakStartedAt: new Date(start).toISOString() }),
    testSeats: running.slice(0, MAX_PROMOTION_SEAT_NAMES),
    testSeatCount: running.length,
    ...(input.running === undefined ? { groupMissing: true } : {}),
    ...(lastFailure ? { lastFailure } : {}),
    ...(counted.length > 0 ? { failuresCounted: counted } : {}),
  };
  // No state reads as nothing seen yet: a segment that never reached a test seat needs no write.
  const changed = canonical(before ?? NOTHING_SEEN) !== canonical(facts);
  const judgedAt = changed || !before ? now.toISOString() : before.judgedAt;
  const state: PromotionState = { ...facts, judgedAt };
  const tested = start !== undefined && nowMs - start >= settings.soakMs;
  if (tested) return { state, changed, tested, reasons: [testedNote(state, settings)] };
  return {
    state,
    changed,
    tested,
    ...(start === undefined ? {} : { soakEndsAt: new Date(start + settings.soakMs) }),
    reasons: promotionReasons(state, settings, now),
  };
}

/** Where a DRAFT segment's gate stands, in words, from its stored state at `now`. */
export function promotionReasons(
  state: Omit<PromotionState, 'judgedAt'>,
  settings: PromotionSettings,
  now: Date,
): string[] {
  const { testGroup, minSeats, soakMs } = settings;
  if (state.groupMissing) return [`group ${testGroup} does not exist`];
  const reasons: string[] = [];
  const failure = state.lastFailure;
  const start = state.soakStartedAt === undefined ? undefined : Date.parse(state.soakStartedAt);
  // A failure before the soak that runs now is history; one at its start (or with none) is why.
  if (failure && (start === undefined || Date.parse(failure.at) >= start)) {
    reasons.push(`failed on seat ${failure.seat} at ${failure.at}: ${failure.error}; the soak starts again`);
  }
  if (start === undefined || state.testSeatCount < minSeats) {
    reasons.push(`runs on ${state.testSeatCount} of ${minSeats} required test seats of group ${testGroup}`);
  } else {
    const elapsed = Math.min(Math.max(0, now.getTime() - start), soakMs);
    reasons.push(`soaking: ${minutes(elapsed)} of ${minutes(soakMs)} minutes`);
  }
  return reasons;
}

/** The note of a segment the gate marked TESTED: how it got there. */
export function testedNote(state: PromotionState, settings: PromotionSettings): string {
  const shown = state.testSeats.join(', ');
  const more = state.testSeatCount > state.testSeats.length ? ', …' : '';
  return (
    `ran on ${state.testSeatCount} seats of group ${settings.testGroup} (${settings.minSeats} required: ` +
    `${shown}${more}) for ${minutes(settings.soakMs)} minutes with no failed install there`
  );
}

/**
 * The failures not counted before, and what to remember: every record that still has failed test
 * seats with their number now. Records that are gone drop out; at most the newest 100 are kept (a
 * record forgotten that way is ended, and its time lies before the soak it would restart).
 */
function newFailures(
  known: NonNullable<PromotionState['failuresCounted']>,
  failures: readonly TestSeatFailure[],
): { fresh: TestSeatFailure[]; counted: NonNullable<PromotionState['failuresCounted']> } {
  const before = new Map(known.map((k) => [k.installId, k.failed]));
  const fresh = failures.filter((f) => f.failed > (before.get(f.installId) ?? 0));
  const counted = [...failures]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, MAX_PROMOTION_FAILURE_RECORDS)
    .map((f) => ({ installId: f.installId, failed: Math.max(f.failed, before.get(f.installId) ?? 0) }))
    .sort((a, b) => (a.installId < b.installId ? -1 : a.installId > b.installId ? 1 : 0));
  return { fresh, counted };
}

/** The state's facts in one fixed order, for comparison. */
function canonical(s: Omit<PromotionState, 'judgedAt'>): string {
  return JSON.stringify([
    s.soakStartedAt ?? null,
    s.testSeats,
    s.testSeatCount,
    s.groupMissing ?? false,
    s.lastFailure
      ? [s.lastFailure.at, s.lastFailure.seat, s.lastFailure.error, s.lastFailure.installId]
      : null,
    (s.failuresCounted ?? []).map((f) => [f.installId, f.failed]),
  ]);
}

function minutes(ms: number): number {
  return Math.floor(ms / 60_000);
}
