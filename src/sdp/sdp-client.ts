import {
  type CallOptions,
  type Channel,
  type ClientUnaryCall,
  credentials,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import type { SdpTarget } from '../model/targets.js';
import { openChannel } from './channel.js';
import { DownloadMismatchError, downloadFile } from './download.js';
import { SdpError, SdpUnavailableError, toSdpError } from './errors.js';
import { HealthCheckResponse_ServingStatus, HealthClient } from './generated/grpc/health/v1/health.js';
import { DeploymentServiceClient } from './generated/seghub/sdp/v1/deployment.js';
import { SegmentServiceClient } from './generated/seghub/sdp/v1/segments.js';
import { fromPbSegment, fromPbTask, toPbAction } from './mapping.js';
import type { SdpCallObserver } from './sdp-metrics.js';
import type {
  CreateSegmentInput,
  CreateSegmentResult,
  HealthStatus,
  RemoteSegment,
  RemoteTask,
  StartTaskInput,
} from './types.js';
import { uploadFile } from './upload.js';

export interface SdpClientOptions {
  /** Deadline of each unary call. */
  callTimeoutMs: number;
  /** A stream that moves nothing for this long is cancelled. */
  streamIdleMs: number;
  logger: Logger;
  /** Told about every call: metrics. */
  observe?: SdpCallObserver;
}

/** Upload deadline: generous for the slowest link we support (1 MiB/s), on top of the call timeout. */
const MIN_UPLOAD_BYTES_PER_MS = (1024 * 1024) / 1000;

type Callback<Res> = (err: ServiceError | null, res?: Res) => void;
type Invoke<Req, Res> = (
  req: Req,
  md: Metadata,
  opts: Partial<CallOptions>,
  cb: Callback<Res>,
) => ClientUnaryCall;

export interface CallControl {
  signal?: AbortSignal;
}

/**
 * seghub's client for one SDP platform. Every call has a deadline; every failure is an `SdpError`
 * whose `retryable` tells "try later" from "will never work" (or the caller's own abort reason).
 * The channel reconnects by itself when the platform restarts; a call made while it is down fails
 * at once with a retryable error rather than waiting.
 */
export class SdpClient {
  private readonly channel: Channel;
  private readonly segments: SegmentServiceClient;
  private readonly deployment: DeploymentServiceClient;
  private readonly health: HealthClient;
  private readonly log: Logger;

  constructor(
    readonly target: SdpTarget,
    readonly address: string,
    private readonly options: SdpClientOptions,
  ) {
    this.channel = openChannel(address);
    // The credentials are the channel's; grpc-js ignores these when given a channel to share.
    const insecure = credentials.createInsecure();
    const shared = { channelOverride: this.channel };
    this.segments = new SegmentServiceClient(address, insecure, shared);
    this.deployment = new DeploymentServiceClient(address, insecure, shared);
    this.health = new HealthClient(address, insecure, shared);
    this.log = options.logger.child({ component: 'sdp-client', target, address });
  }

  /** Uploads a file; a repeat with the same idempotency key returns the first answer without resending. */
  async createSegment(
    input: CreateSegmentInput,
    filePath: string,
    control: CallControl & { onProgress?: (bytesSent: number) => void } = {},
  ): Promise<CreateSegmentResult> {
    const deadline = new Date(Date.now() + this.options.callTimeoutMs + input.size / MIN_UPLOAD_BYTES_PER_MS);
    const response = await this.guard('CreateSegment', () =>
      uploadFile(this.segments, input, filePath, { deadline, idleMs: this.options.streamIdleMs, ...control }),
    );
    return { segment: fromPbSegment(response.segment), replayed: response.replayed };
  }

  async getSegment(uid: string, control?: CallControl): Promise<RemoteSegment> {
    const res = await this.unary(
      'GetSegment',
      this.segments.getSegment.bind(this.segments),
      { uid },
      control,
    );
    return fromPbSegment(res.segment);
  }

  /** Throws SdpNotFoundError when the platform does not have it (any more). */
  async deleteSegment(uid: string, control?: CallControl): Promise<void> {
    await this.unary('DeleteSegment', this.segments.deleteSegment.bind(this.segments), { uid }, control);
  }

  async listSegments(
    page: { pageSize?: number; pageToken?: string; name?: string } = {},
    control?: CallControl,
  ): Promise<{ segments: RemoteSegment[]; nextPageToken?: string }> {
    const res = await this.unary(
      'ListSegments',
      this.segments.listSegments.bind(this.segments),
      { pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? '', name: page.name ?? '' },
      control,
    );
    return { segments: res.segments.map(fromPbSegment), nextPageToken: res.nextPageToken || undefined };
  }

  /** Every segment on the platform, page by page. */
  async *allSegments(filter: { name?: string; pageSize?: number } = {}, control?: CallControl) {
    let pageToken: string | undefined;
    do {
      const page = await this.listSegments({ ...filter, pageToken }, control);
      yield* page.segments;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Streams the file to `destPath` and checks it against the platform's size and SHA-256. */
  async downloadSegment(uid: string, destPath: string, control: CallControl = {}): Promise<RemoteSegment> {
    const segment = await this.guard('DownloadSegment', async () => {
      try {
        return await downloadFile(this.segments, uid, destPath, {
          idleMs: this.options.streamIdleMs,
          ...control,
        });
      } catch (err) {
        if (err instanceof DownloadMismatchError) {
          throw new SdpUnavailableError(this.target, 'DownloadSegment', 'LOCAL', err.message);
        }
        throw err;
      }
    });
    return fromPbSegment(segment);
  }

  async startTask(
    input: StartTaskInput,
    control?: CallControl,
  ): Promise<{ task: RemoteTask; replayed: boolean }> {
    const res = await this.unary(
      'StartTask',
      this.deployment.startTask.bind(this.deployment),
      { ...input, action: toPbAction(input.action) },
      control,
    );
    return { task: fromPbTask(res.task), replayed: res.replayed };
  }

  /** With `sinceRevision` (a revision from an earlier answer), only the devices that changed since. */
  async getTask(
    taskId: string,
    opts: { sinceRevision?: number } = {},
    control?: CallControl,
  ): Promise<RemoteTask> {
    const res = await this.unary(
      'GetTask',
      this.deployment.getTask.bind(this.deployment),
      { taskId, sinceRevision: opts.sinceRevision ?? 0 },
      control,
    );
    return fromPbTask(res.task);
  }

  /**
   * Ends a task: its devices that have not finished fail with error `cancelled`, the others keep
   * their outcome. A task that has already ended comes back unchanged, so a retry is safe.
   */
  async cancelTask(taskId: string, control?: CallControl): Promise<RemoteTask> {
    const res = await this.unary(
      'CancelTask',
      this.deployment.cancelTask.bind(this.deployment),
      { taskId },
      control,
    );
    return fromPbTask(res.task);
  }

  /** Every device that has the segment installed now. */
  async listInstalledDevices(segmentUid: string, control?: CallControl): Promise<string[]> {
    const ips: string[] = [];
    let pageToken = '';
    do {
      const res = await this.unary(
        'ListInstalledDevices',
        this.deployment.listInstalledDevices.bind(this.deployment),
        { segmentUid, pageSize: 0, pageToken },
        control,
      );
      ips.push(...res.deviceIps);
      pageToken = res.nextPageToken;
    } while (pageToken);
    return ips;
  }

  /** The standard gRPC health check of the whole platform. */
  async checkHealth(control?: CallControl): Promise<HealthStatus> {
    const res = await this.unary('Check', this.health.check.bind(this.health), { service: '' }, control);
    if (res.status === HealthCheckResponse_ServingStatus.SERVING) return 'SERVING';
    if (res.status === HealthCheckResponse_ServingStatus.NOT_SERVING) return 'NOT_SERVING';
    return 'UNKNOWN';
  }

  close(): void {
    this.channel.close();
  }

  private unary<Req, Res>(method: string, invoke: Invoke<Req, Res>, req: Req, control: CallControl = {}) {
    return this.guard(
      method,
      () =>
        new Promise<Res>((resolve, reject) => {
          const { signal } = control;
          signal?.throwIfAborted();
          const onAbort = () => call.cancel();
          const deadline = Date.now() + this.options.callTimeoutMs;
          const call = invoke(req, new Metadata(), { deadline }, (err, res) => {
            signal?.removeEventListener('abort', onAbort);
            if (signal?.aborted) reject(signal.reason);
            else if (err) reject(err);
            else resolve(res as Res);
          });
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
    );
  }

  /** Runs a call and turns its gRPC failure into an SdpError, recording what it cost. */
  private async guard<T>(method: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const done = (code: string) =>
      this.options.observe?.({
        target: this.target,
        method,
        code,
        seconds: (performance.now() - started) / 1000,
      });
    try {
      const result = await run();
      done('OK');
      return result;
    } catch (err) {
      const mapped = toSdpError(err, this.target, method);
      done(mapped instanceof SdpError ? mapped.grpcCode : 'LOCAL');
      this.log.debug({ method, err: mapped, ms: Math.round(performance.now() - started) }, 'SDP call failed');
      throw mapped;
    }
  }
}
