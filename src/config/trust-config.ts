import { z } from 'zod';
import { integer } from '../util/env-fields.js';

/** The variables of signed segments and the release lifecycle (SPEC-FLEET section 3, D10, D11). */
export const trustEnvShape = {
  PROMOTION_TEST_GROUP: z.string().min(1).default('test'),
  PROMOTION_MIN_SEATS: integer(1, 1_000_000, 1),
  PROMOTION_SOAK_MINUTES: integer(0, 525_600, 60),
  SIGNATURES_REQUIRED: integer(0, 16, 0),
  INTEGRITY_CHECK_INTERVAL_H: integer(1, 8760, 24),
  MAX_SIGNING_KEYS: integer(1, 100_000, 1000),
  MAX_SIGNATURES_PER_SEGMENT: integer(1, 64, 16),
};

export interface TrustConfig {
  /** PROMOTION_TEST_GROUP: the seat group whose seats test segments before release. */
  readonly testGroup: string;
  /** PROMOTION_MIN_SEATS: test seats that must run a segment for it to become TESTED. */
  readonly minSeats: number;
  /** PROMOTION_SOAK_MINUTES: how long they must run it with no failed install there. */
  readonly soakMs: number;
  /** SIGNATURES_REQUIRED: valid signatures by distinct keys a release (and a protected group) needs. */
  readonly signaturesRequired: number;
  /** INTEGRITY_CHECK_INTERVAL_H: how often the leader re-hashes every stored file. */
  readonly integrityCheckIntervalMs: number;
  /** MAX_SIGNING_KEYS: keys in the keyring, revoked ones included. */
  readonly maxKeys: number;
  /** MAX_SIGNATURES_PER_SEGMENT. */
  readonly maxSignaturesPerSegment: number;
}

export function trustConfigFrom(e: {
  PROMOTION_TEST_GROUP: string;
  PROMOTION_MIN_SEATS: number;
  PROMOTION_SOAK_MINUTES: number;
  SIGNATURES_REQUIRED: number;
  INTEGRITY_CHECK_INTERVAL_H: number;
  MAX_SIGNING_KEYS: number;
  MAX_SIGNATURES_PER_SEGMENT: number;
}): TrustConfig {
  return {
    testGroup: e.PROMOTION_TEST_GROUP,
    minSeats: e.PROMOTION_MIN_SEATS,
    soakMs: e.PROMOTION_SOAK_MINUTES * 60_000,
    signaturesRequired: e.SIGNATURES_REQUIRED,
    integrityCheckIntervalMs: e.INTEGRITY_CHECK_INTERVAL_H * 3_600_000,
    maxKeys: e.MAX_SIGNING_KEYS,
    maxSignaturesPerSegment: e.MAX_SIGNATURES_PER_SEGMENT,
  };
}
