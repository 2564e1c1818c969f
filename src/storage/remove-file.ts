import { rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from '../util/fs.js';
import { isNotFound } from './errors.js';
import { stagedName } from './names.js';

export type RemoveOutcome = 'removed' | 'kept' | 'absent';

/** What the removal needs of the storage it removes from. */
export interface RemoveTarget {
  readonly dir: string;
  readonly tmpDir: string;
  pathOf(sha256: string): string;
}

/**
 * Removes the file named `sha256` unless a record uses it, without racing a record that starts to
 * use it meanwhile (a re-upload of the same bytes, a remote sync adopting them).
 *
 * Writers create their record first and place their own copy of the bytes after, so checking the
 * records once is not enough: a record created between the check and the unlink would have lost its
 * file if its writer had placed it before. So the file is first moved aside, the records checked
 * again, and only then unlinked — or moved back when a record appeared. The aside name is a staged
 * name: if the process dies in between, the storage sweep finishes the job (places the file when a
 * record names it, removes it otherwise).
 */
export async function removeUnlessReferenced(
  target: RemoveTarget,
  sha256: string,
  isReferenced: () => Promise<boolean>,
): Promise<RemoveOutcome> {
  if (await isReferenced()) return 'kept';
  const final = target.pathOf(sha256);
  const aside = path.join(target.tmpDir, stagedName(sha256));
  try {
    // A fresh mtime: the sweep leaves young temp files alone while this runs.
    const now = new Date();
    await utimes(final, now, now);
    await rename(final, aside);
  } catch (err) {
    if (isNotFound(err)) return 'absent';
    throw err;
  }
  if (await isReferenced().catch(async (err) => restoreAndThrow(target, final, aside, err))) {
    await restore(target, final, aside);
    return 'kept';
  }
  await rm(aside, { force: true });
  await syncDir(target.dir);
  return 'removed';
}

/** Moves the file back. A writer may have placed the same bytes there meanwhile: replacing them changes nothing. */
async function restore(target: RemoveTarget, final: string, aside: string): Promise<void> {
  try {
    await rename(aside, final);
    await syncDir(target.dir);
  } catch (err) {
    // The sweep got to it first: it placed the file (a record names it) or there is nothing to keep.
    if (!isNotFound(err)) throw err;
  }
}

async function restoreAndThrow(
  target: RemoveTarget,
  final: string,
  aside: string,
  err: unknown,
): Promise<never> {
  // Not knowing whether a record appeared, keeping the file is the safe side.
  await restore(target, final, aside);
  throw err;
}
