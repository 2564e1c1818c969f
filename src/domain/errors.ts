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
  'INVALID_SEGMENT_FILE',
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'INVALID_INPUT',
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
  ) {
    super(`segment ${segmentName} ${segmentVersion} already exists`);
  }
}

export class SegmentDeletingError extends DomainError {
  override name = 'SegmentDeletingError';
  readonly code = 'SEGMENT_DELETING';
  constructor(readonly segmentId: string) {
    super(`segment ${segmentId} is being deleted`);
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

/** Why an archive was refused; clients may branch on it, the message says it in words. */
export const INVALID_SEGMENT_FILE_REASONS = [
  'EMPTY',
  'NOT_A_ZIP',
  'TRUNCATED',
  'UNSAFE_ENTRY_PATH',
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
