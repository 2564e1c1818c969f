/**
 * Expected failures. Each has a stable UPPER_SNAKE code that clients branch on; the GraphQL layer
 * exposes every subclass as a member of the mutation result unions. Anything that is not a
 * `DomainError` is unexpected and masked before it reaches a client.
 */
export const ERROR_CODES = [
  'SEGMENT_NOT_FOUND',
  'SEGMENT_ALREADY_EXISTS',
  'SEGMENT_INSTALLED',
  'SEGMENT_DELETING',
  'SEGMENT_NOT_SYNCED',
  'INSTALL_IN_PROGRESS',
  'SEAT_NOT_FOUND',
  'SEAT_IN_USE',
  'INVALID_SEGMENT_FILE',
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'INVALID_INPUT',
  'REMOTE_SYNC_TIMEOUT',
  'INVALID_LABEL',
  'INVALID_SELECTOR',
  'GROUP_NOT_FOUND',
  'GROUP_IN_USE',
  'SEGMENT_NOT_RELEASED',
  'STORAGE_FULL',
  'TOO_MANY_SEAT_GROUPS',
  'CHECKSUM_MISMATCH',
  'UPLOAD_SESSION_NOT_FOUND',
  'TOO_MANY_UPLOAD_SESSIONS',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

/** An argument is malformed; `field` names it so a form can point at it. */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class SegmentNotFoundError extends DomainError {
  override name = 'SegmentNotFoundError';
  readonly code = 'SEGMENT_NOT_FOUND';
  constructor(readonly segmentId: string) {
    super(`segment ${segmentId} does not exist`);
  }
}

export class SegmentAlreadyExistsError extends DomainError {
  override name = 'SegmentAlreadyExistsError';
  readonly code = 'SEGMENT_ALREADY_EXISTS';
  constructor(
    readonly segmentName: string,
    readonly segmentVersion: string,
    /** The stored version when it is spelled differently (`1.0.0` for an upload of `1.0`, SPEC-FLEET D9). */
    storedVersion: string = segmentVersion,
  ) {
    super(
      storedVersion === segmentVersion
        ? `segment ${segmentName} ${segmentVersion} already exists`
        : `segment ${segmentName} ${segmentVersion} already exists as version ${storedVersion} (versions compare numerically)`,
    );
  }
}

export class SegmentDeletingError extends DomainError {
  override name = 'SegmentDeletingError';
  readonly code = 'SEGMENT_DELETING';
  constructor(readonly segmentId: string) {
    super(`segment ${segmentId} is being deleted`);
  }
}

/** Installed on a seat, or an install is running: uninstall everywhere first. */
export class SegmentInstalledError extends DomainError {
  override name = 'SegmentInstalledError';
  readonly code = 'SEGMENT_INSTALLED';
  constructor(
    readonly segmentId: string,
    readonly seatCount: number,
    readonly installRunning: boolean,
  ) {
    super(
      installRunning
        ? `segment ${segmentId} has an install running`
        : `segment ${segmentId} is installed on ${seatCount} seat(s); uninstall it first`,
    );
  }
}

/** Only a segment that reached its SDP target can be installed. */
export class SegmentNotSyncedError extends DomainError {
  override name = 'SegmentNotSyncedError';
  readonly code = 'SEGMENT_NOT_SYNCED';
  constructor(
    readonly segmentId: string,
    readonly syncStatus: string,
  ) {
    super(`segment ${segmentId} is not synced to its SDP target yet (sync status ${syncStatus})`);
  }
}

export class InstallInProgressError extends DomainError {
  override name = 'InstallInProgressError';
  readonly code = 'INSTALL_IN_PROGRESS';
  constructor(
    readonly segmentId: string,
    readonly recordId: string,
  ) {
    super(`segment ${segmentId} already has an install running (${recordId})`);
  }
}

export class SeatNotFoundError extends DomainError {
  override name = 'SeatNotFoundError';
  readonly code = 'SEAT_NOT_FOUND';
  constructor(readonly seatIds: readonly string[]) {
    super(`no such seat: ${seatIds.slice(0, 10).join(', ')}${seatIds.length > 10 ? ', …' : ''}`);
  }
}

/** A seat that has segments installed, or is named by a running install, cannot be deleted. */
export class SeatInUseError extends DomainError {
  override name = 'SeatInUseError';
  readonly code = 'SEAT_IN_USE';
  constructor(
    readonly seatName: string,
    readonly segmentIds: readonly string[],
  ) {
    super(
      `seat ${seatName} has segments installed or an install running: ${segmentIds.slice(0, 5).join(', ')}`,
    );
  }
}

/** No leading controller answered a `syncRemote` in time; the request stays and is served later. */
export class RemoteSyncTimeoutError extends DomainError {
  override name = 'RemoteSyncTimeoutError';
  readonly code = 'REMOTE_SYNC_TIMEOUT';
  constructor(
    readonly requestId: string,
    readonly waitedMs: number,
  ) {
    super(
      `no remote-sync report within ${waitedMs} ms (request ${requestId}); the leading controller ` +
        'will still serve it: see remoteSyncReports',
    );
  }
}

/** The suffix is neither `.zip` nor `.mpk`; nothing of the body was stored. */
export class UnsupportedFormatError extends DomainError {
  override name = 'UnsupportedFormatError';
  readonly code = 'UNSUPPORTED_FORMAT';
  constructor(readonly fileName: string) {
    super(`"${fileName}" is neither a .zip (deployment platform) nor a .mpk (15s store) file`);
  }
}

export class FileTooLargeError extends DomainError {
  override name = 'FileTooLargeError';
  readonly code = 'FILE_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the limit of ${maxBytes} bytes`);
  }
}

