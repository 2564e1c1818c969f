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
  'ROLLOUT_IN_PROGRESS',
  'ROLLOUT_NOT_FOUND',
  'APPROVAL_NOT_ALLOWED',
  'ROLLOUT_SUPERSEDED',
  'ROLLOUT_STATE_CONFLICT',
  'GROUP_FROZEN',
  'NO_MATCHING_SEATS',
  'SEGMENT_IN_USE',
  'SEGMENT_NOT_TESTED',
  'SEGMENT_DEPRECATED',
  'SIGNATURE_REQUIRED',
  'INVALID_SIGNATURE',
  'INVALID_KEY',
  'KEY_NOT_FOUND',
  'KEY_REVOKED',
  'KEY_EXPIRED',
  'FILE_TAMPERED',
  'TOO_MANY_SIGNING_KEYS',
  'TOO_MANY_SIGNATURES',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}
