import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';

/**
 * graphql-ws serialises every `next` message on its own, so one result sent to a thousand
 * subscribers (see shared-results.ts) is turned into JSON a thousand times: a third of the CPU in
 * bench subscribe-1k. Here each result's payload is serialised once and spliced into each message:
 *
 * 1. `onNext` hands graphql-ws the same payload object for the same result;
 * 2. the message replacer serialises that payload once (memoized on it) and leaves a marker in its
 *    place, remembering the JSON;
 * 3. the socket class swaps the marker for that JSON as the message is sent. graphql-ws serialises a
 *    message and hands it to the socket in one synchronous step, so "the JSON just made" is the one.
 *
 * The payload is the last member of a `next` message, after the client-chosen `id`: only a message
 * ending in exactly the marker member is spliced, which no id can forge.
 */
const MARKER = '\u0000seghub:payload';
const MARKER_MEMBER = `"payload":${JSON.stringify(MARKER)}}`;

interface SharedPayload {
  readonly value: Record<string, unknown>;
  bytes?: Buffer;
}

const payloads = new WeakMap<ExecutionResult, SharedPayload>();
const byValue = new WeakMap<object, SharedPayload>();
let spliced: Buffer | undefined;
const CLOSE_BRACE = 0x7d;

/** For graphql-ws's `onNext`: the payload graphql-ws would build, one object per result. */
export function sharedNextPayload(result: ExecutionResult): Record<string, unknown> {
  let shared = payloads.get(result);
  if (!shared) {
    const { errors, ...rest } = result;
    // What graphql-ws sends by itself: errors through toJSON, omitted when there are none.
    const value = errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest;
    shared = { value };
    payloads.set(result, shared);
    byValue.set(value, shared);
  }
  return shared.value;
}

/** For graphql-ws's `jsonMessageReplacer`. */
export function payloadReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
  const shared = byValue.get(value);
  if (!shared || (this as { type?: unknown }).type !== 'next') return value;
  shared.bytes ??= Buffer.from(JSON.stringify(shared.value));
  spliced = shared.bytes;
  return MARKER;
}

/** The connection class for the WebSocketServer: splices the payload into each `next` message. */
export class PayloadSplicingWebSocket extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    const payload = spliced;
    spliced = undefined;
    const send = super.send as (...args: unknown[]) => void;
    if (payload === undefined || typeof data !== 'string' || !data.endsWith(MARKER_MEMBER)) {
      send.call(this, data, ...rest);
      return;
    }
    // Bytes, not a string: the payload is encoded once, and copied once per socket.
    const head = `${data.slice(0, -MARKER_MEMBER.length)}"payload":`;
    const headBytes = Buffer.byteLength(head);
    const message = Buffer.allocUnsafe(headBytes + payload.length + 1);
    message.write(head, 0, headBytes);
    payload.copy(message, headBytes);
    message[message.length - 1] = CLOSE_BRACE;
    const callback = rest.find((arg) => typeof arg === 'function');
    send.call(this, message, { binary: false }, callback);
  }
}
