import { InvalidInputError } from '../../model/errors.js';
import type { WaveInput } from './rollout-types.js';

/**
 * Wave sizes of a rollout (SPEC-FLEET D5). Every wave but the last gives exactly one of `seats` or
 * `percent` (size `ceil(percent × N / 100)`); the last gives neither and takes the rest. A wave that
 * would be empty is refused with every computed size, so the operator sees what to change.
 */

/** A wave's seats are `[from, to)` in the rollout's seat order. */
export interface PlannedWave {
  from: number;
  to: number;
  soakSeconds: number;
  requireApproval: boolean;
}

export interface WaveLimits {
  /** Most waves one rollout may have (default 100). */
  maxWaves?: number;
  /** Longest soak of one wave (default 7 days). */
  maxSoakSeconds?: number;
}

export const DEFAULT_MAX_WAVES = 100;
export const DEFAULT_MAX_SOAK_SECONDS = 7 * 24 * 3600;

/** `ceil` that forgives binary rounding: 16.1 % of 1000 is 161, not 162 (161.00000000000003 in floats). */
function ceilOfShare(percent: number, seatCount: number): number {
  const exact = (percent * seatCount) / 100;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= 1e-9 * Math.max(1, exact) ? nearest : Math.ceil(exact);
}

function given(value: number | null | undefined): value is number {
  return value !== null && value !== undefined;
}

/** Checks one wave's fields; returns the size it asks for (`undefined` for the last wave: the rest). */
function requestedSize(
  wave: WaveInput,
  index: number,
  isLast: boolean,
  seatCount: number,
  maxSoakSeconds: number,
): number | undefined {
  const at = `waves[${index}]`;
  const soak = wave.soakSeconds;
  if (given(soak) && !(Number.isInteger(soak) && soak >= 0 && soak <= maxSoakSeconds)) {
    throw new InvalidInputError(
      `wave ${index + 1}: soakSeconds must be an integer from 0 to ${maxSoakSeconds}, got ${soak}`,
      `${at}.soakSeconds`,
    );
  }
  const { seats, percent } = wave;
  if (isLast) {
    if (given(seats) || given(percent)) {
      throw new InvalidInputError(
        `wave ${index + 1} is the last: it takes the rest and gives neither seats nor percent`,
        given(seats) ? `${at}.seats` : `${at}.percent`,
      );
    }
    return undefined;
  }
  if (given(seats) === given(percent)) {
    throw new InvalidInputError(
      `wave ${index + 1} must give exactly one of seats or percent (only the last wave gives neither)`,
      at,
    );
  }
  if (given(seats)) {
    if (!(Number.isInteger(seats) && seats >= 1)) {
      throw new InvalidInputError(
        `wave ${index + 1}: seats must be an integer of at least 1, got ${seats}`,
        `${at}.seats`,
      );
    }
    return seats;
  }
  const share = percent as number;
  if (!(Number.isFinite(share) && share > 0 && share <= 100)) {
    throw new InvalidInputError(
      `wave ${index + 1}: percent must be above 0 and at most 100, got ${share}`,
      `${at}.percent`,
    );
  }
  return ceilOfShare(share, seatCount);
}

function checkSeatCount(seatCount: number): void {
  if (!(Number.isInteger(seatCount) && seatCount >= 0)) {
    throw new RangeError(`seatCount must be a non-negative integer, got ${seatCount}`);
  }
}

/**
 * The seats each wave gets, in order, after checking every field. Earlier waves that ask for more
 * than is left get what is left, so a size may be 0 here; `planWaves` refuses that, while a preview
 * can show it.
 */
export function waveSizes(
  waves: readonly WaveInput[] | null | undefined,
  seatCount: number,
  limits: WaveLimits = {},
): number[] {
  checkSeatCount(seatCount);
  const list = waves ?? [];
  if (list.length === 0) return [seatCount];
  const maxWaves = limits.maxWaves ?? DEFAULT_MAX_WAVES;
  if (list.length > maxWaves) {
    throw new InvalidInputError(`a rollout has at most ${maxWaves} waves, got ${list.length}`, 'waves');
  }
  const maxSoak = limits.maxSoakSeconds ?? DEFAULT_MAX_SOAK_SECONDS;
  let left = seatCount;
  return list.map((wave, index) => {
    const asked = requestedSize(wave, index, index === list.length - 1, seatCount, maxSoak);
    const size = asked === undefined ? left : Math.min(asked, left);
    left -= size;
    return size;
  });
}

/** Contiguous waves over `[0, seatCount)`; no wave is empty (`INVALID_INPUT` listing the sizes). */
export function planWaves(
  waves: readonly WaveInput[] | null | undefined,
  seatCount: number,
  limits: WaveLimits = {},
): PlannedWave[] {
  const sizes = waveSizes(waves, seatCount, limits);
  const empty = sizes.indexOf(0);
  if (empty >= 0) {
    throw new InvalidInputError(
      `wave ${empty + 1} would be empty (sizes: ${sizes.join(', ')})`,
      emptyWaveField(waves, empty, sizes.length),
    );
  }
  let from = 0;
  return sizes.map((size, index) => {
    const wave: WaveInput = waves?.[index] ?? {};
    const planned = {
      from,
      to: from + size,
      soakSeconds: wave.soakSeconds ?? 0,
      requireApproval: wave.requireApproval ?? false,
    };
    from += size;
    return planned;
  });
}

/** The field a form should point at: the wave's own size field, or `waves` for the last (it has none). */
function emptyWaveField(
  waves: readonly WaveInput[] | null | undefined,
  index: number,
  count: number,
): string {
  const wave = waves?.[index];
  if (!wave || index === count - 1) return 'waves';
  return given(wave.seats) ? `waves[${index}].seats` : `waves[${index}].percent`;
}
