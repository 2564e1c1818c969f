import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import type { CreateSegmentResponse, SegmentServiceClient } from './generated/seghub/sdp/v1/segments.js';
import { IdleWatchdog } from './idle-watchdog.js';
import { toPbFormat } from './mapping.js';
import type { CreateSegmentInput } from './types.js';

/** The contract allows up to 1 MiB per chunk; 256 KiB keeps memory low without costing throughput. */
const CHUNK_BYTES = 256 * 1024;

export interface UploadOptions {
  deadline: Date;
  idleMs: number;
  signal?: AbortSignal;
  /** Called after each chunk is handed to gRPC with the bytes sent so far. */
  onProgress?: (bytesSent: number) => void;
}

/**
 * Streams a file to CreateSegment: the header, then the file in chunks, reading no faster than the
 * platform accepts (gRPC's flow control shows as `write()` returning false). The platform may answer
 * right after the header (an idempotent replay); reading stops there.
 */
export async function uploadFile(
  client: SegmentServiceClient,
  input: CreateSegmentInput,
  filePath: string,
  options: UploadOptions,
): Promise<CreateSegmentResponse> {
  const { size } = await stat(filePath);
  if (size !== input.size) throw new Error(`${filePath} holds ${size} bytes, not the ${input.size} declared`);
  options.signal?.throwIfAborted();

  return new Promise((resolve, reject) => {
    const done = new AbortController();
    const watchdog = new IdleWatchdog(options.idleMs, () => {
      call.cancel();
      settle(watchdog.timeoutError());
    });
    const onAbort = () => {
      call.cancel();
      settle(options.signal?.reason);
    };
    const settle = (err: unknown, response?: CreateSegmentResponse) => {
      if (done.signal.aborted) return;
      done.abort();
      watchdog.stop();
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(response as CreateSegmentResponse);
    };
    const call = client.createSegment(
      new Metadata(),
      { deadline: options.deadline },
      (err: ServiceError | null, response?: CreateSegmentResponse) => settle(err, response),
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    watchdog.start();

    const pump = async () => {
      const { format, ...header } = input;
      call.write({ payload: { $case: 'header', value: { ...header, format: toPbFormat(format) } } });
      let sent = 0;
      const file = createReadStream(filePath, { highWaterMark: CHUNK_BYTES, signal: done.signal });
      for await (const chunk of file as AsyncIterable<Buffer>) {
        watchdog.touch();
        if (!call.write({ payload: { $case: 'chunk', value: chunk } })) {
          await once(call, 'drain', { signal: done.signal });
        }
        sent += chunk.length;
        options.onProgress?.(sent);
      }
      call.end();
      watchdog.touch();
    };
    pump().catch((err: unknown) => {
      // Aborted because the call already ended (an early answer, a cancel): the answer stands.
      if (done.signal.aborted) return;
      call.cancel();
      settle(err);
    });
  });
}
