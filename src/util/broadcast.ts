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

interface Reader<T> {
  queue: T[];
  wake?: () => void;
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
   * once (not at its first `next()`), and leaves when `signal` aborts or its iteration ends.
   */
  read(signal: AbortSignal): AsyncGenerator<T> {
    const reader: Reader<T> = { queue: this.latest ? [this.catchUpEvent()] : [] };
    this.readers.add(reader);
    const leave = () => {
      if (!this.readers.delete(reader)) return;
      reader.wake?.();
      if (this.readers.size === 0 && !this.ended) this.stop();
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    return this.iterate(reader, signal, leave);
  }

  private async *iterate(reader: Reader<T>, signal: AbortSignal, leave: () => void): AsyncGenerator<T> {
    try {
      for (;;) {
        const next = reader.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.failure) throw this.failure.error;
        if (this.ended || signal.aborted) return;
        await new Promise<void>((resolve) => (reader.wake = resolve));
        reader.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', leave);
      leave();
    }
  }

  private async pump(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const event of source) this.publish(event);
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.close();
      for (const reader of this.readers) reader.wake?.();
    }
  }

  private publish(event: T): void {
    this.latest = { event };
    for (const reader of this.readers) {
      if (reader.queue.length >= this.options.maxBacklog) reader.queue = [this.catchUpEvent()];
      else reader.queue.push(event);
      reader.wake?.();
    }
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
