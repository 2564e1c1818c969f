import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { backoffDelay } from '../util/backoff.js';
import type { KeyValue, KvStore, Watch } from './kv.js';

/**
 * One store watch shared by every subscriber of a process (a thousand dashboards watching one
 * install must not open a thousand etcd watches). Events come from the store, never from an
 * in-process bus, so a subscriber sees writes made by any replica.
 *
 * Each subscriber gets its own queue that keeps only the latest change per key: a slow subscriber
 * receives fewer, newer states instead of an ever-growing backlog.
 */

export type HubEvent =
  | { type: 'put'; key: string; kv: KeyValue }
  /** `prevKv`: the value the delete removed, when the hub was asked to keep it. */
  | { type: 'delete'; key: string; revision: number; prevKv?: KeyValue }
  /** History the watch needed was compacted; changes may have been missed: re-read what you show. */
  | { type: 'resync'; key: '' };

export interface HubSubscription extends AsyncIterable<HubEvent> {
  /** Resolves once changes from now on are certain to arrive; read current state after this. */
  readonly ready: Promise<void>;
  /** Leaves the hub (also done by the signal, and by ending the iteration). */
  close(): void;
}

export class WatchHub {
  private readonly subscribers = new Set<Subscriber>();
  private session: { watch: Watch; done: Promise<void> } | undefined;
  /** Watch failures in a row: restarts back off, so a store that refuses every watch is not spun on. */
  private failures = 0;

  constructor(
    private readonly kv: KvStore,
    private readonly prefix: string,
    private readonly log: Logger,
    /** `prevKv`: deletes carry the removed value, for subscribers that report what went away. */
    private readonly options: { prevKv?: boolean } = {},
  ) {}

  subscribe(matches: (key: string) => boolean, signal: AbortSignal): HubSubscription {
    const subscriber = new Subscriber(matches);
    this.subscribers.add(subscriber);
    const end = () => {
      this.subscribers.delete(subscriber);
      subscriber.end();
      if (this.subscribers.size === 0) void this.stop();
    };
    this.session ??= this.start();
    const ready = this.session.watch.ready;
    if (signal.aborted) end();
    else signal.addEventListener('abort', end, { once: true });
    return {
      ready,
      close: end,
      [Symbol.asyncIterator]: () => subscriber.iterate(() => signal.removeEventListener('abort', end), end),
    };
  }

  async close(): Promise<void> {
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    await this.stop();
  }

  private start(): { watch: Watch; done: Promise<void> } {
    const watch = this.kv.watch(this.prefix, { prevKv: this.options.prevKv });
    return { watch, done: this.pump(watch) };
  }

  private async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.watch.close();
    await session?.done;
  }

  /** Forwards one watch's changes; after a compaction or a failure a new watch starts from the present. */
  private async pump(watch: Watch): Promise<void> {
    let retryInMs = 0;
    try {
      for await (const message of watch) {
        if (message.kind === 'compacted') {
          this.log.warn({ prefix: this.prefix }, 'watch history compacted; subscribers re-read');
          break;
        }
        this.failures = 0;
        for (const event of message.events) {
          this.broadcast(
            event.type === 'put'
              ? { type: 'put', key: event.kv.key, kv: event.kv }
              : { type: 'delete', key: event.key, revision: event.modRevision, prevKv: event.prevKv },
          );
        }
      }
    } catch (err) {
      retryInMs = backoffDelay(this.failures++, { baseMs: 100, maxMs: 5000 });
      this.log.error({ err, prefix: this.prefix, retryInMs }, 'shared watch failed; restarting it');
    } finally {
      await watch.close();
    }
    if (retryInMs > 0) await delay(retryInMs, undefined, { ref: false });
    if (this.session?.watch !== watch) return; // stopped on purpose
    this.session = this.start();
    await this.session.watch.ready.catch(() => {});
    this.broadcast({ type: 'resync', key: '' });
  }

  private broadcast(event: HubEvent): void {
    for (const subscriber of this.subscribers) subscriber.offer(event);
  }
}

class Subscriber {
  private readonly pending = new Map<string, HubEvent>();
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(private readonly matches: (key: string) => boolean) {}

  offer(event: HubEvent): void {
    if (this.ended || (event.type !== 'resync' && !this.matches(event.key))) return;
    // Re-inserting moves the key to the end: events leave in the order of their latest change.
    this.pending.delete(event.key);
    this.pending.set(event.key, event);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *iterate(detach: () => void, end: () => void): AsyncGenerator<HubEvent> {
    try {
      for (;;) {
        const next = this.pending.entries().next();
        if (!next.done) {
          this.pending.delete(next.value[0]);
          yield next.value[1];
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      detach();
      end();
    }
  }
}
