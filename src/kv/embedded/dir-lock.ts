import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreLockedError } from './errors.js';

/** How long an unreadable lock file is presumed to be still in the middle of being written. */
const HALF_WRITTEN_GRACE_MS = 2000;
const BEING_WRITTEN = -1;

interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
}

/**
 * An exclusive claim on a data directory: a LOCK file created with O_EXCL that names the owning
 * process. A lock left by a process that no longer exists on this host is taken over, so a crash
 * needs no manual cleanup. Two processes taking over the same stale lock at the same instant could
 * both succeed; the re-read after creating narrows that window to a few microseconds.
 */
export class DirLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string): Promise<DirLock> {
    const path = join(dir, 'LOCK');
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryCreate(path)) return new DirLock(path);
      const owner = await readOwner(path);
      if (owner === undefined) continue; // removed meanwhile, or never written completely: retry
      if (owner.pid === BEING_WRITTEN) {
        throw new StoreLockedError(
          `data directory ${dir} is being opened by another process (lock file ${path})`,
        );
      }
      if (isAlive(owner)) {
        const who = owner.pid === process.pid ? 'this process' : `process ${owner.pid} on ${owner.hostname}`;
        throw new StoreLockedError(`data directory ${dir} is in use by ${who} (lock file ${path})`);
      }
      await unlink(path).catch(ignoreMissing);
    }
    throw new StoreLockedError(`could not take the lock ${path}: it keeps changing`);
  }

  async release(): Promise<void> {
    const owner = await readOwner(this.path);
    if (owner?.pid === process.pid) await unlink(this.path).catch(ignoreMissing);
  }
}

async function tryCreate(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
    await handle.writeFile(JSON.stringify(owner));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return (await readOwner(path))?.pid === process.pid;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.hostname === 'string') return owner as LockOwner;
  } catch {
    // Unreadable: either being written right now, or left half-written by a killed process.
  }
  const modified = await stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  if (modified === undefined) return undefined;
  if (Date.now() - modified < HALF_WRITTEN_GRACE_MS)
    return { pid: BEING_WRITTEN, hostname: hostname(), since: '' };
  return { pid: 0, hostname: hostname(), since: '' };
}

/** Only processes on this host can be checked; a lock from another host is assumed live. */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  if (owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
