/**
 * An async iterator whose events can also be taken without a promise: `poll()` answers with what is
 * ready now, and `onReady(wake)` asks to be called, once, when there may be more. A consumer that
 * takes one event for each of a thousand readers (a subscription fan-out) does so in one synchronous
 * pass instead of a promise, a resumption and a tick per reader.
 *
 * A reader is used one way at a time: either `next()`, or `poll()` with `onReady()`.
 */
export interface PollableIterator<T> extends AsyncIterableIterator<T> {
  /** The next event, the end, or undefined when neither is there yet; throws the source's failure. */
  poll(): IteratorResult<T, undefined> | undefined;
  /**
   * `wake` is called once, synchronously, when an event, the end or a failure arrives (or the reader
   * leaves). It runs inside the source's delivery to every reader, so it must not throw.
   */
  onReady(wake: () => void): void;
}

export function isPollable<T>(iterator: AsyncIterator<T>): iterator is PollableIterator<T> {
  const candidate = iterator as Partial<PollableIterator<T>>;
  return typeof candidate.poll === 'function' && typeof candidate.onReady === 'function';
}
