import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from '../logger.js';
import { syncDir } from '../util/fs.js';
import { isNotFound } from './errors.js';
import { assertSha256, isSha256, PART_SUFFIX, parseStagedName, partName, stagedName } from './names.js';
import { type ReceiveOptions, receiveInto } from './receive.js';
import { type RemoveOutcome, removeUnlessReferenced } from './remove-file.js';
import { SessionFiles } from './session-file.js';
import type { StagedFile } from './staged-file.js';
import { type SweepOptions, type SweepResult, sweepTemp } from './sweep.js';

// One module to import the storage from.
export { isOutOfSpace, SizeLimitError } from './errors.js';
export type { ReceiveOptions } from './receive.js';
export type { RemoveOutcome } from './remove-file.js';
export type { AppendOutcome, Checkpoint } from './session-file.js';
export { OffsetMismatchError } from './session-file.js';
export type { StagedFile } from './staged-file.js';
export type { SweepOptions, SweepResult } from './sweep.js';

export interface FileStorageOptions {
  logger: Logger;
}

const TMP = '.tmp';
/** Resumable uploads' partial files and checkpoints, inside the temp directory; the sweep leaves it alone. */
export const SESSIONS_DIR = 'uploads';

/** Creates the directory and its temp directory (inside it, so renames between them are atomic). */
export async function openFileStorage(dir: string, options: FileStorageOptions): Promise<FileStorage> {
  const storage = new FileStorage(path.resolve(dir), options.logger.child({ component: 'file-storage' }));
  await mkdir(storage.tmpDir, { recursive: true });
  return storage;
}

/**
 * Segment files, content-addressed: each is named by the lowercase hex SHA-256 of its bytes. Bytes
 * arrive in `.tmp` and only a complete, fsync'd file is renamed into place, so a reader never sees
 * a partial file under a final name.
 */
export class FileStorage {
  readonly tmpDir: string;
  /** Partial files of upload sessions; their lifetime is the sessions', not the sweep's. */
  readonly sessions: SessionFiles;

  constructor(
    readonly dir: string,
    private readonly log: Logger,
  ) {
    this.tmpDir = path.join(dir, TMP);
    this.sessions = new SessionFiles(path.join(this.tmpDir, SESSIONS_DIR));
  }

  /**
   * Streams `source` into a staged file. Over `maxBytes` rejects with `SizeLimitError`; that and
   * any other failure destroys `source` and leaves nothing behind.
   */
  async receive(source: Readable, options: ReceiveOptions): Promise<StagedFile> {
    const part = this.newTempPath('receive');
    const { sha256, size, bytes } = await receiveInto(source, part, options);
    return { ...(await this.stage(part, sha256)), size, ...(bytes && { bytes }) };
  }

  /**
   * Moves a staged file to its final name. Identical content may already be there; replacing it
   * changes nothing a reader could notice.
   */
  async place(staged: StagedFile): Promise<string> {
    this.assertStaged(staged);
    const final = this.pathOf(staged.sha256);
    try {
      await rename(staged.path, final);
    } catch (err) {
      // Someone else placed it first: the upload that staged it, or a reader recovering it.
      if (!isNotFound(err) || !(await this.has(staged.sha256))) throw err;
    }
    await syncDir(this.dir);
    return final;
  }

  /**
   * Whether the file for `sha256` is in place, placing its staged copy first if there is one: what
   * an upload that crashed between writing its record and moving its file leaves behind.
   */
  async ensurePlaced(sha256: string): Promise<boolean> {
    if (await this.has(sha256)) return true;
    const name = (await readdir(this.tmpDir)).find((entry) => parseStagedName(entry) === sha256);
    if (name === undefined) return this.has(sha256);
    const staged = path.join(this.tmpDir, name);
    try {
      await this.place({ path: staged, sha256, size: (await stat(staged)).size });
    } catch (err) {
      // Placed by its upload (or another reader) since the listing.
      if (!isNotFound(err)) throw err;
    }
    return this.has(sha256);
  }

  /** Removes a staged file; safe more than once. */
  async discard(staged: StagedFile): Promise<void> {
    this.assertStaged(staged);
    await rm(staged.path, { force: true });
  }

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.dir, sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== undefined;
  }

  /** The stored file's size in bytes, or undefined when there is none. */
  async size(sha256: string): Promise<number | undefined> {
    try {
      const stats = await stat(this.pathOf(sha256));
      return stats.isFile() ? stats.size : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** A fresh temp path for another writer; hand the finished file to `adoptTemp`. */
  newTempPath(label: string): string {
    return path.join(this.tmpDir, partName(label));
  }

  /**
   * Stages a file written to a `newTempPath` path. The caller vouches that its data is fsync'd and
   * hashes to `sha256` (a download checks both against what the platform announced).
   */
  async adoptTemp(tempPath: string, sha256: string): Promise<StagedFile> {
    assertSha256(sha256);
    if (path.dirname(tempPath) !== this.tmpDir || !tempPath.endsWith(PART_SUFFIX)) {
      throw new RangeError(`${tempPath} is not a temp path of ${this.dir}`);
    }
    const { size } = await stat(tempPath);
    return { ...(await this.stage(tempPath, sha256)), size };
  }

  /**
   * Stages an upload session's finished file: cut to its checkpoint, fsync'd, renamed within the
   * temp directory (no copy). The caller vouches that `sha256` is its checkpoint's digest.
   */
  async adoptSession(id: string, sha256: string): Promise<StagedFile> {
    assertSha256(sha256);
    const data = await this.sessions.release(id);
    const { size } = await stat(data);
    return { ...(await this.stage(data, sha256)), size };
  }

  /** The SHA-256 of every stored file. */
  async files(): Promise<string[]> {
    return (await readdir(this.dir)).filter(isSha256);
  }

  /**
   * Removes the file named `sha256` unless `isReferenced` says a record uses it, safe against a
   * writer that starts using the same bytes meanwhile; see `removeUnlessReferenced`.
   */
  remove(sha256: string, isReferenced: () => Promise<boolean>): Promise<RemoveOutcome> {
    return removeUnlessReferenced(this, sha256, isReferenced);
  }

  /** Cleans `.tmp` after a crash; see `sweepTemp`. */
  sweep(options: SweepOptions): Promise<SweepResult> {
    return sweepTemp(this, { ...options, keep: [SESSIONS_DIR] }, this.log);
  }

  /** The staged name is made durable too: a sweep may have to place it after a crash. */
  private async stage(part: string, sha256: string): Promise<{ path: string; sha256: string }> {
    const staged = path.join(this.tmpDir, stagedName(sha256));
    try {
      await rename(part, staged);
      await syncDir(this.tmpDir);
    } catch (err) {
      await Promise.all([rm(part, { force: true }), rm(staged, { force: true })]);
      throw err;
    }
    return { path: staged, sha256 };
  }

  /** A forged StagedFile must not rename or remove anything outside the temp directory. */
  private assertStaged(staged: StagedFile): void {
    const name = path.basename(staged.path);
    if (path.dirname(staged.path) !== this.tmpDir || parseStagedName(name) !== staged.sha256) {
      throw new RangeError(`${staged.path} is not a staged file of ${this.dir} for ${staged.sha256}`);
    }
  }
}
