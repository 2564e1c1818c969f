import type { StoredRollout } from '../domain/rollouts/rollout-types.js';
import {
  ApprovalNotAllowedError,
  FileTamperedError,
  GroupFrozenError,
  GroupNotFoundError,
  InstallInProgressError,
  InvalidInputError,
  InvalidSelectorError,
  NoMatchingSeatsError,
  RolloutInProgressError,
  RolloutNotFoundError,
  RolloutStateConflictError,
  RolloutSupersededError,
  SegmentDeletingError,
  SegmentDeprecatedError,
  SegmentNotFoundError,
  SegmentNotReleasedError,
  SegmentNotSyncedError,
  SignatureRequiredError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { RolloutRef, requireRolloutId } from './rollout.js';
import { RolloutInputRef, toRolloutInput } from './rollout-inputs.js';

/**
 * The rollout mutations (SPEC-FLEET section 2, D7: operators and admins). Each returns
 * `<Name>Success { rollout }` or the error members that fit; the audit plugin records every call.
 */

type Result = { rollout: StoredRollout };

function successType(name: string, description: string) {
  return builder.objectRef<Result>(name).implement({
    description,
    fields: (t) => ({
      rollout: t.field({
        type: RolloutRef,
        description: 'The rollout as stored now.',
        resolve: (r) => r.rollout,
      }),
    }),
  });
}

const CreateRolloutSuccess = successType(
  'CreateRolloutSuccess',
  'The rollout is created (PENDING); the controller starts its first wave. Follow rolloutUpdated.',
);
const ApproveRolloutSuccess = successType(
  'ApproveRolloutSuccess',
  'The approval is recorded; the wave starts.',
);
const PauseRolloutSuccess = successType('PauseRolloutSuccess', 'The rollout is PAUSED; no new seat starts.');
const ResumeRolloutSuccess = successType(
  'ResumeRolloutSuccess',
  'The rollout goes on; the failures so far are accepted.',
);
const CancelRolloutSuccess = successType(
  'CancelRolloutSuccess',
  'The rollout is CANCELLED: no new seat starts; nothing is reverted.',
);
const RollbackRolloutSuccess = successType(
  'RollbackRolloutSuccess',
  'The rollout is ROLLING_BACK: the seats it changed return to their `fromVersions`.',
);

/** The errors every control mutation may answer with: a bad id, an unknown one, a state that says no. */
const CONTROL_ERRORS = [InvalidInputError, RolloutNotFoundError, RolloutStateConflictError] as const;

builder.mutationFields((t) => {
  const idArg = () =>
    t.arg.id({ required: true, description: 'A Rollout id; another kind of id is INVALID_INPUT.' });
  return {
    createRollout: t.field({
      type: CreateRolloutSuccess,
      description:
        'Creates a staged rollout of a segment version to the seats of a group or a selector; the seat ' +
        'list is fixed now (seats already running the version are SKIPPED). One rollout or install per ' +
        'segment name at a time (ROLLOUT_IN_PROGRESS, INSTALL_IN_PROGRESS); a frozen group: GROUP_FROZEN; ' +
        'bad waves or window: INVALID_INPUT; `requireApproval` where nobody else could approve (open mode): ' +
        'APPROVAL_NOT_ALLOWED; a DEPRECATED segment: SEGMENT_DEPRECATED; a stored file that no longer ' +
        'hashes right (checked now): FILE_TAMPERED; seats of protected groups: SEGMENT_NOT_RELEASED or ' +
        'SIGNATURE_REQUIRED. Nothing is created on a refusal. Operators and admins.',
      authScopes: { operator: true },
      args: { input: t.arg({ type: RolloutInputRef, required: true, description: 'The rollout.' }) },
      errors: {
        types: [
          InvalidInputError,
          SegmentNotFoundError,
          SegmentDeletingError,
          SegmentNotSyncedError,
          SegmentNotReleasedError,
          GroupNotFoundError,
          GroupFrozenError,
          InvalidSelectorError,
          NoMatchingSeatsError,
          RolloutInProgressError,
          InstallInProgressError,
          ApprovalNotAllowedError,
          SegmentDeprecatedError,
          FileTamperedError,
          SignatureRequiredError,
        ],
        directResult: true,
        union: { name: 'CreateRolloutResult', description: 'The rollout created, or why nothing was.' },
      },
      resolve: async (_root, { input }, { services, principal }) => ({
        rollout: await services.rollouts.create(toRolloutInput(input), principal),
      }),
    }),
    approveRollout: t.field({
      type: ApproveRolloutSuccess,
      description:
        'Approves the wave a WAITING_APPROVAL rollout waits on. The creator cannot approve its own ' +
        'rollout (APPROVAL_NOT_ALLOWED) unless ROLLOUT_SELF_APPROVAL=true. Operators and admins.',
      authScopes: { operator: true },
      args: {
        id: idArg(),
        note: t.arg.string({ description: 'Why, for the timeline and the audit log.' }),
      },
      errors: {
        types: [...CONTROL_ERRORS, ApprovalNotAllowedError],
        directResult: true,
        union: { name: 'ApproveRolloutResult', description: 'The rollout approved, or why not.' },
      },
      resolve: async (_root, { id, note }, { services, principal }) => ({
        rollout: await services.rollouts.approve(requireRolloutId(String(id)), principal, note),
      }),
    }),
    pauseRollout: t.field({
      type: PauseRolloutSuccess,
      description: 'Pauses a rollout: seats already started finish, no new one starts. Operators and admins.',
      authScopes: { operator: true },
      args: {
        id: idArg(),
        reason: t.arg.string({ required: true, description: 'Why, shown as `pausedReason`.' }),
      },
      errors: {
        types: [...CONTROL_ERRORS],
        directResult: true,
        union: { name: 'PauseRolloutResult', description: 'The rollout paused, or why not.' },
      },
      resolve: async (_root, { id, reason }, { services, principal }) => ({
        rollout: await services.rollouts.pause(requireRolloutId(String(id)), principal, reason),
      }),
    }),
    resumeRollout: t.field({
      type: ResumeRolloutSuccess,
      description:
        'Resumes a PAUSED rollout, accepting the failures so far (a breach pause included). A rollout ' +
        'paused by a freeze goes on by itself when the freeze ends: GROUP_FROZEN until then. Operators and admins.',
      authScopes: { operator: true },
      args: { id: idArg() },
      errors: {
        types: [...CONTROL_ERRORS, GroupFrozenError],
        directResult: true,
        union: { name: 'ResumeRolloutResult', description: 'The rollout resumed, or why not.' },
      },
      resolve: async (_root, { id }, { services, principal }) => ({
        rollout: await services.rollouts.resume(requireRolloutId(String(id)), principal),
      }),
    }),
    cancelRollout: t.field({
      type: CancelRolloutSuccess,
      description:
        'Cancels a rollout that has not ended: no new seat starts, nothing is reverted (rollbackRollout ' +
        'reverts). Operators and admins.',
      authScopes: { operator: true },
      args: { id: idArg(), reason: t.arg.string({ required: true, description: 'Why, for the timeline.' }) },
      errors: {
        types: [...CONTROL_ERRORS],
        directResult: true,
        union: { name: 'CancelRolloutResult', description: 'The rollout cancelled, or why not.' },
      },
      resolve: async (_root, { id, reason }, { services, principal }) => ({
        rollout: await services.rollouts.cancel(requireRolloutId(String(id)), principal, reason),
      }),
    }),
    rollbackRollout: t.field({
      type: RollbackRolloutSuccess,
      description:
        'Returns every seat the rollout changed to what it ran before and puts the group desired version ' +
        'back; also after SUCCEEDED, for the newest rollout of its name and group only ' +
        '(ROLLOUT_SUPERSEDED). Skips lifecycle, windows and freezes. Operators and admins.',
      authScopes: { operator: true },
      args: { id: idArg(), reason: t.arg.string({ required: true, description: 'Why, for the timeline.' }) },
      errors: {
        types: [...CONTROL_ERRORS, RolloutSupersededError, RolloutInProgressError, InstallInProgressError],
        directResult: true,
        union: { name: 'RollbackRolloutResult', description: 'The rollback started, or why not.' },
      },
      resolve: async (_root, { id, reason }, { services, principal }) => ({
        rollout: await services.rollouts.rollback(requireRolloutId(String(id)), principal, reason),
      }),
    }),
  };
});
