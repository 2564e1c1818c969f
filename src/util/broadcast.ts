import type { PollableIterator } from './pollable.js';

/**
 * One source of states read by many readers, each at its own pace. Every reader is handed the very
 * same event objects, so work keyed by an event (a GraphQL result, say) is done once for all of them.
 *
 * Events are deltas: a reader must see all of them, in order, or a complete state. A reader that
 * joins late, or falls `maxBacklog` events behind, gets `catchUp(latest)` in place of what it missed;
 * that object too is made once per event and shared.
 */
export interface BroadcastOptions<T> {
  /** A complete state built from the latest event. */
  readonly catchUp: (latest: T) => T;
  readonly maxBacklog: number;
  /** Called once, when the source has ended or the last reader has left. */
  readonly onClose: () => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

interface Reader<T> {
  queue: T[];
  left: boolean;
  /** Set while the reader waits in `next()`. */
  waiting?: { resolve: (result: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void };
  /** Set while the reader waits to be woken (`onReady`). */
  wake?: () => void;
  unlisten?: () => void;
}

export class Broadcast<T> {
  private readonly readers = new Set<Reader<T>>();
  private readonly abort = new AbortController();
  private latest?: { event: T; catchUp?: T };
  private ended = false;
  private failure?: { error: unknown };
  private closed = false;

  constructor(
    source: (signal: AbortSignal) => AsyncIterable<T>,
    private readonly options: BroadcastOptions<T>,
  ) {
    void this.pump(source(this.abort.signal));
  }

  /** Whether a new reader may still join (the source has not ended and readers remain). */
  get open(): boolean {
    return !this.closed;
  }

  /**
   * The events from now on, starting with the current state when there is one. The reader joins at
   * once (not at its first `next()`), and leaves when `signal` aborts or its iteration ends; a
   * `next()` pending then ends at once. One `next()` at a time, as `for await` calls it.
   *
   * An iterator by hand rather than an async generator: a thousand readers take every event, and a
   * generator's `yield` adds promise hops per reader (bench subscribe-1k). It can be polled as well,
   * which spares those readers a promise each per event.
   */
  read(signal: AbortSignal): PollableIterator<T> {
    const reader: Reader<T> = { queue: this.latest ? [this.catchUpEvent()] : [], left: false };
    this.readers.add(reader);
    const onAbort = () => this.leave(reader);
    if (signal.aborted) this.leave(reader);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      reader.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    const iterator: PollableIterator<T> = {
      poll: () => this.take(reader),
      onReady: (wake) => {
        reader.wake = wake;
      },
      next: () => {
        try {
          const result = this.take(reader);
          if (result) return Promise.resolve(result);
        } catch (error) {
          return Promise.reject(error);
        }
        return new Promise((resolve, reject) => (reader.waiting = { resolve, reject }));
      },
      return: () => {
        this.leave(reader);
        return Promise.resolve(DONE);
      },
      throw: (error?: unknown) => {
        this.leave(reader);
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** The reader's next result; undefined while there is none yet; throws the source's failure. */
  private take(reader: Reader<T>): IteratorResult<T, undefined> | undefined {
    if (reader.left) return DONE;
    const next = reader.queue.shift();
    if (next !== undefined) return { done: false, value: next };
    if (this.failure) {
      this.detach(reader);
      throw this.failure.error;
    }
    if (this.ended) {
      this.detach(reader);
      return DONE;
    }
    return undefined;
  }

  /** Hands a waiting reader what `take` has for it, if anything; wakes a reader that asked. */
  private settle(reader: Reader<T>): void {
    const wake = reader.wake;
    if (wake) {
      reader.wake = undefined;
      wake();
    }
    const waiting = reader.waiting;
    if (!waiting) return;
    let result: IteratorResult<T, undefined> | undefined;
    try {
      result = this.take(reader);
    } catch (error) {
      reader.waiting = undefined;
      waiting.reject(error);
      return;
    }
    if (!result) return;
    reader.waiting = undefined;
    waiting.resolve(result);
  }

  private leave(reader: Reader<T>): void {
    this.detach(reader);
    this.settle(reader);
  }

  private detach(reader: Reader<T>): void {
    if (reader.left) return;
    reader.left = true;
    reader.unlisten?.();
    this.readers.delete(reader);
    if (this.readers.size === 0 && !this.ended) this.stop();
  }

  private async pump(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const event of source) this.publish(event);
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.close();
      for (const reader of this.readers) this.settle(reader);
    }
  }

  private publish(event: T): void {
    this.latest = { event };
    for (const reader of this.readers) {
      if (reader.queue.length >= this.options.maxBacklog) reader.queue = [this.catchUpEvent()];
      else reader.queue.push(event);
    }
    for (const reader of this.readers) this.settle(reader);
  }

  private catchUpEvent(): T {
    const latest = this.latest as { event: T; catchUp?: T };
    latest.catchUp ??= this.options.catchUp(latest.event);
    return latest.catchUp;
  }

  /** No reader left: the source stops; a reader arriving later starts a new broadcast. */
  private stop(): void {
    this.close();
    this.abort.abort();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.onClose();
  }
}
