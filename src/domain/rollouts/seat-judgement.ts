import { InvalidInputError } from '../../model/errors.js';
import { UPGRADE_ORDERS } from '../../records/install-schema.js';
import { FAILURE_ACTIONS, type RolloutPolicy } from '../../records/rollout-schema.js';
import { parseMaintenanceWindow } from './maintenance-window.js';
import type { RolloutInput } from './rollout-types.js';

/**
 * How a rollout judges its seats (SPEC-FLEET D5): the breach rule, the retry intervals and the
 * policy fields of `RolloutInput` with their defaults.
 */

export interface WaveTally {
  /** Seats in the wave (SKIPPED ones are in no wave). */
  size: number;
  /** Seats of the wave that have ended (succeeded or failed for good). */
  ended: number;
  /** Seats that failed once their retries were spent (TIMED_OUT included). */
  failed: number;
  /** Failures accepted by `resumeRollout`. */
  acceptedFailed: number;
}

export interface BreachPolicy {
  maxFailurePercent: number;
  minSeatsBeforeEvaluating: number;
}

/**
 * A wave breaches when, once `minSeatsBeforeEvaluating` of its seats have ended, failed/ended
 * exceeds `maxFailurePercent`, or when failed/size already does (no later success can bring it
 * back under). A resume accepts the failures so far: only a further failure can breach again,
 * and then the share counts every failure of the wave, accepted ones too.
 */
export function isBreached(wave: WaveTally, policy: BreachPolicy): boolean {
  if (wave.failed <= wave.acceptedFailed) return false;
  // Compared multiplied out: 1 of 3 failed against 33.3333 % stays exact.
  const limit = policy.maxFailurePercent;
  if (wave.size > 0 && wave.failed * 100 > limit * wave.size) return true;
  return (
    wave.ended >= policy.minSeatsBeforeEvaluating && wave.ended > 0 && wave.failed * 100 > limit * wave.ended
  );
}

/** The longest wait before a retry, however many attempts came before. */
export const MAX_RETRY_DELAY_MS = 3600 * 1000;

/** Wait before retry `attempt` (1 = the first retry): `base × 2^(attempt − 1)`, at most an hour. */
export function retryDelayMs(attempt: number, baseSeconds: number): number {
  if (!(Number.isInteger(attempt) && attempt >= 1)) {
    throw new RangeError(`attempt must be an integer of at least 1, got ${attempt}`);
  }
  if (!(Number.isFinite(baseSeconds) && baseSeconds >= 0)) {
    throw new RangeError(`baseSeconds must be a non-negative number, got ${baseSeconds}`);
  }
  if (baseSeconds === 0) return 0;
  // Past 2^31 the cap has long been reached; the exponent is bounded so the product stays finite.
  const factor = 2 ** Math.min(attempt - 1, 31);
  return Math.min(baseSeconds * 1000 * factor, MAX_RETRY_DELAY_MS);
}

export type PolicyInput = Pick<
  RolloutInput,
  | 'maxFailurePercent'
  | 'minSeatsBeforeEvaluating'
  | 'onFailure'
  | 'seatTimeoutSeconds'
  | 'seatRetries'
  | 'maintenanceWindow'
  | 'upgradeOrder'
>;

export interface PolicyDefaults {
  /** From `INSTALL_TIMEOUT_MS` (D5). */
  seatTimeoutSeconds: number;
  retryBaseSeconds: number;
}

export const MAX_SEAT_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const MAX_SEAT_RETRIES = 10;

function integerIn(value: number, min: number, max: number | undefined, field: string): number {
  if (!(Number.isInteger(value) && value >= min && (max === undefined || value <= max))) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new InvalidInputError(`${field} must be an integer ${range}, got ${value}`, field);
  }
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${field} must be one of ${allowed.join(', ')}, got ${value}`, field);
  }
  return value as T;
}

/** The policy of a new rollout: each field checked (INVALID_INPUT naming it) or defaulted. */
export function validatePolicy(input: PolicyInput, defaults: PolicyDefaults, now: Date): RolloutPolicy {
  const maxFailurePercent = input.maxFailurePercent ?? 0;
  if (!(Number.isFinite(maxFailurePercent) && maxFailurePercent >= 0 && maxFailurePercent <= 100)) {
    throw new InvalidInputError(
      `maxFailurePercent must be from 0 to 100, got ${maxFailurePercent}`,
      'maxFailurePercent',
    );
  }
  const policy: RolloutPolicy = {
    maxFailurePercent,
    minSeatsBeforeEvaluating: integerIn(
      input.minSeatsBeforeEvaluating ?? 1,
      1,
      undefined,
      'minSeatsBeforeEvaluating',
    ),
    onFailure: oneOf(input.onFailure ?? 'PAUSE', FAILURE_ACTIONS, 'onFailure'),
    seatTimeoutSeconds: integerIn(
      input.seatTimeoutSeconds ?? defaults.seatTimeoutSeconds,
      1,
      MAX_SEAT_TIMEOUT_SECONDS,
      'seatTimeoutSeconds',
    ),
    seatRetries: integerIn(input.seatRetries ?? 0, 0, MAX_SEAT_RETRIES, 'seatRetries'),
    retryBaseSeconds: defaults.retryBaseSeconds,
    upgradeOrder: oneOf(input.upgradeOrder ?? 'INSTALL_FIRST', UPGRADE_ORDERS, 'upgradeOrder'),
  };
  if (input.maintenanceWindow) {
    policy.maintenanceWindow = parseMaintenanceWindow(input.maintenanceWindow, now);
  }
  return policy;
}
