import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { SharedStream, Taken } from './plugins/use-shared-results.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const CLOSE_BRACE = 0x7d;

/** Each shared result's payload as JSON, made once for all the sockets it goes to. */
const payloads = new WeakMap<ExecutionResult, Buffer>();

type Next = IteratorResult<ExecutionResult, undefined>;

/**
 * Sends a subscription's results from its shared stream straight to its socket.
 *
 * graphql-ws would pull every result of every subscription through its own chain of async
 * iterators: the event source, the result mapping, envelop's three result wrappers (error masking,
 * metrics, end and error hooks), graphql-ws's loop and its send. With a thousand subscribers on one
 * install log that chain, not the socket writes, was most of the fan-out (bench subscribe-1k). For a
 * result without errors every one of those hooks does nothing, so such results are written here, as
 * the source delivers them: it wakes every subscriber in one synchronous pass, each takes its event
 * (`poll`), and the result is serialised once and framed per socket. A subscriber whose last frame
 * is not yet written takes its next event once it is, as graphql-ws's own loop would.
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
  const frames = new Frames(Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`));
  let state: 'idle' | 'direct' | 'enveloped' | 'closed' = 'idle';
  // graphql-ws's `next()`, unanswered for as long as results go directly.
  let pending:
    | { resolve: (next: Next | Promise<Next>) => void; reject: (error: unknown) => void }
    | undefined;

  const answer = (next: () => Next | Promise<Next>) => {
    const waiting = pending;
    pending = undefined;
    waiting?.resolve(next());
  };
  const handBack = (taken: Taken<unknown>) => {
    stream.handBack(taken);
    state = 'enveloped';
    answer(() => enveloped.next());
  };
  const close = async (): Promise<Next> => {
    if (state === 'closed') return DONE;
    state = 'closed';
    answer(() => DONE);
    await enveloped.return?.();
    return DONE;
  };
  const fail = (error: unknown) => {
    const waiting = pending;
    pending = undefined;
    // The write's failure is what graphql-ws hears of; closing only ends the source and its hooks.
    close().catch(() => undefined);
    waiting?.reject(error);
  };

  /** Sends `result`; false when the rest must wait (a write in progress) or is no longer direct. */
  const deliver = (event: unknown, result: ExecutionResult | undefined): boolean => {
    if (state !== 'direct') return false;
    if (!result || result.errors?.length) {
      // Undefined: making it failed, and the enveloped stream, mapping the event again, reports that.
      handBack({ done: false, value: event });
      return false;
    }
    const writing = send(socket, frames, result);
    if (!writing) return true;
    writing.then(drain, fail);
    return false;
  };

  /** Takes and sends what the source has ready; the source calls it again when there is more. */
  const drain = (): void => {
    try {
      for (let more = true; more && state === 'direct'; ) more = takeOne();
    } catch (error) {
      // Runs inside the source's delivery to every subscriber: a fault here ends this one alone.
      fail(error);
    }
  };

  /** Takes one event and sends its result; false when there is nothing more to do for now. */
  const takeOne = (): boolean => {
    let next: IteratorResult<unknown, undefined> | undefined;
    try {
      next = stream.events.poll();
    } catch (error) {
      handBack({ error });
      return false;
    }
    if (!next) {
      stream.events.onReady(drain);
      return false;
    }
    if (next.done) {
      handBack(next);
      return false;
    }
    const event = next.value;
    let result: ExecutionResult | Promise<ExecutionResult> | undefined;
    try {
      result = stream.resultOf(event);
    } catch {
      result = undefined;
    }
    if (!(result instanceof Promise)) return deliver(event, result);
    result
      .then(
        (made) => deliver(event, made) && drain(),
        () => deliver(event, undefined),
      )
      .catch(fail);
    return false;
  };

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => {
      if (state === 'enveloped') return enveloped.next();
      if (state === 'closed') return Promise.resolve(DONE);
      const next = new Promise<Next>((resolve, reject) => {
        pending = { resolve, reject };
      });
      if (state === 'idle') {
        state = 'direct';
        drain();
      }
      return next;
    },
    return: close,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * graphql-ws's `next` message for `result`, sent as its own send would. Returns a promise of the
 * write only while the socket still holds part of it: a frame the kernel took whole needs no
 * waiting, and a thousand subscribers each waiting for a written frame was a promise and a
 * resumption each per event.
 */
function send(socket: WebSocket, frames: Frames, result: ExecutionResult): Promise<void> | undefined {
  // As graphql-ws's ws adapter: a socket already closing takes nothing, and its close ends the operation.
  if (socket.readyState !== WebSocket.OPEN) return undefined;
  let payload = payloads.get(result);
  if (!payload) {
    payload = Buffer.from(JSON.stringify(result));
    payloads.set(result, payload);
  }
  let settle: ((error?: Error) => void) | undefined;
  // ws and node's streams call back on a later tick, never during `send`: `settle` is set by then.
  socket.send(frames.next(payload), { binary: false }, (error) => settle?.(error));
  // ws counts what its sender and the socket's stream still hold; 0 means it all reached the kernel.
  if (socket.bufferedAmount === 0) return undefined;
  return new Promise((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
}

/**
 * One subscription's `next` frames, built in one buffer reused from frame to frame. Reuse is safe
 * because a frame is sent only once the one before it is written (see `send`); a fresh 9 KiB
 * buffer per subscriber and event was 9 MiB of garbage per event at a thousand subscribers.
 */
class Frames {
  private buffer = Buffer.alloc(0);

  constructor(private readonly head: Buffer) {}

  next(payload: Buffer): Buffer {
    const size = this.head.length + payload.length + 1;
    if (this.buffer.length < size) {
      // Room to grow: install logs get longer event by event.
      this.buffer = Buffer.allocUnsafe(Math.ceil(size * 1.25));
      this.head.copy(this.buffer, 0);
    }
    payload.copy(this.buffer, this.head.length);
    this.buffer[size - 1] = CLOSE_BRACE;
    return this.buffer.subarray(0, size);
  }
}
