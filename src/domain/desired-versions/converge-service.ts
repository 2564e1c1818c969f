import type { Compare } from '../../kv/kv.js';
import { DomainError, InstallInProgressError, SeatNotFoundError } from '../../model/errors.js';
import type { ConvergeSeat, DesiredVersionRecords } from '../../records/desired-version-records.js';
import { isFinalInstallStatus, originOf } from '../../records/install-schema.js';
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
  now?: () => Date;
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
    const facts = await desired.facts(name);
    const now = this.now();
    const work = convergeWork(facts, now);
    const againInMs = work.nextAt === undefined ? undefined : Math.max(0, work.nextAt - now.getTime());
    const first = work.due[0];
    if (!first?.segmentId) {
      if (state.error !== undefined)
        await this.putState(name, { ...state, error: undefined }, revision, guard);
      return { action: 'idle', ...(againInMs === undefined ? {} : { againInMs }) };
    }
    const target = first.segmentId;
    const batch = work.due.filter((d) => d.segmentId === target).slice(0, batchSeats);
    const group = [...facts.desired].find(
      ([g, id]) => id === target && facts.members.get(g)?.includes(first.seat),
    )?.[0];
    const attempt = Math.max(...batch.map((d) => d.attempts));
    try {
      const record = await installs.install(
        target,
        batch.map((d) => d.seat),
        {
          mode: 'ADD',
          replaceOtherVersions: true,
          origin: { kind: 'CONVERGE', ...(group ? { group } : {}), attempt },
          requestedBy: 'converge',
        },
      );
      if (!record) return { action: 'idle', againInMs: waitMs };
      const next = { recordId: record.id, accounted: false, updatedAt: now.toISOString() };
      await this.putState(name, next, revision, guard);
      return { action: 'started', recordId: record.id, seats: batch.length };
    } catch (err) {
      // Another change of the name started, or a seat went: decide again shortly.
      if (err instanceof InstallInProgressError || err instanceof SeatNotFoundError)
        return { action: 'waiting', againInMs: waitMs };
      if (!(err instanceof DomainError)) throw err;
      // The same refusal every time (not synced, a protected group, ...): visible with the desired version.
      const error = `${err.code}: ${err.message}`;
      if (state.error !== error)
        await this.putState(name, { ...state, error, updatedAt: now.toISOString() }, revision, guard);
      return { action: 'blocked', error, ...(againInMs === undefined ? {} : { againInMs }) };
    }
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
    const { installs, records, retryMax, retryBaseMs } = this.options;
    const stored = await installs.get(recordId);
    if (!stored || !isFinalInstallStatus(stored.record.status)) return;
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
