import type { ServerWritableStream } from '@grpc/grpc-js';
import {
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthServer,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from '../sdp/generated/grpc/health/v1/health.js';
import { DeploymentServiceService } from '../sdp/generated/seghub/sdp/v1/deployment.js';
import { SegmentServiceService } from '../sdp/generated/seghub/sdp/v1/segments.js';
import { notFound, toServiceError } from './status.js';

const SERVICES = new Set([
  '',
  SegmentServiceService.createSegment.path.split('/')[1],
  DeploymentServiceService.startTask.path.split('/')[1],
]);

/**
 * The standard gRPC health service. A platform is SERVING until it begins to stop; then watchers
 * hear NOT_SERVING before the server goes away. An outage is injected in front of this service like
 * any other, so a health check during an outage fails with UNAVAILABLE, as a real one would.
 */
export class ServingState {
  private serving = true;
  private readonly watchers = new Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>();

  status(service: string): ServingStatus {
    if (!SERVICES.has(service)) return ServingStatus.SERVICE_UNKNOWN;
    return this.serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  /** Tells every watcher that the platform stops serving, and ends their streams. */
  shutdown(): void {
    this.serving = false;
    for (const watcher of this.watchers) {
      watcher.write({ status: this.status(watcher.request.service) });
      watcher.end();
    }
    this.watchers.clear();
  }

  service(): HealthServer {
    return {
      check: (call, callback) => {
        const status = this.status(call.request.service);
        if (status === ServingStatus.SERVICE_UNKNOWN) {
          callback(toServiceError(notFound(`unknown service "${call.request.service}"`)));
        } else {
          callback(null, { status });
        }
      },
      watch: (call) => {
        call.write({ status: this.status(call.request.service) });
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }
}
