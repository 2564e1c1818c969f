import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncDir, writeAll } from '../../util/fs.js';
import { invalidArgument } from '../status.js';

/**
 * The file of one upload in progress: bytes go to a temp file under `incoming/` and into a running
 * SHA-256, and only a complete, verified file is renamed into place.
 */
export class IncomingFile {
  readonly path: string;
  private readonly hash = createHash('sha256');
  private handle: Promise<FileHandle> | undefined;
  private received = 0;

  constructor(
    incomingDir: string,
    private readonly expected: { size: number; sha256: string },
  ) {
    this.path = path.join(incomingDir, randomBytes(16).toString('hex'));
  }

  get bytesReceived(): number {
    return this.received;
  }

  /** Appends a chunk; INVALID_ARGUMENT once the bytes exceed the announced size. */
  async write(chunk: Buffer): Promise<void> {
    if (this.received + chunk.length > this.expected.size) {
      throw invalidArgument(
        `the chunks carry more than the ${this.expected.size} bytes the header announced`,
      );
    }
    this.received += chunk.length;
    this.hash.update(chunk);
    await writeAll(await this.file(), chunk);
  }

  /**
   * Checks size and hash, then makes the file durable at `destination`: fsync the data, rename,
   * fsync the directory, so a crash never leaves a segment recorded without its bytes.
   */
  async moveTo(destination: string): Promise<void> {
    if (this.received !== this.expected.size) {
      throw invalidArgument(
        `the chunks carried ${this.received} bytes; the header announced ${this.expected.size}`,
      );
    }
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.sha256) {
      throw invalidArgument(
        `the bytes hash to sha256 ${actual}; the header announced ${this.expected.sha256}`,
      );
    }
    const handle = await this.file();
    await handle.sync();
    await this.close();
    await rename(this.path, destination);
    await syncDir(path.dirname(destination));
  }

  /** Removes the temp file; safe at any point, and more than once. */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  /** Opened on first use, so an upload rejected by its header never touches the disk. */
  private file(): Promise<FileHandle> {
    this.handle ??= open(this.path, 'wx');
    return this.handle;
  }

  private async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}
