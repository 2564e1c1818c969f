import { randomBytes } from 'node:crypto';
import { unchangedSince } from '../../kv/kv.js';
import {
  ApprovalNotAllowedError,
  InstallInProgressError,
  InvalidInputError,
  RolloutInProgressError,
  RolloutNotFoundError,
  RolloutStateConflictError,
} from '../../model/errors.js';
import type { Principal } from '../../model/principal.js';
import { ContendedWriteError } from '../../records/conflict-error.js';
import { keys } from '../../records/keyspace.js';
import type { RolloutRecords } from '../../records/rollout-records.js';
import { isFinalRolloutState, type RolloutRecord, type RolloutState } from '../../records/rollout-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { DesiredVersionService } from '../desired-versions/desired-version-service.js';
import type { InstallService } from '../installs/install-service.js';
import { pageSize } from '../page-size.js';
import { windowState } from './maintenance-window.js';
import { listRollouts } from './rollout-list.js';
import { type PlanDeps, planRollout } from './rollout-plan.js';
import { addEvent, currentWaveTally, emptySummary, moveWait } from './rollout-record.js';
import { readSeatPage } from './rollout-seat-view.js';
import type {
  RolloutFilter,
  RolloutInput,
  RolloutPage,
  RolloutPreview,
  RolloutSeatPage,
  RolloutSeatState,
  StoredRollout,
} from './rollout-types.js';
import { activeForGroup, refuseSuperseded, segmentUse } from './rollout-uses.js';

export interface RolloutServiceOptions extends PlanDeps {
  records: RolloutRecords;
  installs: InstallService;
  desired: DesiredVersionService;
  /** D11: the stored file is re-hashed at creation; FILE_TAMPERED (recorded) when it changed. */
  checkFile?: (segment: StoredSegment) => Promise<StoredSegment>;
}

const ATTEMPTS = 5;
const MAX_REASON = 500;

/**
 * Staged rollouts (SPEC-FLEET section 2, D5–D8): what operators ask of them. Each call is one
 * guarded write of the rollout's head; the controller (`rollout-engine.ts`) does the rest, reading
 * only the head and its chunks, so any replica may answer and any may drive.
 */
export class RolloutService {
  constructor(private readonly options: RolloutServiceOptions) {}

  private now(): Date {
    return this.options.now();
  }

  async preview(input: RolloutInput): Promise<RolloutPreview> {
    const plan = await planRollout(this.options, input);
    const window = plan.policy.maintenanceWindow;
    const state = window && windowState(window, this.now());
    return {
      seatCount: plan.seats.length,
      skipped: plan.skipped,
      waves: plan.waves.map((wave, index) => ({ index, seatCount: wave.to - wave.from })),
      ...(state ? { firstWindowAt: state.open ? this.now() : state.opensAt } : {}),
    };
  }

