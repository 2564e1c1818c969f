import type { Compare } from '../../kv/kv.js';
import {
  DomainError,
  GroupFrozenError,
  InstallInProgressError,
  SeatNotFoundError,
} from '../../model/errors.js';
import type { ConvergeSeat, DesiredVersionRecords } from '../../records/desired-version-records.js';
import { isFinalInstallStatus, originOf } from '../../records/install-schema.js';
import type { FreezeGuard } from '../groups/freeze-guard.js';
import type { InstallService } from '../installs/install-service.js';
import type { DesiredVersionService } from './desired-version-service.js';
import { convergeWork } from './drift.js';

/**
 * One converge pass for one segment name (D4): level-triggered and idempotent. While any install of
 * the name is active it waits (D1); the end of its own last batch is counted once (failed seats get
 * an attempt and a time to try again, or are parked with their reason; seats that succeeded lose
 * their failure entry); then the next batch of drifting seats, all wanting the same version, becomes
 * one install record with `origin.kind = CONVERGE` and `replaceOtherVersions`. Every outcome that
 * must survive a crash is in the store: the batch's record id, the seats' attempts and due times.
 * Seats of a frozen group (D8) are not attempted and not counted: they wait for the freeze to end.
 */

export interface ConvergeOptions {
  desired: DesiredVersionService;
  records: DesiredVersionRecords;
  installs: InstallService;
  /** Seats per batch (`CONVERGE_BATCH_SEATS`). */
  batchSeats: number;
  /** A seat is parked after this many failed attempts (`CONVERGE_RETRY_MAX`). */
  retryMax: number;
  /** The wait before the second attempt; it doubles with each (`CONVERGE_RETRY_BASE_MS`). */
  retryBaseMs: number;
  /** Frozen groups: their seats wait (`groups/freeze-guard.ts`). */
  freezes?: FreezeGuard;
  /**
   * Section 1: converge installs "with the group's last rollout policy": that rollout's seat timeout,
   * and its retries (a seat is parked after `seatRetries + 1` attempts); undefined: the defaults.
   */
  policyOf?: (group: string, name: string) => Promise<ConvergePolicy | undefined>;
  /** D5 `MAX_SEATS_IN_FLIGHT`: seats changing at once across every rollout and converge. */
  maxSeatsInFlight?: number;
  /** Why converge of a name must wait for a rollout (D4, `rollouts/rollout-gate.ts`); undefined: it need not. */
  rolloutHold?: (name: string) => Promise<string | undefined>;
  now?: () => Date;
}

/** What a group's last rollout says about its converge batches. */
export interface ConvergePolicy {
  readonly timeoutMs: number;
  readonly retryMax: number;
}

/** What the pass did, and when to look again (undefined: when something changes). */
export interface ConvergeOutcome {
  readonly action: 'waiting' | 'started' | 'idle' | 'blocked';
  readonly recordId?: string;
  readonly seats?: number;
  readonly error?: string;
  readonly againInMs?: number;
}

export class ConvergeService {
  private readonly now: () => Date;

