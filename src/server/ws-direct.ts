import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { SharedStream } from './shared-results.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const CLOSE_BRACE = Buffer.from('}');

/** Each shared result's payload as JSON, made once for all the sockets it goes to. */
const payloads = new WeakMap<ExecutionResult, Buffer>();

/**
 * Sends a subscription's results from its shared stream straight to its socket.
 *
 * graphql-ws would pull every result of every subscription through its own chain of async
 * iterators: the event source, the result mapping, envelop's three result wrappers (error masking,
 * metrics, end and error hooks), graphql-ws's loop and its send. With a thousand subscribers on one
 * install log that chain, not the socket writes, was most of the fan-out (bench subscribe-1k). For a
 * result without errors every one of those hooks does nothing, so such results are written here: one
 * serialisation per result, then one frame per socket, each send waiting for the one before as
 * graphql-ws's own loop does.
 *
 * Everything else goes back to `results`, the enveloped stream graphql-ws would have read, which
 * then reads on from the same source: a result with errors (masked and counted there), a source that
 * fails or ends (its end hooks run and graphql-ws sends `complete`). Closing this iterator closes
 * that stream, which ends the source and runs those hooks too.
 */
export function deliverDirectly(
  results: AsyncIterable<ExecutionResult>,
  stream: SharedStream,
  socket: WebSocket,
  id: string,
): AsyncIterableIterator<ExecutionResult> {
  const enveloped = results[Symbol.asyncIterator]();
  const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  let state: 'direct' | 'enveloped' | 'closed' = 'direct';
  let direct: Promise<void> | undefined;
  // A function, not the variable: `return()` may close it while the loop below awaits.
  const closed = () => state === 'closed';

  /** Sends results until one is not for this path; leaves that one (or the failure) for `enveloped`. */
  const run = async (): Promise<void> => {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await stream.events.next();
      } catch (error) {
        stream.events.pushBack(() => Promise.reject(error));
        return;
      }
      if (closed() || next.done) return;
      const event = next.value;
      let result: ExecutionResult | undefined;
      try {
        // Most results are made by the first subscriber to reach the event; an await would add a hop to each.
        const shared = stream.resultOf(event);
        result = shared instanceof Promise ? await shared : shared;
      } catch {
        // Left undefined: the enveloped stream maps the event again, to the same failure, and reports it.
      }
      if (closed()) return;
      if (!result || result.errors?.length) {
        stream.events.pushBack(() => Promise.resolve({ done: false, value: event }));
        return;
      }
      await send(socket, head, result);
    }
  };

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => {
      if (state === 'enveloped') return enveloped.next();
      if (closed()) return Promise.resolve(DONE);
      direct ??= run().then(
        () => {
          if (state === 'direct') state = 'enveloped';
        },
        async (error: unknown) => {
          await iterator.return?.();
          throw error;
        },
      );
      return direct.then(() => (closed() ? DONE : enveloped.next()));
    },
    return: async () => {
      if (closed()) return DONE;
      state = 'closed';
      await enveloped.return?.();
      return DONE;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** graphql-ws's `next` message for `result`, sent as its own send would; resolves once written. */
function send(socket: WebSocket, head: Buffer, result: ExecutionResult): Promise<void> {
  // As graphql-ws's ws adapter: a socket already closing takes nothing, and its close ends the operation.
  if (socket.readyState !== WebSocket.OPEN) return Promise.resolve();
  let payload = payloads.get(result);
  if (!payload) {
    payload = Buffer.from(JSON.stringify(result));
    payloads.set(result, payload);
  }
  const message = Buffer.concat([head, payload, CLOSE_BRACE], head.length + payload.length + 1);
  return new Promise((resolve, reject) =>
    socket.send(message, { binary: false }, (error) => (error ? reject(error) : resolve())),
  );
}
