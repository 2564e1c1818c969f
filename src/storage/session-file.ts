import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createSHA256 } from 'hash-wasm';
import { syncDir } from '../util/fs.js';
import { isNotFound } from './errors.js';
import { Appender, type AppendOutcome } from './session-append.js';

export type { AppendOutcome } from './session-append.js';
export { SessionSizeError } from './session-append.js';

/**
 * The partial file of a resumable upload and its checkpoint, side by side in the storage's temp
 * area (same file system, so the finished file is renamed into place, never copied).
 *
 * The SHA-256 is computed as bytes arrive (hash-wasm, whose hasher state can be saved and loaded).
 * A checkpoint is the offset and the hasher state at that offset, written only once the bytes up
 * to it are fsync'd: at the end of every append, every `CHECKPOINT_BYTES` during a long one, and
 * when the sender goes away. The checkpoint is the truth: bytes past it (a crash between a write
 * and its checkpoint) are cut off when the next append starts, so a restarted seghub resumes
 * without reading back a byte it had received.
 */

export interface Checkpoint {
  /** Bytes received and covered by `hashState`. */
  readonly offset: number;
  /** hash-wasm SHA-256 state after `offset` bytes, base64. */
  readonly hashState: string;
}

export interface AppendOptions {
  /** The file may not grow past this many bytes (the session's declared size). */
  readonly maxSize: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The offset moved since the caller read it: another request appended meanwhile. */
export class OffsetMismatchError extends Error {
  override name = 'OffsetMismatchError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the upload is at offset ${actual}, not ${expected}`);
  }
}

export class SessionFiles {
  constructor(readonly dir: string) {}

  dataPath(id: string): string {
    return path.join(this.dir, `${checkedId(id)}.part`);
  }

  private statePath(id: string): string {
    return path.join(this.dir, `${checkedId(id)}.state`);
  }

  /** An empty file and a checkpoint at offset 0. */
  async create(id: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const handle = await open(this.dataPath(id), 'wx');
    await handle.close();
    const hasher = await createSHA256();
    hasher.init();
    await this.saveCheckpoint(id, 0, hasher.save());
  }

  /** The last checkpoint, or undefined when the session has no files (removed, or never created here). */
  async checkpoint(id: string): Promise<Checkpoint | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.statePath(id), 'utf8')) as Checkpoint;
      if (!Number.isSafeInteger(parsed.offset) || typeof parsed.hashState !== 'string') {
        throw new Error(`${this.statePath(id)} is not a checkpoint`);
      }
      return parsed;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Appends `source` at `offset`, which must be the checkpoint's. A failing source or write ends
   * the append with the last checkpoint it reached (`error` says why); a failing checkpoint rejects.
   */
  async append(
    id: string,
    offset: number,
    source: AsyncIterable<Buffer>,
    { maxSize }: AppendOptions,
  ): Promise<AppendOutcome> {
    const start = await this.checkpoint(id);
    if (!start) throw Object.assign(new Error(`upload ${id} has no files`), { code: 'ENOENT' });
    if (start.offset !== offset) throw new OffsetMismatchError(offset, start.offset);
    const hasher = await createSHA256();
    hasher.load(Buffer.from(start.hashState, 'base64'));
    const handle = await open(this.dataPath(id), 'a');
    try {
      // Bytes past the checkpoint were never vouched for: a crash came between them and it.
      await handle.truncate(offset);
      return await new Appender(this, id, handle, hasher, offset, maxSize).run(source);
    } finally {
      await handle.close();
    }
  }

  /** The SHA-256 of the bytes up to the checkpoint, from the saved state (no byte is read). */
  async digest(id: string): Promise<{ offset: number; sha256: string } | undefined> {
    const cp = await this.checkpoint(id);
    if (!cp) return undefined;
    const hasher = await createSHA256();
    hasher.load(Buffer.from(cp.hashState, 'base64'));
    return { offset: cp.offset, sha256: hasher.digest('hex') };
  }

  /**
   * Cuts the data file to its checkpoint and hands it over (the caller renames it away). The
   * checkpoint stays until `remove`: a completion that fails for a reason other than the file
   * (the store went away) hands the file back with `restore`, and the session can be completed again.
   */
  async release(id: string): Promise<string> {
    const cp = await this.checkpoint(id);
    const data = this.dataPath(id);
    if (cp) {
      const handle = await open(data, 'r+');
      try {
        await handle.truncate(cp.offset);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return data;
  }

  /** Puts a released data file back in its session. */
  async restore(id: string, from: string): Promise<void> {
    await rename(from, this.dataPath(id));
    await syncDir(this.dir);
  }

  /** Whether the session has its data file here (not released, or restored). */
  async holds(id: string): Promise<boolean> {
    return (await stat(this.dataPath(id)).catch(() => undefined)) !== undefined;
  }

  /**
   * Every session with a file here (its partial file, or only its checkpoint: one released by a
   * completion that a crash cut short), and when that file last changed.
   */
  async list(): Promise<{ id: string; changedAt: Date }[]> {
    const names = await readdir(this.dir).catch((err: unknown) => {
      if (isNotFound(err)) return [];
      throw err;
    });
    const sessions = new Map<string, Date>();
    for (const name of names) {
      const id = name.endsWith('.part')
        ? name.slice(0, -5)
        : name.endsWith('.state')
          ? name.slice(0, -6)
          : '';
      const stats = id ? await stat(path.join(this.dir, name)).catch(() => undefined) : undefined;
      if (!stats) continue;
      const seen = sessions.get(id);
      if (!seen || stats.mtime > seen) sessions.set(id, stats.mtime);
    }
    return [...sessions].map(([id, changedAt]) => ({ id, changedAt }));
  }

  /** Removes both files; safe more than once. */
  async remove(id: string): Promise<void> {
    await Promise.all([rm(this.dataPath(id), { force: true }), rm(this.statePath(id), { force: true })]);
  }

  /** Written to a fresh name, fsync'd, then renamed over the old one: a crash leaves one whole checkpoint. */
  async saveCheckpoint(id: string, offset: number, hashState: Uint8Array): Promise<void> {
    const file = this.statePath(id);
    const fresh = `${file}.new`;
    const state = Buffer.from(hashState).toString('base64');
    const handle = await open(fresh, 'w');
    try {
      await handle.writeFile(JSON.stringify({ offset, hashState: state } satisfies Checkpoint));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(fresh, file);
    await syncDir(this.dir);
  }
}

function checkedId(id: string): string {
  if (!SESSION_ID.test(id)) throw new RangeError(`not an upload session id: ${JSON.stringify(id)}`);
  return id;
}
