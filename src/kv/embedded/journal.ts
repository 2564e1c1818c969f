import { type FileHandle, open, unlink } from 'node:fs/promises';
import { syncDir, writeAll } from '../../util/fs.js';
import type { KvLogger } from '../kv-logger.js';
import { type DirListing, listDataDir, snapshotPath, walPath } from './files.js';
import { encodeFrames } from './frames.js';
import { encodeRecord, type LogRecord } from './records.js';
import { type SnapshotData, writeSnapshot } from './snapshot.js';

export interface JournalOptions {
  dir: string;
  logger: KvLogger;
  /** The log is compacted into a snapshot once it exceeds this and twice the live data. */
  snapshotMinLogBytes: number;
}

/** After a failed snapshot, wait this long before trying again (the log stays valid meanwhile). */
const SNAPSHOT_RETRY_MS = 60_000;

/**
 * The durable side of the store: appends records to the current log segment and fsyncs them, and
 * compacts the log into snapshots. Compaction rotates to a new segment at a moment when everything
 * written is durable, then writes the snapshot of that moment in the background and deletes the
 * segments it replaces; until the snapshot is in place, the old snapshot plus all segments still
 * describe the data, so a crash at any step loses nothing.
 */
export class Journal {
  /** Bytes of log that a restart would replay (all segments since the newest snapshot). */
  private logBytes: number;
  private snapshotting: Promise<void> | undefined;
  private retryAt = 0;
  /** Bytes of the current segment that were synced: everything after them was never acknowledged. */
  private syncedBytes: number;

  private constructor(
    private readonly options: JournalOptions,
    private handle: FileHandle,
    private seq: number,
    logBytes: number,
    syncedBytes: number,
  ) {
    this.logBytes = logBytes;
    this.syncedBytes = syncedBytes;
  }

  /** Continues segment `seq` after its first `validBytes` (anything past them is a torn tail). */
  static async open(
    options: JournalOptions,
    seq: number,
    validBytes: number,
    logBytes: number,
  ): Promise<Journal> {
    const path = walPath(options.dir, seq);
    const handle = await open(path, 'a');
    try {
      if ((await handle.stat()).size !== validBytes) {
        await handle.truncate(validBytes);
        await handle.sync();
      }
      await syncDir(options.dir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new Journal(options, handle, seq, logBytes, validBytes);
  }

  /** Appends and syncs; the records are durable when this resolves. */
  async append(records: readonly LogRecord[]): Promise<void> {
    const data = encodeFrames(records.map(encodeRecord));
    await writeAll(this.handle, data);
    await this.handle.datasync();
    this.logBytes += data.length;
    this.syncedBytes += data.length;
  }

  /**
   * After a failed append: cuts the segment back to what was synced and closes it. A write cut
   * short by a full disk leaves part of a batch behind, possibly whole records of it; none was
   * acknowledged, and none may be replayed as if it had been. Shrinking a file needs no free space.
   */
  async rewind(): Promise<void> {
    await this.snapshotting;
    await this.handle.close().catch(() => undefined);
    // A fresh handle, so that a rewind that failed half-way can simply be called again.
    const handle = await open(walPath(this.options.dir, this.seq), 'r+');
    try {
      await handle.truncate(this.syncedBytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Call only when everything appended is durable and nothing is being appended. Starts a
   * snapshot when the log has grown well beyond the data it describes.
   */
  async maybeSnapshot(liveBytes: number, capture: (seq: number) => SnapshotData): Promise<void> {
    if (this.snapshotting || Date.now() < this.retryAt) return;
    if (this.logBytes < Math.max(this.options.snapshotMinLogBytes, 2 * liveBytes)) return;
    const seq = this.seq + 1;
    let next: FileHandle;
    try {
      next = await open(walPath(this.options.dir, seq), 'a');
      await syncDir(this.options.dir);
    } catch (err) {
      this.retryAt = Date.now() + SNAPSHOT_RETRY_MS;
      this.options.logger.error(
        { err },
        'embedded kv: cannot start a new log segment; staying on the current one',
      );
      return;
    }
    await this.handle.close();
    this.handle = next;
    this.seq = seq;
    this.syncedBytes = 0;
    const data = capture(seq);
    const replaced = this.logBytes;
    this.snapshotting = this.writeSnapshot(data, replaced).finally(() => {
      this.snapshotting = undefined;
    });
  }

  /** Waits for a snapshot in progress and closes the segment. */
  async close(): Promise<void> {
    await this.snapshotting;
    await this.handle.close();
  }

  private async writeSnapshot(data: SnapshotData, replacedBytes: number): Promise<void> {
    const { dir, logger } = this.options;
    const started = Date.now();
    try {
      await writeSnapshot(dir, data);
      this.logBytes -= replacedBytes;
      await removeBefore(dir, await listDataDir(dir), data.seq);
      logger.info(
        { revision: data.revision, keys: data.kvs.length, ms: Date.now() - started, replacedBytes },
        'embedded kv: log compacted into a snapshot',
      );
    } catch (err) {
      this.retryAt = Date.now() + SNAPSHOT_RETRY_MS;
      logger.error(
        { err },
        'embedded kv: writing a snapshot failed; the log keeps growing until it succeeds',
      );
    }
  }
}

/** Deletes segments and snapshots that the snapshot `seq` makes unnecessary. */
export async function removeBefore(dir: string, listing: DirListing, seq: number): Promise<void> {
  const stale = [
    ...listing.walSeqs.filter((s) => s < seq).map((s) => walPath(dir, s)),
    ...listing.snapshotSeqs.filter((s) => s < seq).map((s) => snapshotPath(dir, s)),
    ...listing.tempFiles,
  ];
  if (stale.length === 0) return;
  for (const path of stale) await unlink(path).catch(() => undefined);
  await syncDir(dir);
}
