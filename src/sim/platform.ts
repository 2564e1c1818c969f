import { Server } from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import { formatOfTarget, type SdpTarget } from '../model/targets.js';
import { HealthService } from '../sdp/generated/grpc/health/v1/health.js';
import { DeploymentServiceService } from '../sdp/generated/seghub/sdp/v1/deployment.js';
import { SegmentServiceService } from '../sdp/generated/seghub/sdp/v1/segments.js';
import { toPbFormat } from '../sdp/mapping.js';
import type { DeviceBehaviour } from './deployment/behaviour.js';
import { createDeploymentService } from './deployment/deployment-service.js';
import { TaskEngine } from './deployment/task-engine.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { bindServer, hostPort, shutdownServer } from './grpc-server.js';
import { ServingState } from './health-service.js';
import type { Random } from './random.js';
import { createSegmentService } from './segments/segment-service.js';
import { SegmentStore } from './segments/segment-store.js';
import { failedPrecondition } from './status.js';
import { withFaults } from './with-faults.js';

export interface PlatformOptions {
  target: SdpTarget;
  /** This platform's own directory: segment files, index, tasks. */
  dir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  devices: Partial<DeviceBehaviour>;
  faults: Partial<FaultSettings>;
  random: Random;
  logger: Logger;
}

/** One simulated SDP platform: a gRPC server with the segment, deployment and health services. */
export interface SimPlatform {
  readonly target: SdpTarget;
  /** `host:port` to give seghub as SDP_DEPLOY_ADDR or SDP_STORE15S_ADDR. */
  readonly address: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly segments: SegmentStore;
  readonly tasks: TaskEngine;
  /** Graceful: finish calls in flight (up to a few seconds). Otherwise cut every call, as a crash would. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<SimPlatform> {
  const { target, dir, logger, random } = options;
  const log = logger.child({ component: 'sdp-sim', target });
  const segments = await SegmentStore.open({ dir, format: toPbFormat(formatOfTarget(target)), logger: log });
  const tasks = await TaskEngine.open({
    dir,
    behaviour: options.devices,
    logger: log,
    random,
    segmentExists: (uid) => segments.has(uid),
  });
  const faults = new FaultInjector(options.faults, random);
  const health = new ServingState();

  const server = new Server({ 'grpc.max_receive_message_length': 2 * 1024 * 1024 });
  const segmentService = createSegmentService(segments, {
    logger: log,
    canDelete(uid) {
      if (tasks.isBusy(uid)) throw failedPrecondition(`a task for segment ${uid} is running`);
      const installed = tasks.installedCount(uid);
      if (installed > 0) throw failedPrecondition(`segment ${uid} is installed on ${installed} device(s)`);
    },
    onDeleted(uid) {
      tasks
        .forgetSegment(uid)
        .catch((err: unknown) => log.error({ err, uid }, 'could not forget a deleted segment'));
    },
  });
  server.addService(SegmentServiceService, withFaults(SegmentServiceService, segmentService, faults, log));
  server.addService(
    DeploymentServiceService,
    withFaults(DeploymentServiceService, createDeploymentService(tasks, log), faults, log),
  );
  server.addService(HealthService, withFaults(HealthService, health.service(), faults, log));

  const port = await bindServer(server, options.host, options.port).catch(async (err) => {
    await tasks.close();
    await segments.close();
    throw err;
  });
  const address = hostPort(options.host, port);
  log.info({ address }, 'SDP simulator platform serving');

  return {
    target,
    address,
    port,
    faults,
    segments,
    tasks,
    async stop({ graceful = true } = {}) {
      health.shutdown();
      if (graceful) await shutdownServer(server, 3000);
      else server.forceShutdown();
      await tasks.close();
      await segments.close();
      log.info({ address }, 'SDP simulator platform stopped');
    },
  };
}
