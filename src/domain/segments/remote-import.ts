import { randomUUID } from 'node:crypto';
import { type ManifestLimits, readManifest, type SegmentManifest } from '../../archive/read-manifest.js';
import type { Compare } from '../../kv/kv.js';
import { InvalidSegmentFileError } from '../../model/errors.js';
import { isValidSegmentName, isValidSegmentVersion, segmentId } from '../../model/segment-identity.js';
import { type SdpTarget, targetOfFormat } from '../../model/targets.js';
import type { SegmentRecords, StoredSegment } from '../../records/segment-records.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import { SdpError } from '../../sdp/errors.js';
import type { RemoteSegment } from '../../sdp/types.js';
import type { FileStorage, StagedFile } from '../../storage/file-storage.js';

/**
 * The remote sync's half of SPEC flow 9 that writes: a segment found on SDP becomes a record with
 * `isLocal: false` and status SYNCED, its bytes downloaded, checked and in storage.
 */

/** Streams the remote file to `destPath`; resolves with what the platform said the bytes are. */
export type Download = (destPath: string) => Promise<RemoteSegment>;

export type ImportOutcome =
  | { outcome: 'added'; segment: StoredSegment }
  /** seghub already has this name and version (created meanwhile, e.g. by an upload). */
  | { outcome: 'present' }
  /** The remote segment cannot be taken over as it is; nothing was recorded or kept. */
  | { outcome: 'failed'; reason: string };

export interface RemoteImportDeps {
  records: SegmentRecords;
  storage: FileStorage;
  /** Unset: the archive reader's defaults. */
  manifestLimits?: ManifestLimits;
  now: () => Date;
}

export async function importRemote(
  deps: RemoteImportDeps,
  target: SdpTarget,
  remote: RemoteSegment,
  download: Download,
  guard: Compare[],
): Promise<ImportOutcome> {
  const refusal = checkListing(target, remote);
  if (refusal) return { outcome: 'failed', reason: refusal };
  // `1.0` on SDP is present when `1.0.0` is stored (SPEC-FLEET D9): nothing to download.
  if (await deps.records.withIdentity(remote.name, remote.version)) return { outcome: 'present' };
  let staged: StagedFile;
  try {
    staged = await fetchChecked(deps.storage, remote, download);
  } catch (error) {
    return { outcome: 'failed', reason: describe(error) };
  }
  let outcome: ImportOutcome;
  try {
    outcome = await record(deps, target, remote, staged, guard);
  } catch (error) {
    await deps.storage.discard(staged);
    throw error;
  }
  if (outcome.outcome === 'added') await deps.storage.place(staged);
  else await deps.storage.discard(staged);
  return outcome;
}

/** What in the listing alone rules the segment out (SDP accepts names seghub cannot key). */
function checkListing(target: SdpTarget, remote: RemoteSegment): string | undefined {
  if (!isValidSegmentName(remote.name))
    return `the name ${JSON.stringify(remote.name)} is not valid in seghub`;
  if (!isValidSegmentVersion(remote.version)) {
    return `the version ${JSON.stringify(remote.version)} is not valid in seghub`;
  }
  if (targetOfFormat(remote.format) !== target) return `format ${remote.format} does not belong on ${target}`;
  return undefined;
}

/** Downloads into storage's temp area; the bytes must be the ones the listing announced. */
async function fetchChecked(
  storage: FileStorage,
  remote: RemoteSegment,
  download: Download,
): Promise<StagedFile> {
  const tempPath = storage.newTempPath('remote');
  // The download checks the bytes against the size and hash sent with them (and removes them if
  // they differ), so its answer's hash is the file's.
  const received = await download(tempPath);
  const staged = await storage.adoptTemp(tempPath, received.sha256);
  if (received.sha256 !== remote.sha256 || staged.size !== remote.size) {
    await storage.discard(staged);
    throw new Error(
      `the downloaded file (${staged.size} bytes, sha256 ${received.sha256}) is not the listed one ` +
        `(${remote.size} bytes, sha256 ${remote.sha256})`,
    );
  }
  return staged;
}

async function record(
  deps: RemoteImportDeps,
  target: SdpTarget,
  remote: RemoteSegment,
  staged: StagedFile,
  guard: Compare[],
): Promise<ImportOutcome> {
  let manifest: SegmentManifest;
  try {
    manifest = await readManifest(staged.path, deps.manifestLimits);
  } catch (error) {
    if (error instanceof InvalidSegmentFileError) return { outcome: 'failed', reason: error.message };
    throw error;
  }
  if (manifest.name !== remote.name || manifest.version !== remote.version) {
    const says = `${manifest.name} ${manifest.version}`;
    return { outcome: 'failed', reason: `segment.json names ${says}, not ${remote.name} ${remote.version}` };
  }
  const id = segmentId(remote.name, remote.version);
  const created = await deps.records.create(id, remoteRecord(target, remote, manifest, deps.now()), guard);
  return created.created ? { outcome: 'added', segment: created.segment } : { outcome: 'present' };
}

function remoteRecord(
  target: SdpTarget,
  remote: RemoteSegment,
  manifest: SegmentManifest,
  now: Date,
): SegmentRecord {
  const at = now.toISOString();
  return {
    instanceId: randomUUID(),
    name: remote.name,
    version: remote.version,
    format: remote.format,
    target,
    fileName: remote.fileName,
    size: remote.size,
    sha256: remote.sha256,
    description: manifest.description,
    metadata: manifest.metadata,
    isLocal: false,
    lifecycle: 'DRAFT',
    // Its bytes were just hashed on the way in: the integrity pass need not read them again now.
    integrity: { status: 'OK', checkedAt: at },
    createdAt: at,
    sync: { status: 'SYNCED', attempts: 0, syncedAt: at, lastAttemptAt: at },
    remoteExtra: { uid: remote.uid },
    deleteStatus: 'NONE',
  };
}

function describe(error: unknown): string {
  if (error instanceof SdpError) return `${error.message} (${error.grpcCode})`;
  return error instanceof Error ? error.message : String(error);
}
