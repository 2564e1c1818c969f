import { encodeGlobalID } from '@pothos/plugin-relay';
import { pageSize } from '../domain/page-size.js';
import type { StoredRollout } from '../domain/rollouts/rollout-types.js';
import { InvalidInputError } from '../model/errors.js';
import { parseSegmentId } from '../model/segment-identity.js';
import type { RolloutSummary } from '../records/rollout-schema.js';
import { builder } from './builder.js';
import { localIdOf } from './global-id.js';
import { UpgradeOrderEnum } from './install.js';
import {
  MaintenanceWindowRef,
  RolloutApprovalRef,
  RolloutEventRef,
  RolloutFailureActionEnum,
  RolloutPauseCauseEnum,
  RolloutSeatConnectionRef,
  RolloutSeatStateEnum,
  RolloutStateEnum,
  RolloutSummaryRef,
  RolloutWaveRef,
} from './rollout-parts.js';
import { DateTimeScalar } from './scalars.js';
import { SeatGroupRef } from './seat-group.js';
import { SegmentRef } from './segment.js';

/** The `Rollout` type (SPEC-FLEET section 2); its reads are in rollout-queries.ts. */

export const RolloutRef = builder.objectRef<StoredRollout>('Rollout');

/** Rollout ids are global ids of type Rollout. */
export function encodeRolloutId(id: string): string {
  return encodeGlobalID('Rollout', id);
}

/** The rollout inside a global id; INVALID_INPUT (naming `field`) for anything else. */
export function requireRolloutId(globalId: string, field = 'id'): string {
  const id = localIdOf(globalId, 'Rollout');
  if (id === undefined) throw new InvalidInputError(`${globalId} is not a rollout id`, field);
  return id;
}

/**
 * Seats whose forward change has ended (anything but PENDING and RUNNING) as a share of all, rounded
 * down: skipped seats count as ended, so a rollout whose seats all ran the version already is at 100.
 */
export function rolloutPercent(summary: RolloutSummary): number {
  if (summary.total === 0) return 100;
  return Math.floor(((summary.total - summary.pending - summary.running) * 100) / summary.total);
}

const RolloutRollbackRef = builder
  .objectRef<NonNullable<StoredRollout['record']['rollback']>>('RolloutRollback')
  .implement({
    description: 'A rollback of the rollout: by hand (`rollbackRollout`) or after a breach (ROLLBACK).',
    fields: (t) => ({
      reason: t.exposeString('reason', { description: 'Why it was rolled back.' }),
      by: t.exposeString('by', { description: 'Who rolled it back; `seghub` after a breach.' }),
      at: t.field({ type: DateTimeScalar, description: 'When the rollback started.', resolve: (r) => r.at }),
      planned: t.exposeBoolean('planned', {
        description: 'The steps are planned (once the forward work has stopped).',
      }),
      steps: t.int({
        description:
          'Planned steps, each one install record (put a version back, or take one off); 0 until planned.',
        resolve: (r) => r.steps.length,
      }),
      stepsDone: t.exposeInt('next', { description: 'Steps that have ended.' }),
    }),
  });

