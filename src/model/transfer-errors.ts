import { DomainError } from './domain-error.js';

/** Expected failures of upload sessions (SPEC-FLEET section 4). */

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
