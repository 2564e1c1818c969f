import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeAll } from '../../util/fs.js';
import type { KvLogger } from '../kv-logger.js';

/**
 * After a failed log write (a full disk, most often) the store refuses everything, since memory
 * may hold a batch that is not on disk. It heals itself: once a probe shows the directory writable
 * again, `reopen` throws the memory away and rebuilds it from disk, as a restart would, minus the
 * restart. The probe keeps a failing disk from being re-read every second.
 */
export interface HealOptions {
  dir: string;
  intervalMs: number;
  logger: KvLogger;
  /** Aborted when the store closes: healing stops. */
  signal: AbortSignal;
  reopen: () => Promise<void>;
}

/** Room for a batch or two of records; `*.tmp` so a crash leftover is removed at the next start. */
const PROBE_BYTES = 256 * 1024;
const PROBE_NAME = 'space-probe.tmp';

/** Resolves once reopened (true), or when the store closed first (false). */
export async function healWhenWritable(options: HealOptions): Promise<boolean> {
  const { dir, intervalMs, logger, signal } = options;
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      return false;
    }
    if (!(await writable(dir))) continue;
    try {
      await options.reopen();
      logger.info({ attempt }, 'embedded kv: recovered after a failed log write; serving again');
      return true;
    } catch (err) {
      logger.warn({ err, attempt }, 'embedded kv: reopening after a failed log write failed; will try again');
    }
  }
  return false;
}

/** Whether a probe file of `PROBE_BYTES` can be written and synced in `dir` (and then removed). */
async function writable(dir: string): Promise<boolean> {
  const path = join(dir, PROBE_NAME);
  try {
    const handle = await open(path, 'w');
    try {
      await writeAll(handle, Buffer.alloc(PROBE_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await rm(path, { force: true }).catch(() => undefined);
  }
}
