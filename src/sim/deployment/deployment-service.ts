import type { Logger } from '../../logger.js';
import type { DeploymentServiceServer } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { unary } from '../handlers.js';
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
    cancelTask: unary(logger, 'CancelTask', async (request) => ({
      task: await engine.cancel(request.taskId),
    })),
    listInstalledDevices: unary(logger, 'ListInstalledDevices', async (request) =>
      engine.listInstalledDevices(request),
    ),
  };
}
