import type { FileHandle } from 'node:fs/promises';
import type { IHasher } from 'hash-wasm';
import { writeAllv } from '../util/fs.js';

/** Bytes between checkpoints within one append: what a crash mid-append can cost the sender. */
const CHECKPOINT_BYTES = 32 * 1024 * 1024;
/** Bytes gathered while a write is in flight before the next one starts. */
const WRITE_BYTES = 1024 * 1024;

export interface AppendOutcome {
  /** The checkpointed offset after the append. */
  readonly offset: number;
  /** Why the append stopped early (the source failed, or a write did); the bytes before `offset` are kept. */
  readonly error?: unknown;
}

/** An append would pass the declared size. */
export class SessionSizeError extends Error {
  override name = 'SessionSizeError';
}

/** Where an append saves its checkpoints (`SessionFiles`). */
export interface CheckpointWriter {
  saveCheckpoint(id: string, offset: number, hashState: Uint8Array): Promise<void>;
}

/**
 * One append: hashes each chunk as it arrives and writes what gathered while the previous write
 * was in flight with one `writev` (on libuv's threads, beside the hashing), so memory stays near
 * `WRITE_BYTES` whatever the size. A checkpoint within the append runs beside the receiving too:
 * it fsyncs (which covers every byte written before it, later ones as well) and saves the state
 * taken at its offset.
 */
export class Appender {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private received: number;
  private sinceCheckpoint = 0;
  private checkpointed: number;
  private checkpointing: Promise<void> | undefined;

  constructor(
    private readonly files: CheckpointWriter,
    private readonly id: string,
    private readonly handle: FileHandle,
    private readonly hasher: IHasher,
    offset: number,
    private readonly maxSize: number,
  ) {
    this.received = offset;
    this.checkpointed = offset;
  }

  async run(source: AsyncIterable<Buffer>): Promise<AppendOutcome> {
    try {
      for await (const chunk of source) {
        if (this.received + chunk.length > this.maxSize) {
          throw new SessionSizeError(`the upload would pass its declared size of ${this.maxSize} bytes`);
        }
        this.hasher.update(chunk);
        this.received += chunk.length;
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (this.pendingBytes < WRITE_BYTES) continue;
        await this.write();
        // Right after a write was issued, every byte received is written or being written.
        if (this.sinceCheckpoint >= CHECKPOINT_BYTES && !this.checkpointing) this.checkpointBeside();
      }
      await this.checkpoint();
    } catch (error) {
      return this.stop(error);
    }
    return { offset: this.checkpointed };
  }

  /** Waits for the write in flight (holding the source back), then starts the next one. */
  private async write(): Promise<void> {
    await this.inFlight;
    const chunks = this.pending;
    this.sinceCheckpoint += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight = writeAllv(this.handle, chunks);
    // Failure is seen by whoever awaits it next; not an unhandled rejection meanwhile.
    this.inFlight.catch(() => {});
  }

  /** A checkpoint of everything received so far, taken while the append goes on. */
  private checkpointBeside(): void {
    const running = this.checkpointAt(this.received);
    this.checkpointing = running;
    // Its failure (a full disk) shows in the writes that follow, or in the final checkpoint.
    running.then(
      () => {
        this.checkpointing = undefined;
      },
      () => {
        this.checkpointing = undefined;
      },
    );
  }

  /** The final checkpoint: every byte received so far. */
  private async checkpoint(): Promise<void> {
    await this.checkpointing?.catch(() => {});
    if (this.pendingBytes > 0) await this.write();
    if (this.received === this.checkpointed) return;
    await this.checkpointAt(this.received);
  }

  /**
   * Called when nothing is pending: the hash state and the write chain are taken at once, so both
   * stand for exactly `offset` bytes, whatever arrives while the fsync runs.
   */
  private async checkpointAt(offset: number): Promise<void> {
    this.sinceCheckpoint = 0;
    const state = this.hasher.save();
    await this.inFlight;
    await this.handle.sync();
    await this.files.saveCheckpoint(this.id, offset, state);
    this.checkpointed = Math.max(this.checkpointed, offset);
  }

  /**
   * The source failed (the sender went away) or a write did. After a source failure everything
   * hashed is written or pending, so it is checkpointed; after a write failure the hash covers
   * bytes that never landed, so the last checkpoint stands.
   */
  private async stop(error: unknown): Promise<AppendOutcome> {
    await this.checkpointing?.catch(() => {});
    const writeFailed = await this.inFlight.then(
      () => false,
      () => true,
    );
    if (!writeFailed && !isWriteError(error)) {
      try {
        await this.checkpoint();
      } catch (checkpointError) {
        return { offset: this.checkpointed, error: checkpointError };
      }
    }
    return { offset: this.checkpointed, error };
  }
}

function isWriteError(error: unknown): boolean {
  return (
    typeof (error as NodeJS.ErrnoException | undefined)?.code === 'string' && 'syscall' in (error as object)
  );
}
