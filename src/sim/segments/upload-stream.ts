import type {
  CreateSegmentHeader,
  CreateSegmentRequest,
} from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { invalidArgument } from '../status.js';
import type { IncomingFile } from './incoming-file.js';
import { MAX_CHUNK_BYTES } from './segment-rules.js';

/**
 * The messages of one CreateSegment call: a gRPC call stream (a Readable, so an async iterable)
 * or, in tests and when seeding a simulator, a plain array.
 */
export type CreateRequests = AsyncIterable<CreateSegmentRequest> | Iterable<CreateSegmentRequest>;

export type RequestIterator = AsyncIterator<CreateSegmentRequest> | Iterator<CreateSegmentRequest>;

/**
 * Pulls messages one at a time. On a call stream this is the backpressure: the next message is read
 * only after the previous chunk reached the file, grpc-js stops reading once its small object buffer
 * is full, and HTTP/2 flow control then holds the sender, so memory stays bounded for any size.
 */
export function iteratorOf(requests: CreateRequests): RequestIterator {
  return Symbol.asyncIterator in requests ? requests[Symbol.asyncIterator]() : requests[Symbol.iterator]();
}

export async function readHeader(messages: RequestIterator): Promise<CreateSegmentHeader> {
  const first = await messages.next();
  if (first.done) throw invalidArgument('the stream ended before the header');
  const payload = first.value.payload;
  if (payload?.$case !== 'header') throw invalidArgument('the first message must carry the header');
  return payload.value;
}

/** Writes every chunk up to the caller's half-close into `file`. */
export async function receiveBody(messages: RequestIterator, file: IncomingFile): Promise<void> {
  for (;;) {
    const next = await messages.next();
    if (next.done) return;
    const payload = next.value.payload;
    if (payload?.$case !== 'chunk') throw invalidArgument('only chunks may follow the header');
    if (payload.value.length > MAX_CHUNK_BYTES) {
      throw invalidArgument(
        `a chunk carries ${payload.value.length} bytes; at most ${MAX_CHUNK_BYTES} are allowed`,
      );
    }
    await file.write(payload.value);
  }
}

/**
 * grpc-js reports a caller's reset (RST_STREAM) first as a half-close and a moment later as a
 * cancel. One turn of the event loop tells the two apart, so a cancelled upload is neither judged
 * a short body nor, when all its bytes had arrived, committed.
 */
export async function confirmHalfClose(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}
