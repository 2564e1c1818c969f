import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../graphql/context.js';
import { isPollable, type PollableIterator } from '../../util/pollable.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** An operation's stream as the graphql-ws server may send it directly (../ws-direct.ts). */
export interface SharedStream {
  /** The source's events, taken as they come; the enveloped result stream reads the same source. */
  readonly events: PollableIterator<unknown>;
  /** What was taken from `events` and not sent: the enveloped stream's next read answers with it. */
  readonly handBack: (taken: Taken<unknown>) => void;
  /** The result of an event, shared as below. */
  readonly resultOf: (event: unknown) => Result;
}

/** An event, the end, or the source's failure, as taken from it. */
export type Taken<T> = IteratorResult<T, undefined> | { error: unknown };

/** Per operation, by its context object (one per graphql-ws or HTTP operation). */
const sharedStreams = new WeakMap<object, SharedStream>();

/** The shared stream of the subscription run with `contextValue`, if this plugin made it. */
export function sharedStreamOf(contextValue: unknown): SharedStream | undefined {
  return isObject(contextValue) ? sharedStreams.get(contextValue) : undefined;
}

/**
 * Subscription events are executed once per event object and operation, not once per subscriber.
 *
 * A source that hands the same event object to many subscribers (one install log followed by a
 * thousand dashboards) would otherwise have every subscriber run the same resolvers over the same
 * data. Here the result is kept with the event (a WeakMap, so it goes when the event does) under a
 * key of everything the result depends on: the document, the operation, the variables and the role
 * (scope-auth decides by role alone). Subscribers that differ in any of those get their own result;
 * events that are not shared simply miss. Results are not mutated downstream (error masking copies),
 * so sharing one object is safe. The graphql-ws server goes one step further and sends such results
 * without the per-subscriber chain of iterators (`sharedStreamOf`, ../ws-direct.ts).
 */
export function useSharedResults(): Plugin<GraphQLContext> {
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
        const source = stream[Symbol.asyncIterator]();
        const events = pushBack(source);
        const resultOf = (event: unknown) =>
          resultFor(event, key, () => execute({ ...args, rootValue: event }));
        if (isObject(args.contextValue) && isPollable(source))
          sharedStreams.set(args.contextValue, { events: source, handBack: events.pushBack, resultOf });
        return mapEvents(events, resultOf);
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

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

export function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return isObject(value) && Symbol.asyncIterator in value;
}

/**
 * graphql-js's own mapping of events to results, by hand rather than as an async generator: a
 * generator waiting for the next event would hold back `return()` (the client unsubscribing) until
 * that event came, and the source's cancellation with it.
 */
function mapEvents<T, U>(
  events: AsyncIterator<T>,
  map: (event: T) => U | Promise<U>,
): AsyncIterableIterator<U> {
  const done = { done: true, value: undefined } as IteratorReturnResult<undefined>;
  const iterator: AsyncIterableIterator<U> = {
    // Without async/await: every subscriber not sent to directly takes this step per event, and each
    // await is a hop.
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

/** An event iterator that can be handed back what a reader took from it and did not use. */
interface PushBackIterator<T> extends AsyncIterator<T> {
  /** The next `next()` answers with `taken` instead of reading the source. */
  pushBack(taken: Taken<T>): void;
}

function pushBack<T>(source: AsyncIterator<T>): PushBackIterator<T> {
  let back: Taken<T> | undefined;
  return {
    next: () => {
      const taken = back;
      back = undefined;
      if (!taken) return source.next();
      return 'error' in taken ? Promise.reject(taken.error) : Promise.resolve(taken);
    },
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error?: unknown) => source.throw?.(error) ?? Promise.reject(error),
    pushBack: (taken) => {
      back = taken;
    },
  };
}
