import type { ConvergeSeat } from '../../records/desired-version-records.js';

/**
 * Drift (D4), computed for one segment name from what the groups desire and what the seats run:
 * a seat drifts when its desired version is absent or another version of the name is present. A
 * seat whose groups desire two different versions is in CONFLICT and left alone.
 */

export const DRIFT_REASONS = ['MISSING', 'OTHER_VERSION', 'CONFLICT', 'RETRYING', 'PARKED'] as const;
export type DriftReason = (typeof DRIFT_REASONS)[number];

export interface SeatDrift {
  readonly seat: string;
  readonly reason: DriftReason;
  /** For people: which versions, which groups, the last error. */
  readonly message: string;
  /** The version the seat should run (undefined in CONFLICT). */
  readonly segmentId?: string;
  /** Failed converge attempts so far. */
  readonly attempts: number;
  /** RETRYING: when converge tries again. */
  readonly nextAttemptAt?: string;
}

export interface NameFacts {
  /** group → desired segment id, for the groups with a desired version of the name. */
  readonly desired: ReadonlyMap<string, string>;
  /** group → its members' seat names. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** segment id → the seats it runs on, for every version of the name. */
  readonly running: ReadonlyMap<string, ReadonlySet<string>>;
  /** Seats converge failed on. */
  readonly failures: ReadonlyMap<string, ConvergeSeat>;
}

/** Each seat in any desiring group → the versions its groups desire, with the groups. */
function wantedBySeat(facts: NameFacts): Map<string, Map<string, string[]>> {
  const wanted = new Map<string, Map<string, string[]>>();
  for (const [group, segmentId] of facts.desired) {
    for (const seat of facts.members.get(group) ?? []) {
      const versions = wanted.get(seat) ?? new Map<string, string[]>();
      wanted.set(seat, versions);
      const groups = versions.get(segmentId) ?? [];
      groups.push(group);
      versions.set(segmentId, groups);
    }
  }
  return wanted;
}

/** The drift of one seat, or undefined when it runs exactly what its groups desire. */
function seatDrift(
  seat: string,
  versions: ReadonlyMap<string, readonly string[]>,
  facts: NameFacts,
): SeatDrift | undefined {
  if (versions.size > 1) {
    const parts = [...versions].map(([id, groups]) => `${groups.join(', ')} desire ${id}`);
    return {
      seat,
      reason: 'CONFLICT',
      message: `conflicting desired versions: ${parts.join('; ')}`,
      attempts: 0,
    };
  }
  const [segmentId] = [...versions.keys()] as [string];
  const runs = (id: string) => facts.running.get(id)?.has(seat) ?? false;
  const others = [...facts.running.keys()].filter((id) => id !== segmentId && runs(id));
  const has = runs(segmentId);
  if (has && others.length === 0) return undefined;
  const failure = facts.failures.get(seat);
  const failed = failure?.segmentId === segmentId ? failure : undefined;
  const base = has ? `also runs ${others.join(', ')}` : `does not run ${segmentId}`;
  if (failed?.parked) {
    const message = `${base}; parked after ${failed.attempts} failed attempts: ${failed.lastError}`;
    return { seat, reason: 'PARKED', message, segmentId, attempts: failed.attempts };
  }
  if (failed) {
    const message = `${base}; attempt ${failed.attempts} failed: ${failed.lastError}`;
    return {
      seat,
      reason: 'RETRYING',
      message,
      segmentId,
      attempts: failed.attempts,
      nextAttemptAt: failed.nextAttemptAt,
    };
  }
  return { seat, reason: has ? 'OTHER_VERSION' : 'MISSING', message: base, segmentId, attempts: 0 };
}

/** The drifting seats among `seats` (each must be in a desiring group), in seat-name order. */
export function driftOf(seats: readonly string[], facts: NameFacts): SeatDrift[] {
  const wanted = wantedBySeat(facts);
  const out: SeatDrift[] = [];
  for (const seat of [...seats].sort()) {
    const versions = wanted.get(seat);
    if (!versions) continue;
    const drift = seatDrift(seat, versions, facts);
    if (drift) out.push(drift);
  }
  return out;
}

/**
 * Converge's work: drifting seats it may act on now (not in CONFLICT, not parked, not waiting for a
 * retry), and the earliest time a waiting seat is due.
 */
export function convergeWork(facts: NameFacts, now: Date): { due: SeatDrift[]; nextAt?: number } {
  const wanted = wantedBySeat(facts);
  const due: SeatDrift[] = [];
  let nextAt: number | undefined;
  for (const seat of [...wanted.keys()].sort()) {
    const drift = seatDrift(seat, wanted.get(seat)!, facts);
    if (!drift || drift.reason === 'CONFLICT' || drift.reason === 'PARKED') continue;
    if (drift.nextAttemptAt !== undefined) {
      const at = Date.parse(drift.nextAttemptAt);
      if (at > now.getTime()) {
        nextAt = Math.min(nextAt ?? at, at);
        continue;
      }
    }
    due.push(drift);
  }
  return { due, ...(nextAt === undefined ? {} : { nextAt }) };
}
