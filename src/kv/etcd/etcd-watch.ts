import type { IEvent, IResponseStream, IWatchRequest, IWatchResponse } from 'etcd3';
import { backoffDelay } from '../../util/backoff.js';
import { KvError, type Watch, type WatchEvent, type WatchMessage, type WatchOptions } from '../kv.js';
import { revision, toKeyValue } from './etcd-codec.js';
import { discardStream, type EtcdConnection, type GrpcDuplex } from './etcd-connection.js';

type WatchStream = GrpcDuplex<IWatchRequest> &
  IResponseStream<IWatchResponse> & { pause?: () => void; resume?: () => void };

const MAX_RECONNECT_DELAY_MS = 2000;
/** Stop reading from etcd while this many messages wait for a slow consumer... */
const HIGH_WATER = 1024;
/** ...and read again once it has caught up to here. */
const LOW_WATER = 256;

/**
 * A prefix watch on its own gRPC stream, resumed after any stream loss from the revision after the
 * last one delivered.
 *
 * Not etcd3's Watcher: on (re)connect it moves its resume point to the created response's header
 * revision + 1, so a connection lost while history is still being replayed skips the rest of it,
 * and it reports compaction only as an error message ("Watcher canceled: ..."), dropping
 * `compact_revision`. Here the resume point moves only with delivered events, an overlap after
 * reconnecting is dropped by revision, and compaction becomes a `compacted` message.
 */
export class EtcdWatch implements Watch {
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private readonly queue: WatchMessage[] = [];
  /** Pending `next()` calls, oldest first: a consumer may call it again before one settles. */
  private readonly waiters: {
    resolve: (r: IteratorResult<WatchMessage>) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private failure: Error | undefined;
  private finished = false;
  private stream: WatchStream | undefined;
  private paused = false;
  /** Where a new stream starts: absent until etcd fixes "now" for a watch without `fromRevision`. */
  private nextRevision: number | undefined;
  private lastDelivered = 0;
  private reconnectAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => void this.close();

  constructor(
    private readonly conn: EtcdConnection,
    private readonly prefix: string,
    private readonly options: WatchOptions,
    private readonly onEnded: (watch: EtcdWatch) => void,
  ) {
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    // etcd reads start_revision 0 as "now"; the interface reads it as "every revision >= 0".
    this.nextRevision = options.fromRevision === undefined ? undefined : Math.max(1, options.fromRevision);
    if (options.signal?.aborted) {
      this.finish();
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.connect();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    this.queue.length = 0;
    this.finish();
  }

  private next(): Promise<IteratorResult<WatchMessage>> {
    const message = this.queue.shift();
    if (message) {
      if (this.paused && this.queue.length <= LOW_WATER) {
        this.paused = false;
        this.stream?.resume?.();
      }
      return Promise.resolve({ done: false, value: message });
    }
    const failure = this.failure;
    if (failure) {
      // Reported once; the iteration is over after that.
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  private connect(): void {
    this.conn.client.watchClient.watch().then(
      (stream: WatchStream) => {
        if (this.finished) return discardStream(stream);
        this.stream = stream;
        this.paused = false;
        stream.on('data', (response) => this.onResponse(stream, response));
        stream.on('error', (error) => this.onStreamLost(stream, error));
        stream.on('end', () => this.onStreamLost(stream, new Error('watch stream ended')));
        const range = this.conn.keys.prefixRange(this.prefix);
        stream.write({
          create_request: {
            ...range,
            start_revision: this.nextRevision ?? 0,
            prev_kv: this.options.prevKv === true,
          },
        });
      },
      (error: unknown) => this.onStreamLost(undefined, error),
    );
  }

  private onResponse(stream: WatchStream, response: IWatchResponse): void {
    if (stream !== this.stream || this.finished) return;
    if (response.created) {
      if (response.canceled) {
        this.fail(`etcd refused the watch: ${response.cancel_reason}`);
        return;
      }
      this.reconnectAttempts = 0;
      // The watch sees changes after the revision it was created at; a resumed stream must too.
      this.nextRevision ??= revision(response.header.revision) + 1;
      this.resolveReady();
      return;
    }
    if (response.canceled) {
      const compactRevision = revision(response.compact_revision);
      if (compactRevision === 0) this.fail(`etcd cancelled the watch: ${response.cancel_reason}`);
      else this.deliver({ kind: 'compacted', compactRevision });
      this.finish();
      return;
    }
    this.deliverEvents(response.events);
  }

  /** etcd never splits one revision across responses (no `fragment`), but may batch several. */
  private deliverEvents(events: IEvent[]): void {
    let batch: { kind: 'events'; revision: number; events: WatchEvent[] } | undefined;
    for (const event of events) {
      const eventRevision = revision(event.kv.mod_revision);
      if (eventRevision <= this.lastDelivered) continue;
      if (batch?.revision !== eventRevision) {
        if (batch) this.deliverRevision(batch);
        batch = { kind: 'events', revision: eventRevision, events: [] };
      }
      batch.events.push(this.toWatchEvent(event, eventRevision));
    }
    if (batch) this.deliverRevision(batch);
  }

  private deliverRevision(message: { kind: 'events'; revision: number; events: WatchEvent[] }): void {
    this.lastDelivered = message.revision;
    this.nextRevision = message.revision + 1;
    this.deliver(message);
  }

  private toWatchEvent(event: IEvent, eventRevision: number): WatchEvent {
    const keys = this.conn.keys;
    const prevKv = this.options.prevKv && event.prev_kv ? toKeyValue(event.prev_kv, keys) : undefined;
    const base =
      event.type === 'Delete'
        ? { type: 'delete' as const, key: keys.strip(event.kv.key), modRevision: eventRevision }
        : { type: 'put' as const, kv: toKeyValue(event.kv, keys) };
    return prevKv ? { ...base, prevKv } : base;
  }

  private deliver(message: WatchMessage): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ done: false, value: message });
      return;
    }
    this.queue.push(message);
    if (!this.paused && this.queue.length >= HIGH_WATER) {
      this.paused = true;
      this.stream?.pause?.();
    }
  }

  private onStreamLost(stream: WatchStream | undefined, error: unknown): void {
    if (stream !== this.stream || this.finished) return;
    if (this.stream) discardStream(this.stream);
    this.stream = undefined;
    const delay = backoffDelay(this.reconnectAttempts, { baseMs: 100, maxMs: MAX_RECONNECT_DELAY_MS });
    this.reconnectAttempts += 1;
    const log = this.reconnectAttempts > 5 ? this.conn.logger.warn : this.conn.logger.debug;
    log.call(
      this.conn.logger,
      { err: error, prefix: this.prefix, delay },
      'etcd watch stream lost; resuming',
    );
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private fail(reason: string): void {
    const failure = new KvError(reason);
    this.conn.logger.warn({ prefix: this.prefix, reason }, 'etcd watch ended with an error');
    const waiter = this.waiters.shift();
    if (waiter) waiter.reject(failure);
    else this.failure = failure;
    this.finish();
  }

  /** No more messages: release the stream, timers and waiters; queued messages stay readable. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.reconnectTimer);
    if (this.stream) discardStream(this.stream);
    this.stream = undefined;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    // Nobody may hang on a watch that will never be registered.
    this.resolveReady();
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ done: true, value: undefined });
    this.onEnded(this);
  }
}
