import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  DownloadSegmentResponse,
  Segment as PbSegment,
  SegmentServiceClient,
} from './generated/seghub/sdp/v1/segments.js';
import { IdleWatchdog } from './idle-watchdog.js';
import { SdpProtocolError } from './mapping.js';

export interface DownloadOptions {
  idleMs: number;
  signal?: AbortSignal;
}

/** The downloaded bytes are not the file the platform described: worth another try. */
export class DownloadMismatchError extends Error {
  override name = 'DownloadMismatchError';
}

/**
 * Streams a segment's file into `destPath`, hashing as it writes; the stream is paused whenever the
 * disk is behind, so memory stays flat whatever the size. Resolves once the bytes are on disk and
 * match the size and SHA-256 the platform announced; on any failure `destPath` is removed.
 */
export async function downloadFile(
  client: SegmentServiceClient,
  uid: string,
  destPath: string,
  options: DownloadOptions,
): Promise<PbSegment> {
  options.signal?.throwIfAborted();
  const call = client.downloadSegment({ uid, offset: 0 });
  const stop = new AbortController();
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
    call.cancel();
    stop.abort(err);
  };
  const watchdog = new IdleWatchdog(options.idleMs, () => fail(watchdog.timeoutError()));
  const onAbort = () => fail(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const hash = createHash('sha256');
  let header: PbSegment | undefined;
  let received = 0;
  const unwrap = new Transform({
    writableObjectMode: true,
    transform(message: DownloadSegmentResponse, _encoding, callback) {
      watchdog.touch();
      const payload = message.payload;
      if (payload?.$case === 'segment' && header === undefined && received === 0) {
        header = payload.value;
        callback();
      } else if (payload?.$case === 'chunk' && header !== undefined) {
        hash.update(payload.value);
        received += payload.value.length;
        callback(null, payload.value);
      } else {
        callback(new SdpProtocolError('download stream must be one segment message, then chunks'));
      }
    },
  });

  watchdog.start();
  try {
    await pipeline(call, unwrap, createWriteStream(destPath), { signal: stop.signal });
    const segment = checkReceived(header, received, hash.digest('hex'));
    await fsync(destPath);
    return segment;
  } catch (err) {
    // A local failure (disk full, a bad message) must not leave the platform streaming to nobody.
    call.cancel();
    await rm(destPath, { force: true });
    throw failure ?? err;
  } finally {
    watchdog.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function checkReceived(header: PbSegment | undefined, received: number, sha256: string): PbSegment {
  if (header === undefined) throw new SdpProtocolError('download stream ended before the segment message');
  if (received !== header.size) {
    throw new DownloadMismatchError(`received ${received} bytes of ${header.size}`);
  }
  if (sha256 !== header.sha256) {
    throw new DownloadMismatchError(`received bytes hash to ${sha256}, not ${header.sha256}`);
  }
  return header;
}

async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
