import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../../logger.js';
import type { DeploymentServiceServer } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { SimStatusError, toServiceError } from '../status.js';
import type { TaskEngine } from './task-engine.js';

/** The DeploymentService handlers over a task engine; register with `DeploymentServiceService`. */
export function createDeploymentService(
  engine: TaskEngine,
  logger: Logger = engine.logger,
): DeploymentServiceServer {
  return {
    startTask: unary(logger, 'StartTask', async (request) => engine.start(request)),
    getTask: unary(logger, 'GetTask', async (request) => ({
      task: await engine.get(request.taskId, request.sinceRevision),
    })),
    listInstalledDevices: unary(logger, 'ListInstalledDevices', async (request) =>
      engine.listInstalledDevices(request),
    ),
  };
}

/**
 * Adapts a promise-returning handler to grpc-js: every outcome, including a synchronous throw, ends
 * in exactly one callback. Expected refusals go out with their status; anything else is a simulator
 * bug, logged here and sent as INTERNAL.
 */
function unary<Request, Response>(
  logger: Logger,
  method: string,
  handler: (request: Request) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => {
          if (!(err instanceof SimStatusError)) logger.error({ err, method }, 'deployment handler failed');
          callback(toServiceError(err));
        },
      );
  };
}
