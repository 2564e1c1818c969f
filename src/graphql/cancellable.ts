import { isPollable } from '../util/pollable.js';

/**
 * graphql-js ends a subscription by calling `return()` on its iterator, but an async generator
 * suspended in an `await` only sees that call at its next `yield` — an idle subscription would
 * linger until some unrelated event arrived. This wrapper also aborts a signal the source waits
 * on, so unsubscribing frees its resources at once.
 */
export function cancellable<T>(
  source: (signal: AbortSignal) => AsyncIterator<T, undefined>,
): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const events = source(controller.signal);
  const iterator: AsyncIterableIterator<T> = {
    next: () => events.next(),
    return: async () => {
      controller.abort();
      return (await events.return?.(undefined)) ?? { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      controller.abort();
      if (!events.throw) throw error;
      return events.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  // A source that can be polled stays so (ws-direct.ts takes its events that way).
  if (isPollable(events))
    return Object.assign(iterator, {
      poll: () => events.poll(),
      onReady: (wake: () => void) => events.onReady(wake),
    });
  return iterator;
}
