import { addressKey } from './addresses.js';

/** How devices behave in tasks started from now on; the faults a test or benchmark dials in. */
export interface DeviceBehaviour {
  /** Mean time a device takes from 0 to 100 percent, in ms. */
  durationMs: number;
  /** 0..1: each device's duration is uniform in [durationMs * (1 - jitter), durationMs * (1 + jitter)]. */
  jitter: number;
  /** 0..1: share of devices that fail part-way. */
  failureRate: number;
  /** 0..1: share of devices that stop answering: RUNNING forever below 100 percent, holding their slot. */
  stallRate: number;
  /** Devices worked on at once per task; 0 means all of them. */
  parallelism: number;
}

const DEFAULT_BEHAVIOUR: Readonly<DeviceBehaviour> = Object.freeze({
  durationMs: 3000,
  jitter: 0.5,
  failureRate: 0,
  stallRate: 0,
  parallelism: 0,
});

export type DeviceOutcome = 'succeed' | 'fail' | 'stall';

/** A fixed fate for one device, so a test can say exactly what happens to it. */
export interface DeviceOverride {
  outcome: DeviceOutcome;
  /** Time the device would take from 0 to 100 percent (no jitter); a failing device stops early. */
  durationMs?: number;
  /** Where a failing device fails or a stalled device stops, 0..99; drawn at random when absent. */
  percent?: number;
  /** The failure's text; a realistic one is drawn when absent. */
  error?: string;
}

const inUnitRange = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;

/** `current` with `partial` applied; a RangeError names the first setting out of range. */
function mergeBehaviour(current: DeviceBehaviour, partial: Partial<DeviceBehaviour>): DeviceBehaviour {
  const next = { ...current, ...definedOnly(partial) };
  if (!Number.isFinite(next.durationMs) || next.durationMs < 0) {
    throw new RangeError(`durationMs must be a finite number >= 0, got ${next.durationMs}`);
  }
  for (const name of ['jitter', 'failureRate', 'stallRate'] as const) {
    if (!inUnitRange(next[name])) throw new RangeError(`${name} must be between 0 and 1, got ${next[name]}`);
  }
  if (next.failureRate + next.stallRate > 1) {
    throw new RangeError(
      `failureRate + stallRate must not exceed 1, got ${next.failureRate + next.stallRate}`,
    );
  }
  if (!Number.isSafeInteger(next.parallelism) || next.parallelism < 0) {
    throw new RangeError(`parallelism must be an integer >= 0, got ${next.parallelism}`);
  }
  return next;
}

function checkOverride(override: DeviceOverride): void {
  if (!['succeed', 'fail', 'stall'].includes(override.outcome)) {
    throw new RangeError(`outcome must be succeed, fail or stall, got ${String(override.outcome)}`);
  }
  const { durationMs, percent } = override;
  if (durationMs !== undefined && (!Number.isFinite(durationMs) || durationMs < 0)) {
    throw new RangeError(`durationMs must be a finite number >= 0, got ${durationMs}`);
  }
  if (percent !== undefined && (!Number.isInteger(percent) || percent < 0 || percent > 99)) {
    throw new RangeError(`percent must be an integer from 0 to 99, got ${percent}`);
  }
}

// `{ durationMs: undefined }` from an optional config value must not wipe the current setting.
function definedOnly(partial: Partial<DeviceBehaviour>): Partial<DeviceBehaviour> {
  return Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
}

/** The knobs for tasks started from now on: how devices behave, and fixed fates for some of them. */
export class DeviceKnobs {
  private current: DeviceBehaviour;
  /** By address key. */
  readonly overrides = new Map<string, DeviceOverride>();

  constructor(initial: Partial<DeviceBehaviour>) {
    this.current = mergeBehaviour(DEFAULT_BEHAVIOUR, initial);
  }

  get behaviour(): DeviceBehaviour {
    return { ...this.current };
  }

  /** RangeError for a value out of range. */
  setBehaviour(partial: Partial<DeviceBehaviour>): void {
    this.current = mergeBehaviour(this.current, partial);
  }

  /** undefined returns the device to chance. */
  setDevice(ip: string, override: DeviceOverride | undefined): void {
    const key = addressKey(ip);
    if (key === undefined) throw new RangeError(`not an IPv4 or IPv6 address: ${JSON.stringify(ip)}`);
    if (!override) {
      this.overrides.delete(key);
      return;
    }
    checkOverride(override);
    this.overrides.set(key, { ...override });
  }
}
