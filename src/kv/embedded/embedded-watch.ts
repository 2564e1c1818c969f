import type { Watch, WatchEvent, WatchMessage, WatchOptions } from '../kv.js';
import type { HistoryEntry } from './history.js';

/** What a watch reads from the store. */
export interface WatchFeed {
  /** Lowest revision still retained. */
  floor(): number;
  /** Highest revision that is durable; nothing newer may be shown. */
  visibleRevision(): number;
  entryAt(revision: number): HistoryEntry | undefined;
  detach(watch: EmbeddedWatch): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A watch that pulls from the store's shared history with its own cursor. Writers never wait for
 * it and keep no per-watch queue; a watch that falls further behind than the history reaches gets
 * `compacted`, which is how etcd treats such watchers too.
 */
export class EmbeddedWatch implements Watch {
  readonly ready: Promise<void>;
  private cursor: number;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  /** Serialises concurrent `next()` calls so each message goes to exactly one of them. */
  private pending: Promise<unknown> = Promise.resolve();
  private readonly onAbort = () => this.end();

  constructor(
    private readonly feed: WatchFeed,
    private readonly prefix: string,
    private readonly options: WatchOptions,
    /** Set when the store cannot serve watches (closed or failed): the watch fails at once. */
    refusal?: Error,
  ) {
    this.cursor = Math.max(1, options.fromRevision ?? feed.visibleRevision() + 1);
    if (refusal) {
      this.ready = Promise.reject(refusal);
      // Callers that only iterate must not crash the process with an unhandled rejection.
      this.ready.catch(() => undefined);
      this.failure = refusal;
      this.ended = true;
      return;
    }
    this.ready = Promise.resolve();
    if (options.signal?.aborted) this.ended = true;
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** False once the watch has ended; ended watches need no notifications. */
  get active(): boolean {
    return !this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  next(): Promise<IteratorResult<WatchMessage, undefined>> {
    const result = this.pending.then(() => this.nextInOrder());
    this.pending = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.end();
  }

  /** Called by the store after new revisions became visible. */
  notify(): void {
    if (this.wake && (this.ended || this.hasMessage())) this.wakeUp();
  }

  /** Ends the iteration (store closing, abort, close()). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.feed.detach(this);
    this.wakeUp();
  }

  /** Ends the iteration with an error (the store failed). */
  fail(error: Error): void {
    if (this.ended) return;
    this.failure = error;
    this.end();
  }

  private async nextInOrder(): Promise<IteratorResult<WatchMessage, undefined>> {
    for (;;) {
      if (this.ended) return this.finish();
      const message = this.take();
      if (message) return { done: false, value: message };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private finish(): IteratorResult<WatchMessage, undefined> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    return DONE;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Advances past revisions with nothing for this watch; true when a message is ready. */
  private hasMessage(): boolean {
    if (this.cursor < this.feed.floor()) return true;
    const visible = this.feed.visibleRevision();
    while (this.cursor <= visible) {
      const entry = this.feed.entryAt(this.cursor);
      if (!entry || entry.events.some((e) => this.matches(e))) return true;
      this.cursor++;
    }
    return false;
  }

  private take(): WatchMessage | undefined {
    if (!this.hasMessage()) return undefined;
    const entry = this.cursor >= this.feed.floor() ? this.feed.entryAt(this.cursor) : undefined;
    if (!entry) {
      const message: WatchMessage = { kind: 'compacted', compactRevision: this.feed.floor() };
      this.end();
      return message;
    }
    this.cursor++;
    const events = entry.events.filter((e) => this.matches(e)).map((e) => this.present(e));
    return { kind: 'events', revision: entry.revision, events };
  }

  private matches(event: WatchEvent): boolean {
    return (event.type === 'put' ? event.kv.key : event.key).startsWith(this.prefix);
  }

  /** Copies what the consumer gets, so it cannot alter the shared history. */
  private present(event: WatchEvent): WatchEvent {
    const prevKv = this.options.prevKv && event.prevKv ? { ...event.prevKv } : undefined;
    if (event.type === 'put') {
      return prevKv ? { type: 'put', kv: { ...event.kv }, prevKv } : { type: 'put', kv: { ...event.kv } };
    }
    const base = { type: 'delete' as const, key: event.key, modRevision: event.modRevision };
    return prevKv ? { ...base, prevKv } : base;
  }
}
