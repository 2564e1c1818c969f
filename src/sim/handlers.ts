import type { handleUnaryCall, ServiceError } from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import { SimStatusError, toServiceError } from './status.js';

/**
 * The status to answer with. Prescribed failures are the simulator doing its job; anything else is
 * a simulator bug, logged here because the caller only sees INTERNAL.
 */
export function statusFor(logger: Logger, method: string, err: unknown): Partial<ServiceError> {
  if (!(err instanceof SimStatusError)) logger.error({ err, method }, 'simulator handler failed');
  return toServiceError(err);
}

/**
 * Adapts a (possibly async) handler to grpc-js: every outcome, a synchronous throw included, ends in
 * exactly one callback, and no failure escapes into grpc-js.
 */
export function unary<Request, Response>(
  logger: Logger,
  method: string,
  handle: (request: Request) => Response | Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(statusFor(logger, method, err)),
      );
  };
}
