import { DomainError } from './domain-error.js';

/** Expected failures of staged rollouts and freezes (SPEC-FLEET section 2, D5–D8). */

/** A rollout of another version of the name (or this one) has not ended: one change per name (D1). */
export class RolloutInProgressError extends DomainError {
  override name = 'RolloutInProgressError';
  readonly code = 'ROLLOUT_IN_PROGRESS';
  constructor(
    readonly segmentName: string,
    readonly rolloutId: string,
  ) {
    super(`rollout ${rolloutId} of ${segmentName} has not ended`);
  }
}

export class RolloutNotFoundError extends DomainError {
  override name = 'RolloutNotFoundError';
  readonly code = 'ROLLOUT_NOT_FOUND';
  constructor(readonly rolloutId: string) {
    super(`rollout ${rolloutId} does not exist`);
  }
}

/** Approvals come from another principal than the rollout's creator (unless ROLLOUT_SELF_APPROVAL). */
export class ApprovalNotAllowedError extends DomainError {
  override name = 'ApprovalNotAllowedError';
  readonly code = 'APPROVAL_NOT_ALLOWED';
  constructor(message: string) {
    super(message);
  }
}

/** A rollback after SUCCEEDED is only for the newest rollout of its (name, group) (D6). */
export class RolloutSupersededError extends DomainError {
  override name = 'RolloutSupersededError';
  readonly code = 'ROLLOUT_SUPERSEDED';
  constructor(
    readonly rolloutId: string,
    readonly newerRolloutId: string,
  ) {
    super(`rollout ${rolloutId} was superseded by ${newerRolloutId}`);
  }
}

/** The rollout's state does not allow the action (resume a running rollout, approve a cancelled one). */
export class RolloutStateConflictError extends DomainError {
  override name = 'RolloutStateConflictError';
  readonly code = 'ROLLOUT_STATE_CONFLICT';
  constructor(
    readonly rolloutId: string,
    readonly state: string,
    readonly action: string,
  ) {
    super(`rollout ${rolloutId} is ${state}: ${action} is not possible now`);
  }
}

/** The group (or a group of the seats) is frozen (D8): nothing new starts on its seats until it thaws. */
export class GroupFrozenError extends DomainError {
  override name = 'GroupFrozenError';
  readonly code = 'GROUP_FROZEN';
  constructor(
    readonly groupName: string,
    readonly reason: string,
    readonly until?: string,
  ) {
    super(`seat group ${groupName} is frozen: ${reason}${until ? ` (until ${until})` : ''}`);
  }
}

/** The group or selector matches no seat, so there is nothing to roll out to. */
export class NoMatchingSeatsError extends DomainError {
  override name = 'NoMatchingSeatsError';
  readonly code = 'NO_MATCHING_SEATS';
  constructor(readonly target: string) {
    super(`no seat matches ${target}`);
  }
}

/** The version is a desired version or what a rollout would return seats to (D6): it must stay. */
export class SegmentInUseError extends DomainError {
  override name = 'SegmentInUseError';
  readonly code = 'SEGMENT_IN_USE';
  constructor(
    readonly segmentId: string,
    readonly reason: string,
  ) {
    super(`segment ${segmentId} is in use: ${reason}`);
  }
}
