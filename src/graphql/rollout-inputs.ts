import type { RolloutInput, RolloutPreview } from '../domain/rollouts/rollout-types.js';
import { builder } from './builder.js';
import { UpgradeOrderEnum } from './install.js';
import { RolloutFailureActionEnum } from './rollout-parts.js';
import { DateTimeScalar } from './scalars.js';
import { requireSegmentId } from './segment.js';

/** What `createRollout` and `previewRollout` take, and the preview (SPEC-FLEET section 2, D5, D8). */

const WaveInputRef = builder.inputType('WaveInput', {
  description:
    'One wave. Every wave but the last gives exactly one of `seats` or `percent`; the last gives ' +
    'neither and takes the rest. A wave that would be empty is INVALID_INPUT (with the computed sizes).',
  fields: (t) => ({
    seats: t.int({ description: 'How many seats the wave takes.' }),
    percent: t.float({
      description: 'The share of the rollout seats the wave takes: ceil(percent × seats / 100).',
    }),
    soakSeconds: t.int({
      description:
        'After its seats are done, the wave is watched this long (default 0): a seat that fails or ' +
        'loses the version meanwhile counts against it.',
    }),
    requireApproval: t.boolean({
      description:
        'The wave starts only after `approveRollout` by another principal than the creator (unless ' +
        'ROLLOUT_SELF_APPROVAL=true). Default false.',
    }),
  }),
});

const MaintenanceWindowInputRef = builder.inputType('MaintenanceWindowInput', {
  description:
    'Waves start only inside `[fire, fire + durationMinutes)` for a time the cron fires. A window only ' +
    'gates the start of a wave; a running wave finishes. No window in the next 366 days: INVALID_INPUT.',
  fields: (t) => ({
    cron: t.string({ required: true, description: 'A 5-field cron expression, e.g. `0 2 * * 6`.' }),
    durationMinutes: t.int({ required: true, description: 'How long each window stays open.' }),
    timeZone: t.string({ description: 'The IANA time zone the cron is read in; default UTC.' }),
  }),
});

export const RolloutInputRef = builder.inputType('RolloutInput', {
  description: 'A staged rollout: which version, to which seats (a group or a selector), in which waves.',
  fields: (t) => ({
    segmentId: t.id({ required: true, description: 'The Segment (version) to roll out.' }),
    group: t.string({
      description:
        'A seat group; its desired version is set when the rollout succeeds. Exactly one of ' +
        '`group` and `selector`.',
    }),
    selector: t.string({
      description: 'An ad-hoc label selector (no desired version is recorded for it).',
    }),
    waves: t.field({
      type: [WaveInputRef],
      description: 'The waves in order; default: one wave with every seat.',
    }),
    maxFailurePercent: t.float({
      description: 'Per wave: a failed share above this breaches; default 0 (any failed seat breaches).',
    }),
    minSeatsBeforeEvaluating: t.int({
      description: 'A wave is judged once this many of its seats have ended; default 1.',
    }),
    onFailure: t.field({
      type: RolloutFailureActionEnum,
      description: 'What a breach does; default PAUSE.',
    }),
    seatTimeoutSeconds: t.int({
      description:
        'A seat still running this long has TIMED_OUT (counts as failed); default INSTALL_TIMEOUT_MS.',
    }),
    seatRetries: t.int({
      description: 'Failed seats are retried this often, with growing intervals, first; default 0.',
    }),
    maintenanceWindow: t.field({
      type: MaintenanceWindowInputRef,
      description: 'Waves start only inside it; default: at any time.',
    }),
    upgradeOrder: t.field({
      type: UpgradeOrderEnum,
      description: 'On seats running another version of the name: default INSTALL_FIRST.',
    }),
  }),
});

type RolloutInputArg = typeof RolloutInputRef.$inferInput;

/** The domain's input from the GraphQL one: the segment's global id decoded (SEGMENT_NOT_FOUND if bad). */
export function toRolloutInput(input: RolloutInputArg): RolloutInput {
  return { ...input, segmentId: requireSegmentId(String(input.segmentId)) };
}

const RolloutPreviewWaveRef = builder
  .objectRef<RolloutPreview['waves'][number]>('RolloutPreviewWave')
  .implement({
    description: 'A wave as it would be made.',
    fields: (t) => ({
      index: t.exposeInt('index', { description: '0-based position among the waves.' }),
      seatCount: t.exposeInt('seatCount', { description: 'Seats it would take.' }),
    }),
  });

const RolloutPreviewRef = builder.objectRef<RolloutPreview>('RolloutPreview').implement({
  description: 'What `createRollout` would do with the same input, without creating anything.',
  fields: (t) => ({
    seatCount: t.exposeInt('seatCount', { description: 'Seats of the group or selector now.' }),
    skipped: t.exposeInt('skipped', {
      description: 'Of those, seats that already run the version: SKIPPED, in no wave.',
    }),
    waves: t.field({
      type: [RolloutPreviewWaveRef],
      description: 'The waves in order with their computed sizes (the last takes the rest).',
      resolve: (p) => p.waves,
    }),
    firstWindowAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the first wave could start given the maintenance window; null: now.',
      resolve: (p) => p.firstWindowAt,
    }),
  }),
});

builder.queryField('previewRollout', (t) =>
  t.field({
    type: RolloutPreviewRef,
    description:
      'The wave sizes and skipped seats `createRollout` would give this input, without creating ' +
      'anything. Refused with the same error codes as createRollout (as a top-level error with its ' +
      '`code` extension). Operators and admins.',
    authScopes: { operator: true },
    args: { input: t.arg({ type: RolloutInputRef, required: true, description: 'The rollout to preview.' }) },
    resolve: (_root, { input }, { services }) => services.rollouts.preview(toRolloutInput(input)),
  }),
);
