import { type FileHandle, open } from 'node:fs/promises';
import { GroupCommit } from './group-commit.js';

/**
 * Makes created, renamed and removed names durable, which fsync of the files alone does not.
 *
 * Group commit: an fsync of a directory covers every change made to it before the fsync began, so
 * callers that arrive while one runs share the next one instead of queueing one each (eight
 * concurrent uploads cost about two directory fsyncs, not eight). Every caller still waits for an
 * fsync that started after it called.
 */
export function syncDir(dir: string): Promise<void> {
  let syncs = dirSyncs.get(dir);
  if (!syncs) {
    syncs = new GroupCommit<void>(() => fsyncDir(dir));
    dirSyncs.set(dir, syncs);
  }
  return syncs.submit();
}

const dirSyncs = new Map<string, GroupCommit<void>>();

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `data` at the handle's position (append mode: the end). */
export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const { bytesWritten } = await handle.write(data, at, data.length - at);
    at += bytesWritten;
  }
}

/** Writes all of `chunks`, in order, at the handle's position: one system call for the lot when it can. */
export async function writeAllv(handle: FileHandle, chunks: readonly Buffer[]): Promise<void> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const { bytesWritten } = await handle.writev(chunks as Buffer[]);
  if (bytesWritten === total) return;
  // A short write (rare on regular files): the rest one chunk at a time.
  let skip = bytesWritten;
  for (const chunk of chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    await writeAll(handle, skip > 0 ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
}