/**
 * The disk holding segment files ran out of space (or quota) while an upload was written; the
 * partial file is gone and nothing was recorded. Retry once an operator has freed space.
 */
export class StorageFullError extends DomainError {
  override name = 'StorageFullError';
  readonly code = 'STORAGE_FULL';
  constructor(
    message = 'the server has no space left to store this file; nothing was stored, try again once space is freed',
  ) {
    super(message);
  }
}

/** Why an archive was refused; clients may branch on it, the message says it in words. */
export const INVALID_SEGMENT_FILE_REASONS = [
  'EMPTY',
  'NOT_A_ZIP',
  'TRUNCATED',
  'UNSAFE_ENTRY_PATH',
  'UNSAFE_ENTRY_TYPE',
  'HEADER_MISMATCH',
  'NO_MANIFEST',
  'MANIFEST_TOO_LARGE',
  'MANIFEST_NOT_JSON',
  'INVALID_NAME',
  'INVALID_VERSION',
  'INVALID_MANIFEST',
] as const;

export type InvalidSegmentFileReason = (typeof INVALID_SEGMENT_FILE_REASONS)[number];

export class InvalidSegmentFileError extends DomainError {
  override name = 'InvalidSegmentFileError';
  readonly code = 'INVALID_SEGMENT_FILE';
  constructor(
    readonly reason: InvalidSegmentFileReason,
    message: string,
  ) {
    super(message);
  }
}

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

/** The bytes of an upload session do not hash to the SHA-256 it declared; session and bytes are removed. */
export class ChecksumMismatchError extends DomainError {
  override name = 'ChecksumMismatchError';
  readonly code = 'CHECKSUM_MISMATCH';
  constructor(
    readonly declared: string,
    readonly actual: string,
  ) {
    super(
      `the bytes received hash to ${actual}, not to the declared SHA-256 ${declared}; nothing was recorded`,
    );
  }
}

/** No open upload session has this id: never created, completed, or removed after UPLOAD_SESSION_TTL_H idle. */
export class UploadSessionNotFoundError extends DomainError {
  override name = 'UploadSessionNotFoundError';
  readonly code = 'UPLOAD_SESSION_NOT_FOUND';
  constructor(readonly sessionId: string) {
    super(`upload session ${sessionId} does not exist (completed, expired, or never created)`);
  }
}

/** The caller already holds the most open upload sessions one principal may (MAX_UPLOAD_SESSIONS_PER_PRINCIPAL). */
export class TooManyUploadSessionsError extends DomainError {
  override name = 'TooManyUploadSessionsError';
  readonly code = 'TOO_MANY_UPLOAD_SESSIONS';
  constructor(readonly limit: number) {
    super(
      `a caller may hold at most ${limit} open upload sessions (MAX_UPLOAD_SESSIONS_PER_PRINCIPAL); complete one or let it expire`,
    );
  }
}
