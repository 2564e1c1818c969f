import type { Compare } from '../../kv/kv.js';
import { SegmentInstalledError, SegmentInUseError, SegmentNotFoundError } from '../../model/errors.js';
import { parseSegmentId } from '../../model/segment-identity.js';
import type { SegmentRecords, StoredSegment } from '../../records/segment-records.js';
import type { FileStorage, RemoveOutcome } from '../../storage/file-storage.js';
import { deleteFailed, deleteRequested } from './delete-state.js';
import type { SyncFailure, SyncRetryPolicy } from './sync-state.js';

/** Which files records name, as of every write acknowledged before the question (`SegmentCatalog`). */
export interface FileUsage {
  fileInUse(sha256: string): Promise<boolean>;
  filesInUse(): Promise<Set<string>>;
}

export interface SegmentDeletionOptions {
  records: SegmentRecords;
  files: FileUsage;
  storage: FileStorage;
  retry: SyncRetryPolicy;
  now: () => Date;
}

export interface Removal {
  /** False when the record changed since it was read (nothing was removed): re-read and decide again. */
  removed: boolean;
  /** What became of the file; undefined when the record was not removed. */
  file?: RemoveOutcome;
}

/**
 * Deleting segments (SPEC flow 4): the API's request, and the controller's outcome — a failure to
 * record, or the removal of the record with everything that hangs off it once SDP no longer has it.
 */
/** Why a segment must stay (a desired version, a rollout's way back, D6); undefined when nothing holds it. */
export type SegmentInUseCheck = (segmentId: string) => Promise<string | undefined>;

export class SegmentDeletion {
  private readonly inUseChecks: SegmentInUseCheck[] = [];

  constructor(private readonly options: SegmentDeletionOptions) {}

  /** Areas built on segments (desired versions, rollouts) register what keeps a segment from deletion. */
  addInUseCheck(check: SegmentInUseCheck): void {
    this.inUseChecks.push(check);
  }

  /**
   * The decision order: unknown → SEGMENT_NOT_FOUND; already PROCESSING → as it is (no second
   * request); installed on a seat or an install running → SEGMENT_INSTALLED; a desired version or
   * what a rollout would return seats to → SEGMENT_IN_USE (D6); otherwise PROCESSING,
   * written only if nothing of that changed since it was read. FAILED is retried the same way.
   */
  async request(id: string): Promise<StoredSegment> {
    const { records } = this.options;
    for (;;) {
      const current = parseSegmentId(id) ? await records.get(id) : undefined;
      if (!current) throw new SegmentNotFoundError(id);
      if (current.record.deleteStatus === 'PROCESSING') return current;
      const install = await records.installState(id);
      if (install.seats.length > 0 || install.installRunning) {
        throw new SegmentInstalledError(id, install.seats.length, install.installRunning);
      }
      for (const check of this.inUseChecks) {
        const reason = await check(id);
        if (reason !== undefined) throw new SegmentInUseError(id, reason);
      }
      const written = await records.markDeleting(
        current,
        deleteRequested(current.record),
        install.seatsModRevision,
      );
      if (written) return written;
    }
  }

  /**
   * One attempt failed: retried later, or FAILED. Written only if the record is exactly as the
   * attempt read it (a create-sync recording a uid meanwhile means the attempt must be made again).
   */
  recordFailure(
    segment: StoredSegment,
    failure: SyncFailure,
    guard: Compare[],
  ): Promise<StoredSegment | undefined> {
    const { records, retry, now } = this.options;
    return records.update(segment, deleteFailed(segment.record, failure, retry, now()), guard);
  }

  /**
   * SDP no longer has the segment: the record goes with its seat list, install records and logs in
   * one transaction; then the file, unless another record uses the same bytes.
   */
  async remove(segment: StoredSegment, guard: Compare[]): Promise<Removal> {
    const { records, storage, files } = this.options;
    if (!(await records.removeWithDependents(segment, guard))) return { removed: false };
    const { sha256 } = segment.record;
    const file = await storage.remove(sha256, () => files.fileInUse(sha256));
    return { removed: true, file };
  }

  /**
   * Removes stored files no record names: what a crash between a removal's transaction and its file
   * removal left behind (nothing else does, since writers record first and place the file after).
   */
  async removeOrphanFiles(): Promise<string[]> {
    const { storage, files } = this.options;
    const used = await files.filesInUse();
    const removed: string[] = [];
    for (const sha256 of await storage.files()) {
      if (used.has(sha256)) continue;
      if ((await storage.remove(sha256, () => files.fileInUse(sha256))) === 'removed') removed.push(sha256);
    }
    return removed;
  }
}
