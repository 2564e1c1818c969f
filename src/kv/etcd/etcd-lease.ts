import type { ILeaseKeepAliveRequest, ILeaseKeepAliveResponse, IResponseStream } from 'etcd3';
import { backoffDelay } from '../../util/backoff.js';
import { KvError, type Lease, LeaseNotFoundError } from '../kv.js';
import { revision } from './etcd-codec.js';
import { discardStream, type EtcdConnection, type GrpcDuplex } from './etcd-connection.js';

type KeepAliveStream = GrpcDuplex<ILeaseKeepAliveRequest> & IResponseStream<ILeaseKeepAliveResponse>;

const MAX_REOPEN_DELAY_MS = 1000;

/**
 * A lease kept alive over its own keep-alive stream, one request in flight at a time.
 *
 * The lease counts as alive until `sentAt + TTL` of the last acknowledged keep-alive: etcd restarts
 * the TTL no earlier than it receives the request, so that moment never lies after the server's own
 * expiry, and a leader that trusts `signal` can never overlap its successor.
 */
export class EtcdLease implements Lease {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private expiresAt: number;
  private stream: KeepAliveStream | undefined;
  private sentAt = 0;
  private keepingAlive = true;
  private reopenAttempts = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private nextTimer: NodeJS.Timeout | undefined;
  private responseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly conn: EtcdConnection,
    readonly id: string,
    readonly ttlSeconds: number,
    requestedAt: number,
    private readonly onEnded: (lease: EtcdLease) => void,
  ) {
    this.signal = this.controller.signal;
    this.expiresAt = requestedAt + ttlSeconds * 1000;
    this.armExpiry();
    this.openStream();
  }

  async revoke(): Promise<void> {
    this.stopKeepAlive();
    try {
      await this.conn.call('leaseRevoke', 'read', (options) =>
        this.conn.client.leaseClient.leaseRevoke({ ID: this.id }, options),
      );
    } catch (error) {
      // Already gone is what revoking wanted; on other failures the expiry timer still fires.
      if (!(error instanceof LeaseNotFoundError)) throw error;
    }
    this.end(new LeaseNotFoundError(`lease ${this.id} revoked`));
  }

  release(): void {
    // The signal still fires at expiry: until then the lease and its keys really do exist.
    this.stopKeepAlive();
  }

  /** The store is closing: stop every timer and stream, and tell holders they can't rely on it. */
  dispose(): void {
    this.end(new KvError(`lease ${this.id}: the store was closed`));
  }

  private openStream(): void {
    this.conn.client.leaseClient.leaseKeepAlive().then(
      (stream) => {
        if (!this.keepingAlive) return discardStream(stream);
        this.stream = stream;
        stream.on('data', (response) => this.onResponse(stream, response));
        stream.on('error', (error) => this.onStreamLost(stream, error));
        stream.on('end', () => this.onStreamLost(stream, new Error('keep-alive stream ended')));
        this.sendKeepAlive();
      },
      (error: unknown) => this.onStreamLost(undefined, error),
    );
  }

  private sendKeepAlive(): void {
    const stream = this.stream;
    if (!stream || !this.keepingAlive) return;
    this.sentAt = Date.now();
    stream.write({ ID: this.id });
    // A frozen server or a silently dead connection never answers: give up on this stream in time
    // to try a fresh one well before the lease would run out.
    this.responseTimer = setTimeout(
      () => this.onStreamLost(stream, new Error('keep-alive response timed out')),
      Math.max(500, (this.ttlSeconds * 1000) / 3),
    );
  }

  private onResponse(stream: KeepAliveStream, response: ILeaseKeepAliveResponse): void {
    if (stream !== this.stream) return;
    clearTimeout(this.responseTimer);
    const ttl = revision(response.TTL);
    if (ttl <= 0) {
      this.end(new LeaseNotFoundError(`lease ${this.id} expired or was revoked`));
      return;
    }
    this.reopenAttempts = 0;
    this.expiresAt = this.sentAt + ttl * 1000;
    this.armExpiry();
    this.nextTimer = setTimeout(() => this.sendKeepAlive(), (ttl * 1000) / 3);
  }

  private onStreamLost(stream: KeepAliveStream | undefined, error: unknown): void {
    if (stream !== this.stream || !this.keepingAlive) return;
    this.closeStream();
    const delay = backoffDelay(this.reopenAttempts, { baseMs: 100, maxMs: MAX_REOPEN_DELAY_MS });
    this.reopenAttempts += 1;
    this.conn.logger.debug({ err: error, lease: this.id, delay }, 'etcd lease keep-alive stream lost');
    this.nextTimer = setTimeout(() => this.openStream(), delay);
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => this.end(new LeaseNotFoundError(`lease ${this.id} expired: keep-alive failed for its TTL`)),
      Math.max(0, this.expiresAt - Date.now()),
    );
    // A released lease keeps this timer; it must not hold the process open.
    this.expiryTimer.unref();
  }

  private stopKeepAlive(): void {
    this.keepingAlive = false;
    clearTimeout(this.nextTimer);
    this.closeStream();
  }

  private closeStream(): void {
    clearTimeout(this.responseTimer);
    clearTimeout(this.nextTimer);
    if (this.stream) discardStream(this.stream);
    this.stream = undefined;
  }

  private end(reason: Error): void {
    this.stopKeepAlive();
    clearTimeout(this.expiryTimer);
    if (!this.signal.aborted) {
      this.conn.logger.debug({ lease: this.id, reason: reason.message }, 'etcd lease ended');
      this.controller.abort(reason);
    }
    this.onEnded(this);
  }
}
