import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeAllv } from '../util/fs.js';
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
 * Streams `source` into a new file at `file`, hashing in the same pass, and fsyncs it. While one
 * write is in flight the sink gathers what arrives, up to `SINK_BYTES`, and writes it with one
 * `writev`: big writes without copying chunks together, and memory that stays flat whatever the
 * size. On any failure `source` is destroyed and `file` removed.
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

/** What the sink gathers while a write is in flight before it holds the source back. */
const SINK_BYTES = 1024 * 1024;

interface Meter {
  hash: Hash;
  size: number;
  /** The chunks so far, until the file outgrows `keepBytes`. */
  kept: Buffer[] | undefined;
}

function fileSink(handle: FileHandle, maxBytes: number, keepBytes: number, meter: Meter): Writable {
  return new FileSink(handle, (chunk) => {
    // Checked as the chunk arrives, so an over-limit chunk is never written even in part and the
    // source is held to the limit, not to the limit plus what the sink had gathered.
    if (meter.size + chunk.length > maxBytes) return new SizeLimitError(maxBytes);
    meter.size += chunk.length;
    meter.hash.update(chunk);
    if (meter.size > keepBytes) meter.kept = undefined;
    else meter.kept?.push(chunk);
    return undefined;
  });
}

/**
 * Takes each chunk as it arrives and writes what gathered while the previous write was in flight
 * with one `writev`. The source is held back only once `SINK_BYTES` wait.
 */
class FileSink extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;
  private failure: Error | undefined;
  /** The callback of the chunk that filled the sink: called once a write has landed. */
  private held: ((error?: Error | null) => void) | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly take: (chunk: Buffer) => Error | undefined,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const refused = this.failure ?? this.take(chunk);
    if (refused) {
      callback(refused);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (!this.inFlight) this.flush();
    if (this.pendingBytes < SINK_BYTES) callback();
    else this.held = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    const drained = async () => {
      // Each landed write starts the next one while chunks wait: follow the chain to its end.
      while (this.inFlight) await this.inFlight;
      if (this.failure) throw this.failure;
    };
    drained().then(() => callback(), callback);
  }

  private flush(): void {
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight = writeAllv(this.handle, chunks).then(
      () => {
        this.inFlight = undefined;
        if (this.pending.length > 0) this.flush();
        this.release();
      },
      (error: Error) => {
        this.inFlight = undefined;
        this.failure = error;
        this.release(error);
      },
    );
  }

  private release(error?: Error): void {
    const held = this.held;
    this.held = undefined;
    held?.(error);
  }
}

function isAbortError(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'AbortError';
}
