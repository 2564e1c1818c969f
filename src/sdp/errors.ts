import { type ServiceError, status } from '@grpc/grpc-js';
import type { SdpTarget } from '../model/targets.js';
import type { UnavailableMark } from '../util/unavailable.js';

/**
 * What the controller needs to know about a failed SDP call is whether trying again later can
 * help. Every gRPC status maps to one of a few classes; `retryable` says which side of that line.
 */
export abstract class SdpError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    readonly target: SdpTarget,
    readonly method: string,
    /** The gRPC status name, e.g. UNAVAILABLE; `LOCAL` for a failure detected by this client. */
    readonly grpcCode: string,
    message: string,
  ) {
    super(`${target} ${method}: ${message}`);
  }
}

/** The platform is down, slow, overloaded or answered nonsense: try again with backoff. */
export class SdpUnavailableError extends SdpError implements UnavailableMark {
  override name = 'SdpUnavailableError';
  readonly retryable = true;
  readonly unavailable = 'SDP_UNAVAILABLE';
}

/** No such segment or task on the platform. */
export class SdpNotFoundError extends SdpError {
  override name = 'SdpNotFoundError';
  readonly retryable = false;
}

/** The name and version are taken on the platform under another idempotency key. */
export class SdpAlreadyExistsError extends SdpError {
  override name = 'SdpAlreadyExistsError';
  readonly retryable = false;
}

/** Valid, but the platform's state forbids it now (e.g. deleting an installed segment). */
export class SdpFailedPreconditionError extends SdpError {
  override name = 'SdpFailedPreconditionError';
  readonly retryable = false;
}

/** The request can never succeed as sent (bad argument, unsupported, not allowed). */
export class SdpRejectedError extends SdpError {
  override name = 'SdpRejectedError';
  readonly retryable = false;
}

const RETRYABLE = new Set<status>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.INTERNAL,
  status.UNKNOWN,
  status.CANCELLED,
  status.DATA_LOSS,
]);

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/** Maps a gRPC failure to its SdpError; anything that is not a gRPC status passes through. */
export function toSdpError(err: unknown, target: SdpTarget, method: string): unknown {
  if (!isServiceError(err)) return err;
  const code = err.code as status;
  const name = status[code] ?? String(code);
  const message = err.details || err.message;
  if (RETRYABLE.has(code)) return new SdpUnavailableError(target, method, name, message);
  switch (code) {
    case status.NOT_FOUND:
      return new SdpNotFoundError(target, method, name, message);
    case status.ALREADY_EXISTS:
      return new SdpAlreadyExistsError(target, method, name, message);
    case status.FAILED_PRECONDITION:
      return new SdpFailedPreconditionError(target, method, name, message);
    default:
      return new SdpRejectedError(target, method, name, message);
  }
}

/** For `retryUntilDone({ isPermanent })`: an SDP error that retrying cannot fix. */
export function isPermanentSdpError(err: unknown): boolean {
  return err instanceof SdpError && !err.retryable;
}
