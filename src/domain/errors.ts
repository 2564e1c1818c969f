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
