import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeAll } from '../util/fs.js';
import { SizeLimitError } from './errors.js';

export interface ReceiveOptions {
  /** More bytes than this fail the receive with `SizeLimitError`; exactly this many are fine. */
  maxBytes: number;
  signal?: AbortSignal;
  /** A file of at most this many bytes is also handed back in memory, to be read without the disk. */
  keepBytes?: number;
}

export interface Received {
  sha256: string;
  size: number;
  /** The whole file, when it is no larger than `keepBytes`. */
  bytes?: Buffer;
}

/**
 * Streams `source` into a new file at `file`, hashing in the same pass, and fsyncs it. The sink
 * takes one chunk at a time, so memory stays flat whatever the size. On any failure `source` is
 * destroyed and `file` removed.
 */
export async function receiveInto(
  source: Readable,
  file: string,
  options: ReceiveOptions,
): Promise<Received> {
  const { maxBytes, signal, keepBytes = 0 } = options;
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative number, not ${maxBytes}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'wx');
    const meter: Meter = { hash: createHash('sha256'), size: 0, kept: keepBytes > 0 ? [] : undefined };
    await pipeline(source, fileSink(handle, maxBytes, keepBytes, meter), { signal });
    await handle.sync();
    await handle.close();
    const { kept } = meter;
    const bytes = kept && (kept.length === 1 ? kept[0] : Buffer.concat(kept, meter.size));
    return { sha256: meter.hash.digest('hex'), size: meter.size, ...(bytes && { bytes }) };
  } catch (err) {
    source.destroy();
    // close() waits for a write still in flight, so the file cannot reappear after the rm.
    await handle?.close().catch(() => undefined);
    await rm(file, { force: true });
    throw signal?.aborted && isAbortError(err) ? signal.reason : err;
  }
}

interface Meter {
  hash: Hash;
  size: number;
  /** The chunks so far, until the file outgrows `keepBytes`. */
  kept: Buffer[] | undefined;
}

function fileSink(handle: FileHandle, maxBytes: number, keepBytes: number, meter: Meter): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // Checked before writing, so an over-limit chunk is never written even in part.
      if (meter.size + chunk.length > maxBytes) {
        callback(new SizeLimitError(maxBytes));
        return;
      }
      meter.size += chunk.length;
      meter.hash.update(chunk);
      if (meter.size > keepBytes) meter.kept = undefined;
      else meter.kept?.push(chunk);
      writeAll(handle, chunk).then(() => callback(), callback);
    },
  });
}

function isAbortError(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'AbortError';
}
