import type { ManifestLimits } from '../../archive/read-manifest.js';
import type { Compare } from '../../kv/kv.js';
import { SegmentDeletingError, SegmentNotFoundError } from '../../model/errors.js';
import {
  compareVersions,
  isValidSegmentName,
  isValidSegmentVersion,
  parseSegmentId,
} from '../../model/segment-identity.js';
import type { SdpTarget, SegmentFormat } from '../../model/targets.js';
import { ConflictError } from '../../records/conflict-error.js';
import type { SegmentRecords, StoredSegment } from '../../records/segment-records.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import type { RemoteSegment } from '../../sdp/types.js';
import type { FileStorage, StagedFile } from '../../storage/file-storage.js';
import { type Download, type ImportOutcome, importRemote } from './remote-import.js';
import type { SegmentCatalog } from './segment-catalog.js';
import { type Removal, SegmentDeletion, type SegmentInUseCheck } from './segment-deletion.js';
import { type IncomingFile, recordStagedUpload, uploadSegment } from './segment-upload.js';
import {
  type SyncFailure,
  type SyncRetryPolicy,
  syncFailed,
  syncRestarted,
  syncSucceeded,
} from './sync-state.js';

export interface SegmentServiceOptions {
  records: SegmentRecords;
  /** Whole-collection reads (every record, which files are named), from the in-memory cache. */
  catalog: SegmentCatalog;
  storage: FileStorage;
  maxUploadBytes: number;
  /** Depth and key count a `segment.json` may have; unset: the archive reader's defaults. */
  manifestLimits?: ManifestLimits;
  retry: SyncRetryPolicy;
  now?: () => Date;
}

/** A write that must hold the controller's leadership (fencing against a deposed leader). */
export type WriteGuard = Compare[];

/**
 * Everything seghub does with segments. GraphQL resolvers and reconcilers call this; neither
 * touches store keys or storage paths itself.
 */
export class SegmentService {
  private readonly now: () => Date;
  private readonly deletion: SegmentDeletion;

  constructor(private readonly options: SegmentServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.deletion = new SegmentDeletion({ ...options, files: options.catalog, now: this.now });
  }

  /** What keeps a segment from deletion, registered by the areas built on segments (D6). */
  addInUseCheck(check: SegmentInUseCheck): void {
    this.deletion.addInUseCheck(check);
  }

  get(id: string): Promise<StoredSegment | undefined> {
    return parseSegmentId(id) ? this.options.records.get(id) : Promise.resolve(undefined);
  }

  /** By identity (SPEC-FLEET D9): `1.0` exists when `1.0.0` is stored, as an upload of it would be refused. */
  async exists(name: string, version: string): Promise<boolean> {
    if (!isValidSegmentName(name) || !isValidSegmentVersion(version)) return false;
    return (await this.options.records.withIdentity(name, version)) !== undefined;
  }

  /** Every version of the segment's name, newest first. */
  async versions(id: string): Promise<StoredSegment[]> {
    const parsed = parseSegmentId(id);
    if (!parsed) throw new SegmentNotFoundError(id);
    const all = await this.options.records.versions(parsed.name);
    if (!all.some((s) => s.id === id)) throw new SegmentNotFoundError(id);
    return all.sort((a, b) => compareVersions(b.record.version, a.record.version));
  }

  /** SPEC flow 2: see `uploadSegment`. */
  upload(file: IncomingFile, signal?: AbortSignal): Promise<StoredSegment> {
    const { records, storage, maxUploadBytes, manifestLimits } = this.options;
    return uploadSegment({ records, storage, maxUploadBytes, manifestLimits, now: this.now }, file, signal);
  }

  /** MAX_UPLOAD_BYTES: upload sessions check a declared size against it at once. */
  get maxUploadBytes(): number {
    return this.options.maxUploadBytes;
  }

  /**
   * An upload session's finished file becomes a segment, exactly as an upload's does
   * (`recordStagedUpload`); `keep` takes the file back when the failure was not the file's.
   */
  recordStaged(
    staged: StagedFile,
    fileName: string,
    format: SegmentFormat,
    keep?: (staged: StagedFile) => Promise<void>,
  ): Promise<StoredSegment> {
    const { records, storage, manifestLimits } = this.options;
    const deps = { records, storage, manifestLimits, now: this.now };
    return recordStagedUpload(deps, staged, fileName, format, keep);
  }

  /** A segment whose file has these bytes (by SHA-256), if seghub holds one. */
  async withFile(sha256: string): Promise<StoredSegment | undefined> {
    if (!(await this.options.catalog.fileInUse(sha256))) return undefined;
    return (await this.options.catalog.all()).find((s) => s.record.sha256 === sha256);
  }

