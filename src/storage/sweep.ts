import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { isNotFound } from './errors.js';
import { parseStagedName } from './names.js';
import type { StagedFile } from './staged-file.js';

export interface SweepOptions {
  /** Younger files are left alone: another process sharing the directory may be writing them. */
  graceMs: number;
  /** Whether a record names this file, so it must be placed rather than thrown away. */
  isReferenced: (staged: StagedFile) => boolean | Promise<boolean>;
  /** Entries of the temp directory that are never swept (upload sessions expire on their own terms). */
  keep?: readonly string[];
}

export interface SweepResult {
  removed: number;
  placed: number;
}

/** What the sweep needs of the storage it cleans. */
export interface SweepTarget {
  readonly tmpDir: string;
  has(sha256: string): Promise<boolean>;
  place(staged: StagedFile): Promise<string>;
}

type Outcome = 'kept' | 'removed' | 'placed';

/**
 * Cleans what a crash left in the temp directory. A staged file is complete and hashed; if a record
 * already names it, the crash came between writing the record and moving the file into place, so
 * the move is finished here. Everything else old enough is removed.
 */
export async function sweepTemp(
  target: SweepTarget,
  options: SweepOptions,
  log: Logger,
): Promise<SweepResult> {
  const now = Date.now();
  const result: SweepResult = { removed: 0, placed: 0 };
  const placedSha256: string[] = [];
  try {
    for (const name of await readdir(target.tmpDir)) {
      if (options.keep?.includes(name)) continue;
      const outcome = await sweepEntry(target, name, options, now);
      if (outcome === 'removed') result.removed++;
      if (outcome === 'placed') {
        result.placed++;
        placedSha256.push(parseStagedName(name)!);
      }
    }
  } finally {
    // Logged even when a later entry failed, so what was already done is on record.
    if (result.removed + result.placed > 0) {
      log.info({ ...result, placedSha256, dir: target.tmpDir }, 'swept segment temp files');
    }
  }
  return result;
}

async function sweepEntry(
  target: SweepTarget,
  name: string,
  options: SweepOptions,
  now: number,
): Promise<Outcome> {
  const file = path.join(target.tmpDir, name);
  try {
    const stats = await lstat(file);
    const sha256 = parseStagedName(name);
    // A record already names it, whatever its age: placing it is the step its writer did not get
    // to, and the record's readers wait for it.
    if (sha256 !== undefined && stats.isFile()) {
      const staged = { path: file, sha256, size: stats.size };
      if (!(await target.has(sha256)) && (await options.isReferenced(staged))) {
        await target.place(staged);
        return 'placed';
      }
    }
    if (now - stats.mtimeMs < options.graceMs) return 'kept';
    await rm(file, { recursive: true, force: true });
    return 'removed';
  } catch (err) {
    // Another process sweeping the same directory got there first.
    if (isNotFound(err)) return 'kept';
    throw err;
  }
}
