import { Metadata, type ServiceError, status } from '@grpc/grpc-js';

/**
 * A failure the simulator answers on purpose, with the gRPC status code the contract prescribes.
 * Anything else a handler throws is a simulator bug and goes out as INTERNAL.
 */
export class SimStatusError extends Error {
  override name = 'SimStatusError';
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new SimStatusError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new SimStatusError(status.NOT_FOUND, message);
export const alreadyExists = (message: string) => new SimStatusError(status.ALREADY_EXISTS, message);
export const failedPrecondition = (message: string) =>
  new SimStatusError(status.FAILED_PRECONDITION, message);
export const aborted = (message: string) => new SimStatusError(status.ABORTED, message);
export const unavailable = (message: string) => new SimStatusError(status.UNAVAILABLE, message);
export const outOfRange = (message: string) => new SimStatusError(status.OUT_OF_RANGE, message);

/** The error object grpc-js turns into a status for the caller. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  if (err instanceof SimStatusError)
    return { code: err.code, details: err.message, metadata: new Metadata() };
  return { code: status.INTERNAL, details: 'internal simulator error', metadata: new Metadata() };
}
