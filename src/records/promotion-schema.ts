import { z } from 'zod';

const isoTime = z.iso.datetime();

/** How many test seat names the state keeps (the count is kept whole). */
export const MAX_PROMOTION_SEAT_NAMES = 100;
/** How many install records with failures on test seats the state remembers. */
export const MAX_PROMOTION_FAILURE_RECORDS = 100;

/**
 * The promotion gate's memory (SPEC-FLEET section 3): what the leader's promotion pass last saw of
 * the segment on the test group. Every decision the gate takes over time is a field here, so a new
 * leader goes on from where the old one stopped.
 */
export const promotionSchema = z.object({
  /** Since when at least PROMOTION_MIN_SEATS test seats have run the segment with no failure. */
  soakStartedAt: isoTime.optional(),
  /** The test seats running it at the last judgement, sorted (at most 100 names kept). */
  testSeats: z.array(z.string()).max(MAX_PROMOTION_SEAT_NAMES),
  testSeatCount: z.number().int().nonnegative(),
  /** PROMOTION_TEST_GROUP did not exist at the last judgement. */
  groupMissing: z.boolean().optional(),
  /** The newest failed install of the segment on a test seat. */
  lastFailure: z
    .object({ at: isoTime, seat: z.string(), error: z.string(), installId: z.string() })
    .optional(),
  /**
   * Install records whose failed test seats were already counted, with how many: a record still
   * running is read again and again, and only a seat failing since counts anew. Records that are
   * gone (history pruned) drop out.
   */
  failuresCounted: z
    .array(z.object({ installId: z.string(), failed: z.number().int().positive() }))
    .max(MAX_PROMOTION_FAILURE_RECORDS)
    .optional(),
  /** When a judgement last changed this state (one that changes nothing writes nothing). */
  judgedAt: isoTime,
});
export type PromotionState = z.infer<typeof promotionSchema>;
