import type { RolloutSeatPage } from '../domain/rollouts/rollout-types.js';
import {
  FAILURE_ACTIONS,
  type MaintenanceWindow,
  ROLLOUT_SEAT_STATES,
  ROLLOUT_STATES,
  type RolloutEvent,
  type RolloutRecord,
  type RolloutSeat,
  type RolloutSummary,
  type RolloutWave,
  WAVE_STATES,
} from '../records/rollout-schema.js';
import { builder } from './builder.js';
import { describedValues } from './enum-values.js';
import { seatLoader } from './loaders.js';
import { DateTimeScalar } from './scalars.js';
import { SeatRef } from './seat.js';

/** The parts a `Rollout` is made of (SPEC-FLEET section 2): its enums, waves, seats, timeline. */

export const RolloutStateEnum = builder.enumType('RolloutState', {
  description: 'Where a staged rollout stands. SUCCEEDED, ROLLED_BACK, CANCELLED and FAILED are final.',
  values: describedValues(ROLLOUT_STATES, {
    PENDING: 'Created; its first wave has not started yet.',
    RUNNING: 'A wave is changing its seats.',
    SOAKING: "A wave's seats are done; seghub watches them for `soakSeconds` before the next wave.",
    WAITING_APPROVAL: 'The next wave needs an approval (`approveRollout`) by another principal.',
    WAITING_WINDOW: 'The next wave waits for the maintenance window to open (`nextWaveAt`).',
    PAUSED: 'Nothing new starts: a breach, a pause by hand, or a freeze of the group (`pausedReason`).',
    SUCCEEDED: 'Final: every wave succeeded; a group rollout has set the desired version.',
    ROLLING_BACK: 'The seats it changed are being returned to their `fromVersions`.',
    ROLLED_BACK: 'Final: rolled back (seats that could not be reverted are NOT_REVERTED, with errors).',
    CANCELLED: 'Final: stopped by hand; nothing was reverted.',
    FAILED: 'Final: a rollout-level fault (the segment is gone or tampered, see `error`).',
  }),
});

export const RolloutSeatStateEnum = builder.enumType('RolloutSeatState', {
  description: 'How far one seat of a rollout got.',
  values: describedValues(ROLLOUT_SEAT_STATES, {
    PENDING: 'Not started yet (its wave has not come).',
    RUNNING: 'Being changed now (or waiting for a retry).',
    SUCCEEDED: 'Runs the rollout version.',
    FAILED: 'Failed and its retries are spent (`error`); counts against its wave.',
    TIMED_OUT: 'Ran longer than `seatTimeoutSeconds`; counts as failed.',
    SKIPPED: 'Already ran the version when the rollout was created, or was gone by its wave.',
    ROLLED_BACK: 'Returned to its `fromVersions` by a rollback.',
    NOT_REVERTED: 'A rollback could not return it to its `fromVersions` (`error`).',
  }),
});

export const RolloutFailureActionEnum = builder.enumType('RolloutFailureAction', {
  description: "What a wave's breach of `maxFailurePercent` does.",
  values: describedValues(FAILURE_ACTIONS, {
    PAUSE: 'The rollout is PAUSED with the reason; `resumeRollout` accepts the failures so far.',
    ROLLBACK: 'The rollout rolls back every seat it changed (ROLLING_BACK, then ROLLED_BACK).',
  }),
});

const RolloutWaveStateEnum = builder.enumType('RolloutWaveState', {
  description: 'Where one wave of a rollout stands.',
  values: describedValues(WAVE_STATES, {
    PENDING: 'Not started.',
    RUNNING: 'Its seats are being changed.',
    SOAKING: 'Its seats are done; it is watched until `soakUntil`.',
    SUCCEEDED: 'Done and soaked without a breach.',
    HALTED: 'Stopped before the end: a breach, a cancel or a rollback.',
  }),
});

export const RolloutPauseCauseEnum = builder.enumType('RolloutPauseCause', {
  description: 'Why a rollout is PAUSED.',
  values: {
    BREACH: { description: "A wave's failures passed `maxFailurePercent`; waits for `resumeRollout`." },
    MANUAL: { description: '`pauseRollout`; waits for `resumeRollout`.' },
    FREEZE: { description: 'Its group is frozen; it goes on by itself when the freeze ends.' },
    TRUST: {
      description:
        'The segment may no longer go to the next seats: DEPRECATED, or bound for a protected group ' +
        'while not RELEASED or with signatures below the policy (a key revoked). It goes on by itself ' +
        'once that is mended, or on `resumeRollout` (which pauses again while it is not).',
    },
  } satisfies Record<NonNullable<RolloutRecord['paused']>['cause'], { description: string }>,
});

export const RolloutWaveRef = builder.objectRef<RolloutWave & { index: number }>('RolloutWave').implement({
  description: 'One wave: a slice of the rollout seats, changed together, then soaked.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: '0-based position among the waves.' }),
    seatCount: t.int({ description: 'Seats in the wave.', resolve: (w) => w.to - w.from }),
    state: t.field({ type: RolloutWaveStateEnum, description: 'Where it stands.', resolve: (w) => w.state }),
    succeeded: t.exposeInt('succeeded', { description: 'Seats of the wave that succeeded.' }),
    failed: t.exposeInt('failed', {
      description: 'Seats of the wave that failed or timed out, retries spent.',
    }),
    acceptedFailed: t.exposeInt('acceptedFailed', {
      description: 'Failures accepted by `resumeRollout`: only failures beyond these can breach again.',
    }),
    soakSeconds: t.exposeInt('soakSeconds', { description: 'How long the wave is watched once done.' }),
    requireApproval: t.exposeBoolean('requireApproval', {
      description: 'The wave starts only after an approval by another principal than the creator.',
    }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When its first seat started.',
      resolve: (w) => w.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it ended (soak included).',
      resolve: (w) => w.finishedAt,
    }),
    soakUntil: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'While SOAKING: when the soak ends (a countdown for dashboards).',
      resolve: (w) => w.soakUntil,
    }),
  }),
});

