import { describe, expect, it } from 'vitest';
import type { WaveInput } from '../../../src/domain/rollouts/rollout-types.js';
import { planWaves, waveSizes } from '../../../src/domain/rollouts/wave-plan.js';
import { refusal } from '../../support/fixtures/invalid-input.js';

const sizesOf = (waves: WaveInput[] | null, seatCount: number) =>
  planWaves(waves, seatCount).map((wave) => wave.to - wave.from);

describe('planWaves', () => {
  it('puts every seat in one wave when no waves are given', () => {
    const one = [{ from: 0, to: 40, soakSeconds: 0, requireApproval: false }];
    expect(planWaves(null, 40)).toEqual(one);
    expect(planWaves(undefined, 40)).toEqual(one);
    expect(planWaves([], 40)).toEqual(one);
  });

  it('sizes a canary, a quarter and the rest over 40 seats as 1, 10, 29', () => {
    const waves = [{ seats: 1, soakSeconds: 60 }, { percent: 25, requireApproval: true }, {}];
    expect(planWaves(waves, 40)).toEqual([
      { from: 0, to: 1, soakSeconds: 60, requireApproval: false },
      { from: 1, to: 11, soakSeconds: 0, requireApproval: true },
      { from: 11, to: 40, soakSeconds: 0, requireApproval: false },
    ]);
  });

  it('sizes 1 %, 10 %, 30 %, 30 % and the rest over 10,000 seats', () => {
    const waves = [{ percent: 1 }, { percent: 10 }, { percent: 30 }, { percent: 30 }, {}];
    expect(sizesOf(waves, 10_000)).toEqual([100, 1000, 3000, 3000, 2900]);
  });

  it('rounds percentages up, but not on binary noise', () => {
    // 25 % of 41 is 10.25 → 11; 16.1 % of 1000 is 161 exactly (161.00000000000003 in floats).
    expect(sizesOf([{ percent: 25 }, {}], 41)).toEqual([11, 30]);
    expect(sizesOf([{ percent: 16.1 }, {}], 1000)).toEqual([161, 839]);
    expect(sizesOf([{ percent: 0.001 }, {}], 3)).toEqual([1, 2]);
  });

  it('lets one wave with neither seats nor percent take everything', () => {
    expect(sizesOf([{ soakSeconds: 5 }], 7)).toEqual([7]);
  });

  it('refuses a wave that would be empty and lists the sizes', () => {
    expect(refusal(() => planWaves([{ seats: 1 }, { percent: 100 }, {}], 10))).toEqual({
      field: 'waves',
      message: 'wave 3 would be empty (sizes: 1, 9, 0)',
    });
    expect(refusal(() => planWaves([{ seats: 40 }, {}], 40))).toEqual({
      field: 'waves',
      message: 'wave 2 would be empty (sizes: 40, 0)',
    });
    // An earlier wave took everything: the middle one is empty and names its own field.
    expect(refusal(() => planWaves([{ percent: 100 }, { seats: 1 }, {}], 5))).toEqual({
      field: 'waves[1].seats',
      message: 'wave 2 would be empty (sizes: 5, 0, 0)',
    });
  });

  it('refuses a wave with both or neither of seats and percent, unless it is the last', () => {
    expect(refusal(() => planWaves([{ seats: 1, percent: 5 }, {}], 10)).field).toBe('waves[0]');
    expect(refusal(() => planWaves([{ seats: 1 }, {}, {}], 10)).field).toBe('waves[1]');
    expect(refusal(() => planWaves([{ seats: 1 }, { seats: 2 }], 10)).field).toBe('waves[1].seats');
    expect(refusal(() => planWaves([{ percent: 50 }], 10)).field).toBe('waves[0].percent');
  });

  it('refuses seats that are not a whole number of at least 1', () => {
    for (const seats of [0, -1, 1.5, Number.NaN]) {
      expect(refusal(() => planWaves([{ seats }, {}], 10)).field).toBe('waves[0].seats');
    }
  });

  it('refuses percent outside (0, 100]', () => {
    for (const percent of [0, -5, 100.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal(() => planWaves([{ seats: 1 }, { percent }, {}], 10)).field).toBe('waves[1].percent');
    }
  });

  it('refuses a soak that is negative, fractional or longer than the limit', () => {
    for (const soakSeconds of [-1, 0.5, 7 * 24 * 3600 + 1]) {
      expect(refusal(() => planWaves([{ seats: 1 }, { soakSeconds }], 10)).field).toBe(
        'waves[1].soakSeconds',
      );
    }
    expect(planWaves([{ soakSeconds: 7 * 24 * 3600 }], 1)[0]?.soakSeconds).toBe(604_800);
    expect(refusal(() => planWaves([{ soakSeconds: 61 }], 1, { maxSoakSeconds: 60 })).field).toBe(
      'waves[0].soakSeconds',
    );
  });

  it('refuses more waves than the limit', () => {
    const waves = [...Array.from({ length: 100 }, () => ({ seats: 1 })), {}];
    expect(refusal(() => planWaves(waves, 1000))).toEqual({
      field: 'waves',
      message: 'a rollout has at most 100 waves, got 101',
    });
    expect(planWaves(waves.slice(1), 1000)).toHaveLength(100);
    expect(refusal(() => planWaves([{ seats: 1 }, {}], 10, { maxWaves: 1 })).field).toBe('waves');
  });

  it('refuses an empty rollout as an empty wave', () => {
    expect(refusal(() => planWaves(null, 0)).message).toBe('wave 1 would be empty (sizes: 0)');
  });
});

describe('waveSizes', () => {
  it('returns the sizes, empty ones included, for a preview', () => {
    expect(waveSizes([{ seats: 1 }, { percent: 25 }, {}], 40)).toEqual([1, 10, 29]);
    expect(waveSizes([{ seats: 3 }, { percent: 50 }, {}], 4)).toEqual([3, 1, 0]);
    expect(waveSizes(null, 12)).toEqual([12]);
  });

  it('still refuses malformed waves', () => {
    expect(refusal(() => waveSizes([{ seats: 0 }, {}], 4)).field).toBe('waves[0].seats');
  });
});
