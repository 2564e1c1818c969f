import { describe, expect, it } from 'vitest';
import {
  isBreached,
  MAX_RETRY_DELAY_MS,
  type PolicyInput,
  retryDelayMs,
  validatePolicy,
} from '../../../src/domain/rollouts/seat-judgement.js';
import { refusal } from '../../support/fixtures/invalid-input.js';

const tally = (size: number, ended: number, failed: number, acceptedFailed = 0) => ({
  size,
  ended,
  failed,
  acceptedFailed,
});

describe('isBreached', () => {
  it('breaches at the first failure with the defaults (0 %, judged from 1 seat)', () => {
    const policy = { maxFailurePercent: 0, minSeatsBeforeEvaluating: 1 };
    expect(isBreached(tally(100, 0, 0), policy)).toBe(false);
    expect(isBreached(tally(100, 5, 0), policy)).toBe(false);
    expect(isBreached(tally(100, 6, 1), policy)).toBe(true);
  });

  it('judges failed/ended as seats end, once enough seats have ended', () => {
    const policy = { maxFailurePercent: 20, minSeatsBeforeEvaluating: 10 };
    // 2 of 5 ended have failed (40 %), but only 2 % of the wave: too early to judge.
    expect(isBreached(tally(100, 5, 2), policy)).toBe(false);
    // 2 of 10 ended is exactly 20 %: not above it.
    expect(isBreached(tally(100, 10, 2), policy)).toBe(false);
    expect(isBreached(tally(100, 10, 3), policy)).toBe(true);
    expect(isBreached(tally(100, 20, 4), policy)).toBe(false);
    expect(isBreached(tally(100, 21, 5), policy)).toBe(true);
  });

  it('breaches before enough seats have ended when failed/size already exceeds the limit', () => {
    const policy = { maxFailurePercent: 10, minSeatsBeforeEvaluating: 50 };
    expect(isBreached(tally(20, 2, 2), policy)).toBe(false);
    expect(isBreached(tally(20, 3, 3), policy)).toBe(true);
  });

  it('compares shares exactly', () => {
    // 1 of 3 is 33.33…%: above 33.3333, not above 100/3.
    expect(isBreached(tally(3, 3, 1), { maxFailurePercent: 33.3333, minSeatsBeforeEvaluating: 1 })).toBe(
      true,
    );
    expect(isBreached(tally(3, 3, 1), { maxFailurePercent: 100 / 3, minSeatsBeforeEvaluating: 1 })).toBe(
      false,
    );
  });

  it('never breaches at 100 %', () => {
    expect(isBreached(tally(4, 4, 4), { maxFailurePercent: 100, minSeatsBeforeEvaluating: 1 })).toBe(false);
  });

  it('breaches again after a resume only on a further failure', () => {
    const policy = { maxFailurePercent: 10, minSeatsBeforeEvaluating: 1 };
    expect(isBreached(tally(10, 4, 2), policy)).toBe(true);
    // Resumed with 2 failures accepted: more seats end without failing.
    expect(isBreached(tally(10, 4, 2, 2), policy)).toBe(false);
    expect(isBreached(tally(10, 9, 2, 2), policy)).toBe(false);
    expect(isBreached(tally(10, 10, 3, 2), policy)).toBe(true);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base with each attempt and stops at one hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 30))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(8, 30)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(2000, 30)).toBe(3_600_000);
    expect(retryDelayMs(5000, 0)).toBe(0);
  });

  it('refuses an attempt below 1', () => {
    expect(() => retryDelayMs(0, 30)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5, 30)).toThrow(RangeError);
  });
});

describe('validatePolicy', () => {
  const defaults = { seatTimeoutSeconds: 900, retryBaseSeconds: 15 };
  const now = new Date('2026-12-07T12:00:00Z');

  it('fills every default', () => {
    expect(validatePolicy({}, defaults, now)).toEqual({
      maxFailurePercent: 0,
      minSeatsBeforeEvaluating: 1,
      onFailure: 'PAUSE',
      seatTimeoutSeconds: 900,
      seatRetries: 0,
      retryBaseSeconds: 15,
      upgradeOrder: 'INSTALL_FIRST',
    });
    expect(validatePolicy({ maxFailurePercent: null, seatRetries: null }, defaults, now)).toEqual(
      validatePolicy({}, defaults, now),
    );
  });

  it('keeps what is given', () => {
    const input = {
      maxFailurePercent: 12.5,
      minSeatsBeforeEvaluating: 20,
      onFailure: 'ROLLBACK',
      seatTimeoutSeconds: 7 * 24 * 3600,
      seatRetries: 10,
      upgradeOrder: 'UNINSTALL_FIRST',
      maintenanceWindow: { cron: '0 2 * * *', durationMinutes: 90, timeZone: 'Europe/Berlin' },
    } as const;
    expect(validatePolicy(input, defaults, now)).toEqual({
      ...input,
      retryBaseSeconds: 15,
      maintenanceWindow: { cron: '0 2 * * *', durationMinutes: 90, timeZone: 'Europe/Berlin' },
    });
  });

  it('refuses each field out of range, naming it', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ maxFailurePercent: -1 }, 'maxFailurePercent'],
      [{ maxFailurePercent: 100.5 }, 'maxFailurePercent'],
      [{ maxFailurePercent: Number.NaN }, 'maxFailurePercent'],
      [{ minSeatsBeforeEvaluating: 0 }, 'minSeatsBeforeEvaluating'],
      [{ minSeatsBeforeEvaluating: 2.5 }, 'minSeatsBeforeEvaluating'],
      [{ onFailure: 'IGNORE' }, 'onFailure'],
      [{ seatTimeoutSeconds: 0 }, 'seatTimeoutSeconds'],
      [{ seatTimeoutSeconds: 7 * 24 * 3600 + 1 }, 'seatTimeoutSeconds'],
      [{ seatRetries: -1 }, 'seatRetries'],
      [{ seatRetries: 11 }, 'seatRetries'],
      [{ upgradeOrder: 'SIDEWAYS' }, 'upgradeOrder'],
      [{ maintenanceWindow: { cron: '0 0 30 2 *', durationMinutes: 60 } }, 'maintenanceWindow.cron'],
    ];
    for (const [input, field] of cases) {
      expect(refusal(() => validatePolicy(input as PolicyInput, defaults, now)).field).toBe(field);
    }
  });
});
