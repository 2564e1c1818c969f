import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type ManifestLimits, readManifest, type SegmentManifest } from '../../archive/read-manifest.js';
import {
  DomainError,
  FileTooLargeError,
  InvalidInputError,
  SegmentAlreadyExistsError,
  StorageFullError,
  UnsupportedFormatError,
} from '../../model/errors.js';
import { segmentId } from '../../model/segment-identity.js';
import { formatOfFileName, type SegmentFormat, targetOfFormat } from '../../model/targets.js';
import type { SegmentRecords, StoredSegment } from '../../records/segment-records.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import {
  type FileStorage,
  isOutOfSpace,
  SizeLimitError,
  type StagedFile,
} from '../../storage/file-storage.js';

/** SPEC flow 2: an operator's upload becomes a stored file and a PENDING record. */

export interface IncomingFile {
  /** As the client named it; only its last path component is kept. */
  fileName: string;
  /** Opened only once the name passed its checks, so a refused file is never stored. */
  open(): Readable;
}

export interface SegmentUploadDeps {
  records: SegmentRecords;
  storage: FileStorage;
  maxUploadBytes: number;
  /** Unset: the archive reader's defaults. */
  manifestLimits?: ManifestLimits;
  now: () => Date;
}

/** Uploads up to this size are also kept in memory while stored: their manifest is read from there. */
const IN_MEMORY_BYTES = 256 * 1024;

/**
 * The suffix is checked before any byte is stored; the body is hashed while it is written; the
 * record is created only if absent. On every refusal nothing is left behind.
 */
export async function uploadSegment(
  deps: SegmentUploadDeps,
  file: IncomingFile,
  signal?: AbortSignal,
): Promise<StoredSegment> {
  const { fileName, format } = checkUploadName(file.fileName);
  const staged = await receive(deps, file, signal);
  return recordStagedUpload(deps, staged, fileName, format);
}

/** The name's checks, before any byte is stored: its last path component, and a known suffix. */
export function checkUploadName(name: string): { fileName: string; format: SegmentFormat } {
  const fileName = baseName(name);
  const format = formatOfFileName(fileName);
  if (!format) throw new UnsupportedFormatError(fileName);
  return { fileName, format };
}

/**
 * A complete, hashed file becomes a PENDING record (upload sessions arrive here too): its manifest
 * is read, the record created only if absent, then the file placed. On a refusal the staged file
 * is discarded; so it is on any other failure before the record exists, unless `keep` takes it.
 */
export async function recordStagedUpload(
  deps: Pick<SegmentUploadDeps, 'records' | 'storage' | 'manifestLimits' | 'now'>,
  staged: StagedFile,
  fileName: string,
  format: SegmentFormat,
  keep?: (staged: StagedFile) => Promise<void>,
): Promise<StoredSegment> {
  let created: StoredSegment;
  try {
    const manifest = await readManifest(staged.bytes ?? staged.path, deps.manifestLimits);
    created = await createRecord(deps.records, newRecord(manifest, format, fileName, staged, deps.now()));
  } catch (error) {
    if (keep && !(error instanceof DomainError)) await keep(staged);
    else await deps.storage.discard(staged);
    throw error;
  }
  // The record exists: from here a failure leaves the staged file for the sweep to put in place.
  await deps.storage.place(staged);
  return created;
}

async function receive(
  deps: SegmentUploadDeps,
  file: IncomingFile,
  signal?: AbortSignal,
): Promise<StagedFile> {
  const { maxUploadBytes: maxBytes } = deps;
  try {
    const source = file.open();
    // Storage handles the stream's errors while it reads; one arriving after it gave up (the
    // upload parser cutting the file at its own limit) must not become an uncaught exception.
    source.on('error', () => {});
    return await deps.storage.receive(source, { maxBytes, signal, keepBytes: IN_MEMORY_BYTES });
  } catch (error) {
    if (error instanceof SizeLimitError) throw new FileTooLargeError(maxBytes);
    if (isOutOfSpace(error)) throw new StorageFullError();
    throw error;
  }
}

async function createRecord(records: SegmentRecords, record: SegmentRecord): Promise<StoredSegment> {
  const outcome = await records.create(segmentId(record.name, record.version), record);
  if (!outcome.created) {
    throw new SegmentAlreadyExistsError(record.name, record.version, outcome.existing?.record.version);
  }
  return outcome.segment;
}

function newRecord(
  manifest: SegmentManifest,
  format: SegmentFormat,
  fileName: string,
  file: StagedFile,
  now: Date,
): SegmentRecord {
  return {
    instanceId: randomUUID(),
    name: manifest.name,
    version: manifest.version,
    format,
    target: targetOfFormat(format),
    fileName,
    size: file.size,
    sha256: file.sha256,
    description: manifest.description,
    metadata: manifest.metadata,
    isLocal: true,
    lifecycle: 'DRAFT',
    // Its bytes were just hashed on the way in: the integrity pass need not read them again now.
    integrity: { status: 'OK', checkedAt: now.toISOString() },
    createdAt: now.toISOString(),
    sync: { status: 'PENDING', attempts: 0 },
    deleteStatus: 'NONE',
  };
}

/** Browsers send a bare name, but other clients may send a path; SDP wants a name without `/`. */
function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? '';
  if (name === '' || name.length > 255 || name.includes('\0')) {
    throw new InvalidInputError('the file name must be 1 to 255 characters', 'file');
  }
  return name;
}
