import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../graphql/context.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Subscription events are executed once per event object and operation, not once per subscriber.
 *
 * A source that hands the same event object to many subscribers (one install log followed by a
 * thousand dashboards) would otherwise have every subscriber run the same resolvers over the same
 * data. Here the result is kept with the event (a WeakMap, so it goes when the event does) under a
 * key of everything the result depends on: the document, the operation, the variables and the role
 * (scope-auth decides by role alone). Subscribers that differ in any of those get their own result;
 * events that are not shared simply miss. Results are not mutated downstream (error masking copies),
 * so sharing one object is safe.
 */
export function sharedSubscriptionResults(): Plugin<GraphQLContext> {
  const results = new WeakMap<object, Map<string, Result>>();
  const resultFor = (event: unknown, key: string, run: () => Result): Result => {
    if (typeof event !== 'object' || event === null) return run();
    let byKey = results.get(event);
    if (!byKey) {
      byKey = new Map();
      results.set(event, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = run();
      byKey.set(key, result);
    }
    return result;
  };
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        const key = operationKey(args);
        return mapEvents(stream, (event) =>
          resultFor(event, key, () => execute({ ...args, rootValue: event })),
        );
      });
    },
  };
}

function operationKey(args: ExecutionArgs): string {
  const context = args.contextValue as Partial<GraphQLContext> | undefined;
  return JSON.stringify([
    context?.principal?.role ?? null,
    args.operationName ?? null,
    args.variableValues ?? null,
    args.document.loc?.source.body ?? print(args.document),
  ]);
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * graphql-js's own mapping of events to results, by hand rather than as an async generator: a
 * generator waiting for the next event would hold back `return()` (the client unsubscribing) until
 * that event came, and the source's cancellation with it.
 */
function mapEvents<T, U>(
  source: AsyncIterable<T>,
  map: (event: T) => U | Promise<U>,
): AsyncIterableIterator<U> {
  const events = source[Symbol.asyncIterator]();
  const done = { done: true, value: undefined } as IteratorReturnResult<undefined>;
  const iterator: AsyncIterableIterator<U> = {
    // Without async/await: a thousand subscribers take this step per event, and each await is a hop.
    next: () =>
      events.next().then((next): IteratorResult<U> | Promise<IteratorResult<U>> => {
        if (next.done) return done;
        const value = map(next.value);
        return value instanceof Promise
          ? value.then((v) => ({ done: false, value: v }))
          : { done: false, value };
      }),
    async return() {
      await events.return?.();
      return done;
    },
    async throw(error?: unknown) {
      if (events.throw) await events.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
