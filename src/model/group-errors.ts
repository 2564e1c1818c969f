import { DomainError } from './domain-error.js';

/** Expected failures of seat labels, selectors and groups (SPEC-FLEET section 1). */

/** A label (or a seat description) breaks the label rules (`model/labels.ts`); nothing was written. */
export class InvalidLabelError extends DomainError {
  override name = 'InvalidLabelError';
  readonly code = 'INVALID_LABEL';
  constructor(
    message: string,
    /** The argument that was refused (`seats[3].labels[1]`). */
    readonly field: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

/** A label selector that does not parse: `position` (0-based, in characters) and what was expected there. */
export class InvalidSelectorError extends DomainError {
  override name = 'InvalidSelectorError';
  readonly code = 'INVALID_SELECTOR';
  constructor(
    readonly selector: string,
    readonly position: number,
    readonly expected: string,
  ) {
    super(`invalid selector at position ${position}: expected ${expected}`);
  }
}

export class GroupNotFoundError extends DomainError {
  override name = 'GroupNotFoundError';
  readonly code = 'GROUP_NOT_FOUND';
  constructor(readonly groupName: string) {
    super(`seat group ${groupName} does not exist`);
  }
}

/** Something still depends on the group (a desired version, a rollout): remove that first. */
export class GroupInUseError extends DomainError {
  override name = 'GroupInUseError';
  readonly code = 'GROUP_IN_USE';
  constructor(
    readonly groupName: string,
    readonly reason: string,
  ) {
    super(`seat group ${groupName} is in use: ${reason}`);
  }
}

/** Seats of a protected group take only RELEASED segments; `seatIds` are the seats (by name) that refused. */
export class SegmentNotReleasedError extends DomainError {
  override name = 'SegmentNotReleasedError';
  readonly code = 'SEGMENT_NOT_RELEASED';
  constructor(
    readonly segmentId: string,
    readonly seatIds: readonly string[],
    readonly groups: readonly string[],
  ) {
    super(
      `segment ${segmentId} is not RELEASED and seats of protected group(s) ${groups.slice(0, 5).join(', ')} ` +
        `only take released segments: ${seatIds.slice(0, 10).join(', ')}${seatIds.length > 10 ? ', …' : ''}`,
    );
  }
}

/** A new seat group would pass the configured count (`MAX_SEAT_GROUPS`); changing an existing one is always allowed. */
export class TooManySeatGroupsError extends DomainError {
  override name = 'TooManySeatGroupsError';
  readonly code = 'TOO_MANY_SEAT_GROUPS';
  constructor(readonly limit: number) {
    super(`seghub holds at most ${limit} seat groups (MAX_SEAT_GROUPS); delete one or raise the limit`);
  }
}