  constructor(private readonly options: ConvergeOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async converge(name: string, guard: Compare[], waitMs: number): Promise<ConvergeOutcome> {
    const { records, installs } = this.options;
    const read = await records.convergeState(name);
    const state = read?.state ?? { accounted: true, updatedAt: this.now().toISOString() };
    const revision = read?.modRevision ?? 0;
    const active = await installs.activeForName(name);
    if (active !== undefined) {
      // A batch recorded by a pass that died before saving its id is adopted here.
      const record = await installs.get(active);
      if (record && originOf(record.record).kind === 'CONVERGE' && state.recordId !== active) {
        const adopted = { recordId: active, accounted: false, updatedAt: this.now().toISOString() };
        await this.putState(name, adopted, revision, guard);
      }
      return { action: 'waiting', recordId: active, againInMs: waitMs };
    }
    if (state.recordId !== undefined && !state.accounted) {
      await this.account(name, state.recordId, guard);
      const accounted = { ...state, accounted: true, updatedAt: this.now().toISOString() };
      const written = await this.putState(name, accounted, revision, guard);
      return this.nextBatch(name, accounted, written, guard, waitMs);
    }
    return this.nextBatch(name, state, revision, guard, waitMs);
  }

  private async nextBatch(
    name: string,
    state: { recordId?: string; accounted: boolean; error?: string; updatedAt: string },
    revision: number,
    guard: Compare[],
    waitMs: number,
  ): Promise<ConvergeOutcome> {
    const { desired, installs, batchSeats } = this.options;
    const held = await this.options.rolloutHold?.(name);
    if (held !== undefined) {
      // Shown with the desired version; the rollout's end (its marker going) looks again.
      if (state.error !== held)
        await this.putState(
          name,
          { ...state, error: held, updatedAt: this.now().toISOString() },
          revision,
          guard,
        );
      return { action: 'waiting' };
    }
    const facts = await desired.facts(name);
    const now = this.now();
    const work = convergeWork(facts, now);
    const frozen = await this.frozenSeats(
      work.due.map((d) => d.seat),
      now,
    );
    const due = work.due.filter((d) => !frozen.seats.has(d.seat));
    const nextAt = Math.min(work.nextAt ?? Number.POSITIVE_INFINITY, frozen.endsAt);
    const againInMs = Number.isFinite(nextAt) ? Math.max(0, nextAt - now.getTime()) : undefined;
    const first = due[0];
    if (!first?.segmentId) {
      if (state.error !== undefined)
        await this.putState(name, { ...state, error: undefined }, revision, guard);
      const action = frozen.seats.size > 0 ? 'waiting' : 'idle';
      return { action, ...(againInMs === undefined ? {} : { againInMs }) };
    }
    const target = first.segmentId;
    const room = await this.roomInFlight(batchSeats);
    if (room === 0) return { action: 'waiting', againInMs: waitMs };
    const batch = due.filter((d) => d.segmentId === target).slice(0, room);
    const group = [...facts.desired].find(
      ([g, id]) => id === target && facts.members.get(g)?.includes(first.seat),
    )?.[0];
    const attempt = Math.max(...batch.map((d) => d.attempts));
    const policy = group === undefined ? undefined : await this.options.policyOf?.(group, name);
    try {
      const record = await installs.install(
        target,
        batch.map((d) => d.seat),
        {
          mode: 'ADD',
          replaceOtherVersions: true,
          origin: { kind: 'CONVERGE', ...(group ? { group } : {}), attempt },
          requestedBy: 'converge',
          ...(policy ? { timeoutMs: policy.timeoutMs } : {}),
        },
      );
      if (!record) return { action: 'idle', againInMs: waitMs };
      const next = { recordId: record.id, accounted: false, updatedAt: now.toISOString() };
      await this.putState(name, next, revision, guard);
      return { action: 'started', recordId: record.id, seats: batch.length };
    } catch (err) {
      // Another change of the name started, a seat went, or a group froze meanwhile: decide again shortly.
      if (
        err instanceof InstallInProgressError ||
        err instanceof SeatNotFoundError ||
        err instanceof GroupFrozenError
      )
        return { action: 'waiting', againInMs: waitMs };
      if (!(err instanceof DomainError)) throw err;
      // The same refusal every time (not synced, a protected group, ...): visible with the desired version.
      const error = `${err.code}: ${err.message}`;
      if (state.error !== error)
        await this.putState(name, { ...state, error, updatedAt: now.toISOString() }, revision, guard);
      return { action: 'blocked', error, ...(againInMs === undefined ? {} : { againInMs }) };
    }
  }

  /**
   * The seats among `seats` held by a frozen group, and when the first of those freezes ends by
   * itself (infinity when none has an `until`: an unfreeze is a group change, which looks again).
   */
  private async frozenSeats(seats: string[], now: Date): Promise<{ seats: Set<string>; endsAt: number }> {
    const frozen = (await this.options.freezes?.frozenGroupsOf(seats)) ?? [];
    const ends = frozen.map((f) => (f.freeze.until ? Date.parse(f.freeze.until) : Number.POSITIVE_INFINITY));
    return {
      seats: new Set(frozen.flatMap((f) => f.seats)),
      endsAt: Math.max(now.getTime(), Math.min(Number.POSITIVE_INFINITY, ...ends)),
    };
  }

  /** How many seats the next batch may take: its size, less what `MAX_SEATS_IN_FLIGHT` leaves no room for. */
  private async roomInFlight(batchSeats: number): Promise<number> {
    const { maxSeatsInFlight, installs } = this.options;
    if (maxSeatsInFlight === undefined) return batchSeats;
    return Math.max(0, Math.min(batchSeats, maxSeatsInFlight - (await installs.seatsInFlight())));
  }

  private async putState(
    name: string,
    next: { recordId?: string; accounted: boolean; error?: string; updatedAt: string },
    revision: number,
    guard: Compare[],
  ): Promise<number> {
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as typeof next;
    const written = await this.options.records.putConvergeState(name, clean, revision, guard);
    if (written === undefined) throw new Error(`converge state of ${name} changed meanwhile`);
    return written;
  }

  /**
   * Counts the end of a batch: failed seats get an attempt (parked after `retryMax`), seats that
   * succeeded lose their entry. Counting the same end again changes nothing.
   */
  private async account(name: string, recordId: string, guard: Compare[]): Promise<void> {
    const { installs, records, retryBaseMs } = this.options;
    const stored = await installs.get(recordId);
    if (!stored || !isFinalInstallStatus(stored.record.status)) return;
    const group = originOf(stored.record).group;
    const policy = group === undefined ? undefined : await this.options.policyOf?.(group, name);
    const retryMax = policy?.retryMax ?? this.options.retryMax;
    const read = await installs.readLog(recordId);
    if (!read) return;
    const failures = await records.convergeSeats(name);
    const put = new Map<string, ConvergeSeat>();
    const remove: string[] = [];
    const now = this.now().getTime();
    stored.record.installSeats.forEach((seat, index) => {
      const progress = read.log.seat(index);
      const held = failures.get(seat);
      if (progress.state === 'SUCCEEDED') {
        if (held) remove.push(seat);
        return;
      }
      if (held?.recordId === recordId) return;
      const attempts = (held?.segmentId === stored.record.segmentId ? held.attempts : 0) + 1;
      put.set(seat, {
        segmentId: stored.record.segmentId,
        attempts,
        nextAttemptAt: new Date(now + retryBaseMs * 2 ** (attempts - 1)).toISOString(),
        lastError: (progress.error ?? stored.record.error ?? 'did not finish').slice(0, 500),
        recordId,
        parked: attempts >= retryMax,
      });
    });
    await records.writeConvergeSeats(name, put, remove, guard);
  }
}