  /** An operator starts syncing over after FAILED (or hurries a PENDING one along). */
  async retrySync(id: string): Promise<StoredSegment> {
    return this.modify(id, (current) => {
      if (current.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(id);
      return current.record.sync.status === 'SYNCED' ? undefined : syncRestarted(current.record);
    });
  }

  /**
   * SDP now holds this upload of the segment. Recorded even if the record changed meanwhile (a
   * delete may need the uid), but never onto a different upload of the same name and version.
   */
  recordSyncSuccess(
    segment: StoredSegment,
    uid: string,
    guard: WriteGuard = [],
  ): Promise<StoredSegment | undefined> {
    return this.modifyQuietly(
      segment.id,
      (current) => {
        if (current.record.instanceId !== segment.record.instanceId) return undefined;
        if (current.record.remoteExtra?.uid === uid && current.record.sync.status === 'SYNCED')
          return undefined;
        return syncSucceeded(current.record, uid, this.now());
      },
      guard,
      segment,
    );
  }

  /**
   * One attempt failed. Written only if the record is exactly as the attempt read it: a change in
   * between (an operator's retry, a delete) means the attempt no longer speaks for the record.
   */
  recordSyncFailure(
    segment: StoredSegment,
    failure: SyncFailure,
    guard: WriteGuard = [],
  ): Promise<StoredSegment | undefined> {
    const next = syncFailed(segment.record, failure, this.options.retry, this.now());
    return this.options.records.update(segment, next, guard);
  }

  /** Every segment (the remote sync compares them with what SDP lists). */
  all(): Promise<StoredSegment[]> {
    return this.options.catalog.all();
  }

  /** SPEC flow 4, the request: see `SegmentDeletion.request` for the decision order. */
  delete(id: string): Promise<StoredSegment> {
    return this.deletion.request(id);
  }

  /** A delete attempt failed: retried with backoff, or FAILED with the reason. */
  recordDeleteFailure(
    segment: StoredSegment,
    failure: SyncFailure,
    guard: WriteGuard = [],
  ): Promise<StoredSegment | undefined> {
    return this.deletion.recordFailure(segment, failure, guard);
  }

  /**
   * A reconcile failed in a way no retry changes (a bug, a record that cannot be written as it is):
   * the segment ends FAILED with the reason — its delete state when a delete was asked for, else
   * its sync state — instead of being retried unseen forever. When even that write fails because
   * the record cannot be encoded (metadata nested past what the encoder's stack holds, stored
   * before manifests were bounded), the metadata goes and the reason says so: nobody can read such
   * a record (every query of it failed), and a visible record beats a perfect invisible one.
   */
  async recordBroken(
    segment: StoredSegment,
    reason: string,
    guard: WriteGuard = [],
  ): Promise<StoredSegment | undefined> {
    const write = (s: StoredSegment, why: string) => {
      const failure = { reason: why, permanent: true };
      return s.record.deleteStatus === 'PROCESSING'
        ? this.recordDeleteFailure(s, failure, guard)
        : this.recordSyncFailure(s, failure, guard);
    };
    try {
      return await write(segment, reason);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const stripped = { ...segment, record: { ...segment.record, metadata: {} } };
      return write(
        stripped,
        `${reason}; the metadata could not be stored (${error.message}) and was removed`,
      );
    }
  }

  /** SDP no longer has the segment: the record, its install records and logs, and its file go. */
  remove(segment: StoredSegment, guard: WriteGuard = []): Promise<Removal> {
    return this.deletion.remove(segment, guard);
  }

  /** Housekeeping: stored files no record names (a removal cut short by a crash). Their SHA-256s. */
  removeOrphanFiles(): Promise<string[]> {
    return this.deletion.removeOrphanFiles();
  }

  /** The remote sync found a segment seghub lacks: download, check and record it (`isLocal: false`). */
  importRemote(
    target: SdpTarget,
    remote: RemoteSegment,
    download: Download,
    guard: WriteGuard = [],
  ): Promise<ImportOutcome> {
    const { records, storage, manifestLimits } = this.options;
    return importRemote({ records, storage, manifestLimits, now: this.now }, target, remote, download, guard);
  }

  /** Where the segment's bytes are. */
  filePath(segment: StoredSegment): string {
    return this.options.storage.pathOf(segment.record.sha256);
  }

  /**
   * Whether the segment's file is in place. A staged copy is placed first: an upload that crashed
   * after writing the record leaves its complete file there.
   */
  hasFile(segment: StoredSegment): Promise<boolean> {
    return this.options.storage.ensurePlaced(segment.record.sha256);
  }

  /**
   * Read-modify-write with compare-and-swap, re-read on conflict; `change` returns undefined for "no
   * change" (and may throw a refusal, which writes nothing). For the areas built on segments (the
   * trust fields): they change the record only through this. `known`, a recent read of the record, is
   * tried first: the compare catches it being stale.
   */
  async modify(
    id: string,
    change: (current: StoredSegment) => SegmentRecord | undefined,
    guard: WriteGuard = [],
    known?: StoredSegment,
  ): Promise<StoredSegment> {
    for (let guess = known; ; guess = undefined) {
      const current = guess ?? (await this.get(id));
      if (!current) throw new SegmentNotFoundError(id);
      const next = change(current);
      if (!next) return current;
      const written = await this.options.records.update(current, next, guard);
      if (written) return written;
      // The record is as it was read, so the guard failed (a leader deposed): trying again cannot help.
      if (guard.length > 0 && (await this.get(id))?.modRevision === current.modRevision)
        throw new ConflictError(`the write to segment ${id} is no longer allowed (its guard failed)`);
    }
  }

  /** As `modify`, but a record that is gone is not an error. */
  private async modifyQuietly(
    id: string,
    change: (current: StoredSegment) => SegmentRecord | undefined,
    guard: WriteGuard,
    known?: StoredSegment,
  ): Promise<StoredSegment | undefined> {
    try {
      return await this.modify(id, change, guard, known);
    } catch (error) {
      if (error instanceof SegmentNotFoundError) return undefined;
      throw error;
    }
  }
}
