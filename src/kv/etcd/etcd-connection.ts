import { Etcd3, type IOptions, type KVClient } from 'etcd3';
import { backoffDelay } from '../../util/backoff.js';
import { KvError } from '../kv.js';
import { type KvLogger, silentLogger } from '../kv-logger.js';
import { EndpointDownError, isNeverSent, isRetryableRead, KeySpace, toStoreError } from './etcd-codec.js';
import { EndpointHealth, PASS_THROUGH } from './etcd-fault-policy.js';

export interface EtcdConnectionOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379` (`https://` switches to TLS). */
  endpoints: string[];
  /** Deployment prefix (`ETCD_PREFIX`), added to every key and stripped from results. */
  prefix: string;
  logger?: KvLogger;
  /** Deadline of each unary call, retries included. Default 5000. */
  callTimeoutMs?: number;
  /** Extra gRPC channel options, merged over seghub's defaults. */
  grpcOptions?: IOptions['grpcOptions'];
}

/**
 * How a call may be retried within its deadline:
 * - `read`: idempotent, retried on any transient failure (another endpoint, a new leader);
 * - `write`: retried only when it was never sent, because a sent write may have been applied;
 * - `probe`: a read that gives up as soon as every endpoint is known to be down (readiness checks
 *   want the truth now, not after the deadline).
 */
export type CallMode = 'read' | 'write' | 'probe';

export const DEFAULT_CALL_TIMEOUT_MS = 5000;

/** Retries within one call's deadline: quick at first (a leader change takes tens of ms). */
const CALL_RETRY_BACKOFF = { baseMs: 25, maxMs: 500 };

/** gRPC call options, taken from etcd3's signatures so @grpc/grpc-js need not be a direct dependency. */
export type CallOptions = NonNullable<Parameters<KVClient['range']>[1]>;

/** Shared by the store, its watches and its leases. */
export class EtcdConnection {
  readonly client: Etcd3;
  readonly keys: KeySpace;
  readonly logger: KvLogger;
  readonly callTimeoutMs: number;
  private closedFlag = false;

  constructor(options: EtcdConnectionOptions) {
    if (options.endpoints.length === 0) throw new KvError('etcd: at least one endpoint is required');
    this.keys = new KeySpace(options.prefix);
    this.logger = options.logger ?? silentLogger;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.client = new Etcd3({
      hosts: options.endpoints,
      faultHandling: { host: new EndpointHealth().policy, global: PASS_THROUGH },
      grpcOptions: {
        // gRPC's reconnect backoff grows to 120 s by default: after a long etcd outage the client
        // would sit idle that long. Capped at 1 s, recovery follows etcd's return within a second.
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
        // Detects a silently dead connection under long-lived watch and keep-alive streams. etcd
        // answers pings more often than every 5 s with GOAWAY, hence 10 s.
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5000,
        // Large ranges and catch-up watch batches exceed gRPC's 4 MiB default.
        'grpc.max_receive_message_length': 256 * 1024 * 1024,
        ...options.grpcOptions,
      },
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Runs one unary call under a deadline of `timeoutMs` shared by all its attempts, retrying what
   * `mode` allows, and rejects with the store's typed errors.
   */
  async call<T>(
    operation: string,
    mode: CallMode,
    fn: (options: CallOptions) => Promise<T>,
    timeoutMs = this.callTimeoutMs,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      if (this.closedFlag) throw new KvError(`etcd ${operation}: the store is closed`);
      try {
        return await fn({ deadline });
      } catch (error) {
        // Closing the client cancels calls in flight; that is not etcd being unavailable.
        if (this.closedFlag) throw new KvError(`etcd ${operation}: the store is closed`, { cause: error });
        const waitMs = Math.min(backoffDelay(attempt - 1, CALL_RETRY_BACKOFF), deadline - Date.now());
        if (!retryable(mode, error) || waitMs <= 0) throw toStoreError(error, operation);
        this.logger.debug({ err: error, operation, attempt }, 'etcd call failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  close(): void {
    this.closedFlag = true;
    this.client.close();
  }
}

function retryable(mode: CallMode, error: unknown): boolean {
  switch (mode) {
    case 'read':
      return isRetryableRead(error);
    case 'write':
      return isNeverSent(error);
    case 'probe':
      return isRetryableRead(error) && !(error instanceof EndpointDownError);
  }
}

/** The part of etcd3's bidirectional stream this store uses. */
export interface GrpcDuplex<Request> {
  write(item: Request): void;
  end(): void;
  cancel(): void;
  on(event: 'error', fn: (err: Error) => void): unknown;
}

/**
 * Ends a stream this store no longer wants. Half-closing first matters: etcd3 treats an error on a
 * still-writable stream as a host failure and tears down every gRPC client of that endpoint, which
 * would break the other watches and keep-alives sharing it.
 */
export function discardStream<Request>(stream: GrpcDuplex<Request>): void {
  stream.on('error', () => {});
  stream.end();
  stream.cancel();
}
