import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ApprovalNotAllowedError,
  NoMatchingSeatsError,
  RolloutInProgressError,
  RolloutNotFoundError,
  RolloutStateConflictError,
  RolloutSupersededError,
  SegmentInUseError,
} from '../model/errors.js';
import { ROLLOUT_STATES, type RolloutState } from '../records/rollout-schema.js';
import { builder } from './builder.js';
import { ErrorInterface } from './error-types.js';
import { encodeRolloutId } from './rollout.js';
import { RolloutStateEnum } from './rollout-parts.js';

/** The error members of the rollout mutations (SPEC-FLEET section 2, D5–D7). GROUP_FROZEN: group-error-types.ts. */

builder.objectType(RolloutInProgressError, {
  name: 'RolloutInProgressError',
  description:
    'A rollout of this segment name (any version) has not ended (PAUSED included): one change per name; ' +
    'nothing was started.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RolloutInProgressError,
  fields: (t) => ({
    segmentName: t.exposeString('segmentName', { description: 'The segment name.' }),
    rolloutId: t.id({
      description: 'The rollout that has not ended (a Rollout id).',
      resolve: (e) => encodeRolloutId(e.rolloutId),
    }),
  }),
});
builder.objectType(RolloutNotFoundError, {
  name: 'RolloutNotFoundError',
  description: 'No rollout has this id; nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RolloutNotFoundError,
  fields: (t) => ({
    rolloutId: t.id({ description: 'The id asked for.', resolve: (e) => encodeRolloutId(e.rolloutId) }),
  }),
});
builder.objectType(ApprovalNotAllowedError, {
  name: 'ApprovalNotAllowedError',
  description:
    'Approvals come from another principal than the creator of the rollout (unless ' +
    'ROLLOUT_SELF_APPROVAL=true); in open mode `requireApproval` needs ROLLOUT_SELF_APPROVAL. Nothing ' +
    'was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ApprovalNotAllowedError,
  fields: () => ({}),
});
builder.objectType(RolloutSupersededError, {
  name: 'RolloutSupersededError',
  description:
    'A rollback after SUCCEEDED is only for the newest rollout of its segment name and group; a newer ' +
    'one exists. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RolloutSupersededError,
  fields: (t) => ({
    rolloutId: t.id({ description: 'The rollout asked for.', resolve: (e) => encodeRolloutId(e.rolloutId) }),
    newerRolloutId: t.id({
      description: 'The newer rollout of the same name and group (roll that one back instead).',
      resolve: (e) => encodeRolloutId(e.newerRolloutId),
    }),
  }),
});
builder.objectType(RolloutStateConflictError, {
  name: 'RolloutStateConflictError',
  description:
    "The rollout's state does not allow the action (resume a running rollout, approve a cancelled " +
    'one); nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RolloutStateConflictError,
  fields: (t) => ({
    rolloutId: t.id({ description: 'The rollout.', resolve: (e) => encodeRolloutId(e.rolloutId) }),
    state: t.field({
      type: RolloutStateEnum,
      nullable: true,
      description: 'Its state when the action was refused.',
      resolve: (e) => (ROLLOUT_STATES.includes(e.state as RolloutState) ? (e.state as RolloutState) : null),
    }),
    action: t.exposeString('action', { description: 'The action that was refused, e.g. `resume`.' }),
  }),
});
builder.objectType(NoMatchingSeatsError, {
  name: 'NoMatchingSeatsError',
  description: 'The group or selector matches no seat: there is nothing to roll out to; nothing was created.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NoMatchingSeatsError,
  fields: (t) => ({
    target: t.exposeString('target', { description: 'The group or selector, as given.' }),
  }),
});
builder.objectType(SegmentInUseError, {
  name: 'SegmentInUseError',
  description:
    'The version is a desired version, or what a rollout would return seats to: it must stay. Nothing ' +
    'was deleted.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentInUseError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The segment that is in use.',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    reason: t.exposeString('reason', { description: 'What holds it.' }),
  }),
});