builder.node(RolloutRef, {
  description:
    'A staged rollout: moves the seats of a group (or a selector) to one segment version, wave by wave, ' +
    'judging failures as seats end, and returning seats to what they ran before when it rolls back.',
  id: { resolve: (stored) => stored.id },
  loadOne: (id, context) => context.services.rollouts.get(id),
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      nullable: true,
      description: 'The version rolled out; null once it is deleted.',
      resolve: (r, _args, { services }) => services.segments.get(r.record.segmentId),
    }),
    segmentName: t.string({ description: 'The segment name.', resolve: (r) => r.record.name }),
    version: t.string({
      description: 'The version rolled out (kept after the segment is deleted).',
      resolve: (r) => parseSegmentId(r.record.segmentId)?.version ?? '',
    }),
    group: t.string({
      nullable: true,
      description: 'The seat group name; null for a rollout to a selector.',
      resolve: (r) => r.record.group,
    }),
    seatGroup: t.field({
      type: SeatGroupRef,
      nullable: true,
      description: 'The seat group, when the rollout targets one that still exists.',
      resolve: async (r, _args, { services }) =>
        r.record.group === undefined ? null : ((await services.groups.get(r.record.group)) ?? null),
    }),
    selector: t.string({
      nullable: true,
      description: 'The ad-hoc label selector; null for a rollout to a group.',
      resolve: (r) => r.record.selector,
    }),
    state: t.field({
      type: RolloutStateEnum,
      description: 'Where it stands.',
      resolve: (r) => r.record.state,
    }),
    waves: t.field({
      type: [RolloutWaveRef],
      description: 'Its waves in order.',
      resolve: (r) => r.record.waves.map((wave, index) => ({ ...wave, index })),
    }),
    currentWave: t.int({
      description:
        'The wave (0-based) that runs, soaks or waits; the number of waves once all have succeeded.',
      resolve: (r) => r.record.currentWave,
    }),
    percent: t.int({
      description:
        'Seats whose change has ended (succeeded, failed, timed out or skipped; rolled back ones too) ' +
        'as a share of all its seats, 0 to 100, rounded down. A rollback is followed in `summary`.',
      resolve: (r) => rolloutPercent(r.record.summary),
    }),
    summary: t.field({
      type: RolloutSummaryRef,
      description: 'Seats by state.',
      resolve: (r) => r.record.summary,
    }),
    seats: t.field({
      type: RolloutSeatConnectionRef,
      description: 'Its seats in rollout order (wave by wave), optionally only those in one state.',
      args: {
        first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
        after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
        state: t.arg({ type: RolloutSeatStateEnum, description: 'Only seats in this state.' }),
      },
      resolve: async (r, { first, after, state }, { services }) => {
        const page = await services.rollouts.seats(r.id, pageSize(first), after, state);
        return { ...page, after: after ?? undefined };
      },
    }),
    pausedReason: t.string({
      nullable: true,
      description: "While PAUSED: why (the breach, the operator's reason, the freeze).",
      resolve: (r) => r.record.paused?.reason,
    }),
    pausedCause: t.field({
      type: RolloutPauseCauseEnum,
      nullable: true,
      description: 'While PAUSED: what paused it, and so whether it goes on by itself (FREEZE).',
      resolve: (r) => r.record.paused?.cause,
    }),
    pausedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'While PAUSED: since when.',
      resolve: (r) => r.record.paused?.at,
    }),
    error: t.string({
      nullable: true,
      description: 'FAILED: the rollout-level fault.',
      resolve: (r) => r.record.error,
    }),
    rollback: t.field({
      type: RolloutRollbackRef,
      nullable: true,
      description: 'The rollback, once one started.',
      resolve: (r) => r.record.rollback,
    }),
    maxFailurePercent: t.float({
      description: 'A wave breaches when its failed share exceeds this.',
      resolve: (r) => r.record.policy.maxFailurePercent,
    }),
    minSeatsBeforeEvaluating: t.int({
      description: 'A wave is judged once this many of its seats have ended.',
      resolve: (r) => r.record.policy.minSeatsBeforeEvaluating,
    }),
    onFailure: t.field({
      type: RolloutFailureActionEnum,
      description: 'What a breach does.',
      resolve: (r) => r.record.policy.onFailure,
    }),
    seatTimeoutSeconds: t.int({
      description: 'A seat still running this long has TIMED_OUT.',
      resolve: (r) => r.record.policy.seatTimeoutSeconds,
    }),
    seatRetries: t.int({
      description: 'How often a failed seat is retried, with growing intervals, before it counts as failed.',
      resolve: (r) => r.record.policy.seatRetries,
    }),
    maintenanceWindow: t.field({
      type: MaintenanceWindowRef,
      nullable: true,
      description: 'When waves may start; null: at any time.',
      resolve: (r) => r.record.policy.maintenanceWindow,
    }),
    upgradeOrder: t.field({
      type: UpgradeOrderEnum,
      description: 'The order of install and removal on seats that ran another version of the name.',
      resolve: (r) => r.record.policy.upgradeOrder,
    }),
    createdBy: t.string({
      description: 'Who created it (a token label or JWT subject).',
      resolve: (r) => r.record.createdBy,
    }),
    approvals: t.field({
      type: [RolloutApprovalRef],
      description: 'The approvals given, oldest first.',
      resolve: (r) => r.record.approvals,
    }),
    events: t.field({
      type: [RolloutEventRef],
      description: 'Its timeline, oldest first (the newest entries; the audit log keeps every mutation).',
      resolve: (r) => r.record.events,
    }),
    createdAt: t.field({
      type: DateTimeScalar,
      description: 'When it was created.',
      resolve: (r) => r.record.createdAt,
    }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When its first wave started; null while PENDING.',
      resolve: (r) => r.record.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it reached a final state.',
      resolve: (r) => r.record.finishedAt,
    }),
    nextWaveAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description:
        'When seghub looks again by itself: a window opens, a soak ends or is checked, a retry is due.',
      resolve: (r) => r.record.nextWaveAt,
    }),
  }),
});
