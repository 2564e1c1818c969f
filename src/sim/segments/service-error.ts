import type { ServiceError } from '@grpc/grpc-js';
import type { Logger } from '../../logger.js';
import { SimStatusError, toServiceError } from '../status.js';

/**
 * The status to answer with. Prescribed failures are the simulator doing its job; anything else is
 * a simulator bug, logged here because the caller only sees INTERNAL.
 */
export function serviceError(logger: Logger, method: string, err: unknown): Partial<ServiceError> {
  if (!(err instanceof SimStatusError)) logger.error({ err, method }, 'segment service failed');
  return toServiceError(err);
}