export const RolloutSummaryRef = builder.objectRef<RolloutSummary>('RolloutSummary').implement({
  description: 'The rollout seats by state; they add up to `total`.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Every seat of the rollout, skipped ones included.' }),
    pending: t.exposeInt('pending', { description: 'Seats not started.' }),
    running: t.exposeInt('running', { description: 'Seats being changed (or waiting for a retry).' }),
    succeeded: t.exposeInt('succeeded', { description: 'Seats that run the rollout version.' }),
    failed: t.exposeInt('failed', { description: 'Seats that failed, retries spent.' }),
    timedOut: t.exposeInt('timedOut', { description: 'Seats that ran past `seatTimeoutSeconds`.' }),
    rolledBack: t.exposeInt('rolledBack', { description: 'Seats returned to their `fromVersions`.' }),
    notReverted: t.exposeInt('notReverted', { description: 'Seats a rollback could not return.' }),
    skipped: t.exposeInt('skipped', { description: 'Seats that already ran the version, or were gone.' }),
  }),
});

export const RolloutApprovalRef = builder
  .objectRef<RolloutRecord['approvals'][number]>('RolloutApproval')
  .implement({
    description: 'An approval that let a wave start.',
    fields: (t) => ({
      wave: t.exposeInt('wave', { description: 'The wave (0-based) it let start.' }),
      by: t.exposeString('by', { description: 'Who approved (a token label or JWT subject).' }),
      at: t.field({ type: DateTimeScalar, description: 'When.', resolve: (a) => a.at }),
      note: t.exposeString('note', { description: 'What the approver wrote (may be empty).' }),
    }),
  });

export const RolloutEventRef = builder.objectRef<RolloutEvent>('RolloutEvent').implement({
  description: "One entry of the rollout's timeline: what happened, when, and who did it.",
  fields: (t) => ({
    at: t.field({ type: DateTimeScalar, description: 'When.', resolve: (e) => e.at }),
    kind: t.exposeString('kind', {
      description: 'What happened, for programs (e.g. WAVE_STARTED, BREACH, APPROVED, PAUSED).',
    }),
    message: t.exposeString('message', { description: 'What happened and why, for people.' }),
    by: t.exposeString('by', {
      nullable: true,
      description: 'The principal who acted; null for what seghub did by itself.',
    }),
  }),
});

export const MaintenanceWindowRef = builder.objectRef<MaintenanceWindow>('MaintenanceWindow').implement({
  description: 'When waves may start: `[fire, fire + durationMinutes)` for each time the cron fires.',
  fields: (t) => ({
    cron: t.exposeString('cron', { description: 'A 5-field cron expression.' }),
    durationMinutes: t.exposeInt('durationMinutes', { description: 'How long each window stays open.' }),
    timeZone: t.exposeString('timeZone', { description: 'The IANA time zone the cron is read in.' }),
  }),
});

export const RolloutSeatRef = builder.objectRef<RolloutSeat>('RolloutSeat').implement({
  description: 'One seat of a rollout: where it stands and what it ran before.',
  fields: (t) => ({
    seat: t.field({
      type: SeatRef,
      nullable: true,
      description: 'Null when the seat was deleted since.',
      resolve: (line, _args, context) => seatLoader(context).load(line.seat),
    }),
    seatName: t.exposeString('seat', { description: 'The seat name (kept after the seat is deleted).' }),
    wave: t.exposeInt('wave', {
      nullable: true,
      description: 'The wave (0-based) it belongs to; null for a seat SKIPPED at creation.',
    }),
    fromVersions: t.stringList({
      description:
        'The versions of the name the seat ran before the rollout touched it (recorded before it was ' +
        'touched); a rollback restores these. Empty: it ran none.',
      resolve: (line) => line.fromVersions,
    }),
    state: t.field({ type: RolloutSeatStateEnum, description: 'Where it stands.', resolve: (l) => l.state }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far (retries included).' }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'The last error (FAILED, TIMED_OUT, NOT_REVERTED, or a failure being retried).',
    }),
    retryAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'A failed seat with retries left is tried again from then on.',
      resolve: (l) => l.retryAt,
    }),
  }),
});

/** A rollout list's or seat list's page as Relay's `PageInfo` (cursors are per page, not per item). */
export function pageInfoOf(page: { hasNextPage: boolean; endCursor?: string; after?: string }) {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.after !== undefined,
    startCursor: null,
    endCursor: page.endCursor ?? null,
  };
}

export const RolloutSeatConnectionRef = builder
  .objectRef<RolloutSeatPage & { after?: string }>('RolloutSeatConnection')
  .implement({
    description: 'Seats of a rollout in rollout order (wave by wave).',
    fields: (t) => ({
      nodes: t.field({ type: [RolloutSeatRef], description: 'This page.', resolve: (page) => page.items }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        description: 'Where this page sits; `endCursor` continues.',
        resolve: pageInfoOf,
      }),
      totalCount: t.exposeInt('totalCount', {
        description: 'Every seat of the rollout in the asked state (all of them without one).',
      }),
    }),
  });
