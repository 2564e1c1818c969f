import { DomainError } from './domain-error.js';

/**
 * Expected failures, one class per code (`domain-error.ts` lists the codes). The segment, seat and
 * install ones are here; each later area keeps its own file, re-exported below, so that callers
 * import every error from this one module.
 */

export { DomainError, ERROR_CODES, type ErrorCode } from './domain-error.js';
export * from './group-errors.js';
export * from './rollout-errors.js';
export * from './transfer-errors.js';
export * from './trust-errors.js';

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
