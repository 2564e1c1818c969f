import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { handleServerStreamingCall, ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from '../../logger.js';
import type {
  DownloadSegmentRequest,
  DownloadSegmentResponse,
} from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { statusFor } from '../handlers.js';
import { notFound, outOfRange } from '../status.js';
import type { SegmentStore } from './segment-store.js';

type DownloadCall = ServerWritableStream<DownloadSegmentRequest, DownloadSegmentResponse>;

const CHUNK_BYTES = 256 * 1024;

/** DownloadSegment: the segment, then its bytes from `offset`, read from disk as the caller takes them. */
export function downloadHandler(
  store: SegmentStore,
  logger: Logger,
): handleServerStreamingCall<DownloadSegmentRequest, DownloadSegmentResponse> {
  return (call) => {
    sendSegment(call, store).then(
      () => {
        if (!call.cancelled) call.end();
      },
      (err: unknown) => {
        // grpc-js turns an 'error' event on a server stream into the call's status.
        if (!call.cancelled) call.emit('error', statusFor(logger, 'DownloadSegment', err));
      },
    );
  };
}

async function sendSegment(call: DownloadCall, store: SegmentStore): Promise<void> {
  const { uid, offset } = call.request;
  const segment = store.get(uid);
  if (!segment) throw notFound(`no segment with uid ${uid}`);
  if (offset > segment.size) {
    throw outOfRange(`offset ${offset} is past the end of the ${segment.size}-byte file`);
  }
  // Opened before the first message: from here on a concurrent delete cannot cut the download short.
  const handle = await openSegmentFile(store.filePath(uid), uid);
  try {
    await send(call, { payload: { $case: 'segment', value: segment } });
    let position = offset;
    while (position < segment.size && !call.cancelled) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, segment.size - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) throw new Error(`segment file ${uid} is shorter than its recorded size`);
      position += bytesRead;
      await send(call, { payload: { $case: 'chunk', value: buffer.subarray(0, bytesRead) } });
    }
  } finally {
    await handle.close();
  }
}

async function openSegmentFile(file: string, uid: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (err) {
    // Deleted between the lookup and the open.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`no segment with uid ${uid}`);
    throw err;
  }
}

/** Writes one message; when the call's buffer is full, waits until it drains or the call ends. */
async function send(call: DownloadCall, message: DownloadSegmentResponse): Promise<void> {
  if (call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    call.on('cancelled', done);
    if (call.cancelled || call.destroyed) done();
  });
}