  async create(input: RolloutInput, by: Principal): Promise<StoredRollout> {
    const { records, installs, desired, checkFile, segments } = this.options;
    const segment = checkFile && (await segments.get(input.segmentId));
    if (segment && segment.record.deleteStatus === 'NONE') await checkFile(segment);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const plan = await planRollout(this.options, input, by);
      const name = plan.segment.record.name;
      const active = await records.activeFor(name);
      if (active !== undefined) throw new RolloutInProgressError(name, active);
      const install = await installs.activeForName(name);
      if (install !== undefined) throw new InstallInProgressError(plan.segment.id, install);
      const group = input.group ?? undefined;
      const previous = group === undefined ? undefined : await desired.get(group, name);
      const at = this.now().toISOString();
      const record: RolloutRecord = {
        segmentId: plan.segment.id,
        name,
        ...(group === undefined ? { selector: input.selector as string } : { group }),
        policy: plan.policy,
        waves: plan.waves,
        state: 'PENDING',
        currentWave: 0,
        createdBy: by.id,
        approvals: [],
        events: [],
        summary: {
          ...emptySummary(plan.seats.length),
          pending: plan.seats.length - plan.skipped,
          skipped: plan.skipped,
        },
        chunks: Math.ceil(plan.seats.length / 500),
        fromVersionSet: [],
        stepSeq: 0,
        createdAt: at,
        waitingSince: at,
        ...(group === undefined ? {} : { previousDesired: previous?.segmentId ?? null }),
      };
      const waves = plan.waves.map((w) => w.to - w.from).join(', ');
      addEvent(record, this.now(), 'CREATED', `${plan.seats.length} seats, waves of ${waves}`, by.id);
      const id = newRolloutId(this.now());
      const guard = [
        unchangedSince(keys.segment(plan.segment.id), plan.segment.modRevision),
        unchangedSince(keys.segmentSeats(plan.segment.id), plan.segmentSeatsRevision),
      ];
      const revision = await records.create(id, record, plan.seats, guard);
      if (revision !== undefined) return { id, record, modRevision: revision };
    }
    throw new ContendedWriteError('the rollout could not be recorded: the store kept changing under it');
  }

  approve(id: string, by: Principal, note?: string | null): Promise<StoredRollout> {
    return this.change(id, 'approve', (record) => {
      if (record.state !== 'WAITING_APPROVAL') return false;
      if (by.id === record.createdBy && !this.options.selfApproval) {
        throw new ApprovalNotAllowedError(
          `${by.id} created rollout and may not approve it; another principal must (or set ROLLOUT_SELF_APPROVAL=true)`,
        );
      }
      const wave = record.currentWave;
      const text = checkText(note ?? '', 'note', true);
      record.approvals.push({ wave, by: by.id, at: this.now().toISOString(), note: text });
      addEvent(record, this.now(), 'APPROVED', `wave ${wave + 1} approved${text ? `: ${text}` : ''}`, by.id);
      return true;
    });
  }

  pause(id: string, by: Principal, reason: string): Promise<StoredRollout> {
    const text = checkText(reason, 'reason');
    return this.change(id, 'pause', (record) => {
      if (isFinalRolloutState(record.state) || record.state === 'PAUSED' || record.state === 'ROLLING_BACK')
        return false;
      this.enter(record, 'PAUSED');
      record.paused = { reason: text, cause: 'MANUAL', at: this.now().toISOString() };
      addEvent(record, this.now(), 'PAUSED', text, by.id);
      return true;
    });
  }

  resume(id: string, by: Principal): Promise<StoredRollout> {
    return this.change(id, 'resume', (record) => {
      if (record.state !== 'PAUSED') return false;
      const wave = record.waves[record.currentWave];
      // D5: the failures so far (those of a step still running included) are accepted; only further ones breach.
      const tally = currentWaveTally(record);
      if (wave && tally) wave.acceptedFailed = tally.failed;
      this.enter(record, wave?.state === 'SOAKING' ? 'SOAKING' : record.startedAt ? 'RUNNING' : 'PENDING');
      record.paused = undefined;
      addEvent(record, this.now(), 'RESUMED', 'resumed; failures so far accepted', by.id);
      return true;
    });
  }

  cancel(id: string, by: Principal, reason: string): Promise<StoredRollout> {
    const text = checkText(reason, 'reason');
    return this.change(id, 'cancel', (record) => {
      if (isFinalRolloutState(record.state) || record.state === 'ROLLING_BACK') return false;
      this.enter(record, 'CANCELLED');
      record.finishedAt = this.now().toISOString();
      record.paused = undefined;
      const wave = record.waves[record.currentWave];
      if (wave && (wave.state === 'RUNNING' || wave.state === 'SOAKING')) wave.state = 'HALTED';
      addEvent(record, this.now(), 'CANCELLED', text, by.id);
      return true;
    });
  }

  async rollback(id: string, by: Principal, reason: string): Promise<StoredRollout> {
    const text = checkText(reason, 'reason');
    const current = await this.options.records.get(id);
    if (current?.record.state === 'SUCCEEDED') await refuseSuperseded(this.options.records, current);
    return this.change(id, 'rollback', (record) => {
      const allowed = !isFinalRolloutState(record.state) || record.state === 'SUCCEEDED';
      if (!allowed || record.state === 'ROLLING_BACK') return false;
      this.enter(record, 'ROLLING_BACK');
      record.paused = undefined;
      record.finishedAt = undefined;
      record.rollback = {
        reason: text,
        by: by.id,
        at: this.now().toISOString(),
        steps: [],
        next: 0,
        planned: false,
      };
      addEvent(record, this.now(), 'ROLLBACK', text, by.id);
      return true;
    });
  }

  async get(id: string): Promise<StoredRollout | undefined> {
    return this.options.records.get(id);
  }

  /** D6: why a version must not be deleted because of rollouts (see `rollout-uses.ts`). */
  segmentUse(segmentId: string): Promise<string | undefined> {
    return segmentUse(this.options.records, segmentId);
  }

  /** A rollout to the group that has not ended, if any (the group is in use while there is one). */
  activeForGroup(group: string): Promise<string | undefined> {
    return activeForGroup(this.options.records, group);
  }

  /** Every rollout, oldest first, a page at a time (metrics). */
  async *all(): AsyncGenerator<StoredRollout> {
    let after: string | undefined;
    for (;;) {
      const page = await this.options.records.page(200, after);
      yield* page.items;
      if (!page.more) return;
      after = page.items.at(-1)?.id;
    }
  }

  /** Rollouts in creation order (or newest first), filtered; `after` is a rollout id. */
  list(
    first: number | null | undefined,
    after: string | null | undefined,
    filter: RolloutFilter = {},
    newestFirst = false,
  ): Promise<RolloutPage> {
    return listRollouts(this.options.records, pageSize(first), after ?? undefined, filter, newestFirst);
  }

  async seats(
    id: string,
    first: number | null | undefined,
    after: string | null | undefined,
    state?: RolloutSeatState | null,
  ): Promise<RolloutSeatPage> {
    const stored = await this.options.records.get(id);
    if (!stored) throw new RolloutNotFoundError(id);
    return readSeatPage(this.options, stored, pageSize(first), after ?? undefined, state ?? undefined);
  }

  /** Records the time spent in the state being left (metrics) and enters `state`. */
  private enter(record: RolloutRecord, state: RolloutState): void {
    moveWait(record, state, this.now());
  }

  /** One guarded read-change-write of the head; `apply` returns false when the state forbids the action. */
  private async change(
    id: string,
    action: string,
    apply: (record: RolloutRecord) => boolean,
  ): Promise<StoredRollout> {
    const { records, installs } = this.options;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await records.get(id);
      if (!current) throw new RolloutNotFoundError(id);
      const next = structuredClone(current.record);
      if (!apply(next)) throw new RolloutStateConflictError(id, current.record.state, action);
      if (isFinalRolloutState(current.record.state) && !isFinalRolloutState(next.state)) {
        // Taking the name again (a rollback after SUCCEEDED): nothing else may be changing it.
        const active = await records.activeFor(next.name);
        if (active !== undefined && active !== id) throw new RolloutInProgressError(next.name, active);
        const install = await installs.activeForName(next.name);
        if (install !== undefined) throw new InstallInProgressError(next.segmentId, install);
      }
      const revision = await records.update(current, next, new Map(), []);
      if (revision !== undefined) return { id, record: next, modRevision: revision };
    }
    throw new ContendedWriteError(`rollout ${id} could not be changed: the store kept changing under it`);
  }
}

function checkText(text: string, field: string, optional = false): string {
  const trimmed = text.trim();
  if (!optional && trimmed.length === 0) throw new InvalidInputError(`${field} must not be empty`, field);
  if (trimmed.length > MAX_REASON)
    throw new InvalidInputError(`${field} is longer than ${MAX_REASON} characters`, field);
  return trimmed;
}

/** Creation time first, so key order is creation order; the random tail keeps ids apart. */
function newRolloutId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}
