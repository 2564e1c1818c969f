import { type FileHandle, open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  type Entry,
  fromBufferPromise,
  fromRandomAccessReaderPromise,
  type Options,
  type ZipFile,
} from 'yauzl';
import { DomainError, InvalidSegmentFileError } from '../model/errors.js';
import { aliasesManifest, entryNames, specialFileKind, unsafePathProblem } from './entry-path.js';
import { FileHandleReader } from './file-handle-reader.js';
import {
  type ByteSource,
  bufferSource,
  type CentralRecord,
  checkLocalHeaders,
  fileSource,
} from './local-headers.js';
import {
  DEFAULT_MANIFEST_LIMITS,
  MANIFEST_FILE_NAME,
  MAX_MANIFEST_BYTES,
  type ManifestLimits,
  parseManifest,
  type SegmentManifest,
} from './manifest.js';
import { readAtMost } from './read-at-most.js';

export type { ManifestLimits, SegmentManifest } from './manifest.js';

const ZIP_OPTIONS: Options = {
  lazyEntries: true,
  autoClose: false,
  validateEntrySizes: true,
  // Names stay raw bytes: yauzl's own name check throws plain errors that only their text tells apart
  // from a damaged archive, and it ignores the header name when a Unicode Path field is present.
  // `entry-path.ts` decodes and checks both names itself.
  decodeStrings: false,
};

/**
 * Reads `segment.json` from the root of a zip archive of any size: the central directory, every
 * entry's local header (which must agree with it) and that one entry are read. Anything wrong with the archive is an `InvalidSegmentFileError`; an I/O
 * failure (the file vanished, the disk failed) is not the client's fault and propagates as it is.
 * `source` is the archive's path, or the archive itself when the caller already holds its bytes
 * (a small upload): then nothing is read from the disk again.
 */
export async function readManifest(
  source: string | Buffer,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): Promise<SegmentManifest> {
  if (Buffer.isBuffer(source)) return manifestOf(await openZipBuffer(source), bufferSource(source), limits);
  const handle = await open(source, 'r');
  try {
    return await manifestOf(await openZip(handle, source), fileSource(handle), limits);
  } finally {
    await handle.close();
  }
}

async function manifestOf(
  zipfile: ZipFile,
  bytes: ByteSource,
  limits: ManifestLimits,
): Promise<SegmentManifest> {
  try {
    const { manifest, records } = await walkCentralDirectory(zipfile);
    await checkLocalHeaders(bytes, records).catch((error: unknown) => {
      throw asArchiveError(error);
    });
    return parseManifest(await readManifestBytes(zipfile, manifest), limits);
  } finally {
    zipfile.close();
  }
}

async function openZip(handle: FileHandle, filePath: string): Promise<ZipFile> {
  const stats = await handle.stat();
  // A directory or device is the caller's mistake, not a bad upload.
  if (!stats.isFile()) throw new Error(`${filePath} is not a regular file`);
  const size = stats.size;
  if (size === 0) throw emptyFile();
  try {
    return await fromRandomAccessReaderPromise(new FileHandleReader(handle, size), size, ZIP_OPTIONS);
  } catch (error) {
    if (isIoError(error)) throw error;
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    throw unopenable(head, error);
  }
}

async function openZipBuffer(bytes: Buffer): Promise<ZipFile> {
  if (bytes.length === 0) throw emptyFile();
  try {
    return await fromBufferPromise(bytes, ZIP_OPTIONS);
  } catch (error) {
    throw unopenable(bytes.subarray(0, 4), error);
  }
}

const emptyFile = () => new InvalidSegmentFileError('EMPTY', 'the file is empty');

/**
 * yauzl says the same ("end of central directory record signature not found") of a text file and of
 * a zip cut short; the first bytes (`head`) tell them apart.
 */
function unopenable(head: Buffer, error: unknown): InvalidSegmentFileError {
  const startsLikeZip = head.equals(LOCAL_HEADER_SIGNATURE) || head.equals(EMPTY_ZIP_SIGNATURE);
  if (!startsLikeZip) return new InvalidSegmentFileError('NOT_A_ZIP', 'the file is not a zip archive');
  return damaged(error);
}

const LOCAL_HEADER_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');
const EMPTY_ZIP_SIGNATURE = Buffer.from('PK\x05\x06', 'latin1');

/**
 * Walks the whole central directory: every entry is checked, not only those before the manifest,
 * and noted for the local-header check.
 */
async function walkCentralDirectory(
  zipfile: ZipFile,
): Promise<{ manifest: Entry; records: CentralRecord[] }> {
  let manifest: Entry | undefined;
  const records: CentralRecord[] = [];
  try {
    for await (const entry of zipfile.eachEntry()) {
      const [name, plainName] = entryNames(entry);
      checkEntry(entry, name);
      if (plainName !== name) checkEntry(entry, plainName);
      records.push(centralRecord(entry, name, name !== plainName));
      if (name !== MANIFEST_FILE_NAME) continue;
      if (manifest !== undefined) {
        throw new InvalidSegmentFileError(
          'INVALID_MANIFEST',
          `the archive holds ${MANIFEST_FILE_NAME} more than once; which one counts would depend on the tool`,
        );
      }
      manifest = entry;
    }
  } catch (error) {
    throw asArchiveError(error);
  }
  if (manifest === undefined) {
    throw new InvalidSegmentFileError('NO_MANIFEST', `the archive has no ${MANIFEST_FILE_NAME} at its root`);
  }
  if (manifest.uncompressedSize > MAX_MANIFEST_BYTES) throw manifestTooLarge(manifest.uncompressedSize);
  return { manifest, records };
}

function checkEntry(entry: Entry, name: string): void {
  const problem = unsafePathProblem(name);
  if (problem !== undefined) {
    throw new InvalidSegmentFileError(
      'UNSAFE_ENTRY_PATH',
      `the archive entry ${JSON.stringify(name)} ${problem}; it could be extracted outside the target directory`,
    );
  }
  const special = specialFileKind(entry.externalFileAttributes);
  if (special !== undefined) {
    throw new InvalidSegmentFileError(
      'UNSAFE_ENTRY_TYPE',
      `the archive entry ${JSON.stringify(name)} is ${special}; a segment holds only files and folders`,
    );
  }
  if (aliasesManifest(name, MANIFEST_FILE_NAME)) {
    throw new InvalidSegmentFileError(
      'INVALID_MANIFEST',
      `the archive entry ${JSON.stringify(name)} could be extracted as ${MANIFEST_FILE_NAME} ` +
        `(the only accepted spelling of the manifest); which file a seat keeps would depend on the tool`,
    );
  }
}

function centralRecord(entry: Entry, name: string, unicodePath: boolean): CentralRecord {
  return {
    name,
    unicodePath,
    // A copy: the raw name is a view into yauzl's read buffer, which it would keep alive.
    nameRaw: Buffer.from(entry.fileNameRaw),
    offset: entry.relativeOffsetOfLocalHeader,
    compressionMethod: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    crc32: entry.crc32,
  };
}

async function readManifestBytes(zipfile: ZipFile, entry: Entry): Promise<Buffer> {
  if (!entry.canDecodeFileData()) {
    const why = entry.isEncrypted() ? 'is encrypted' : `uses compression method ${entry.compressionMethod}`;
    throw new InvalidSegmentFileError(
      'INVALID_MANIFEST',
      `${MANIFEST_FILE_NAME} ${why}; it must be stored or deflated, without encryption`,
    );
  }
  let bytes: Buffer | undefined;
  try {
    // The declared size was checked, but the limit holds even if the header lies.
    bytes = await readAtMost(await zipfile.openReadStreamPromise(entry), MAX_MANIFEST_BYTES);
  } catch (error) {
    throw asArchiveError(error);
  }
  if (bytes === undefined) throw manifestTooLarge(undefined);
  if (crc32(bytes) !== entry.crc32)
    throw damaged(new Error(`the CRC-32 of ${MANIFEST_FILE_NAME} does not match`));
  return bytes;
}

function manifestTooLarge(size: number | undefined): InvalidSegmentFileError {
  const actual = size === undefined ? '' : ` (${size} bytes)`;
  return new InvalidSegmentFileError(
    'MANIFEST_TOO_LARGE',
    `${MANIFEST_FILE_NAME} is larger than the limit of ${MAX_MANIFEST_BYTES} bytes${actual}`,
  );
}

/** Our own refusals and I/O errors pass; anything else yauzl or zlib says means a broken archive. */
function asArchiveError(error: unknown): unknown {
  if (error instanceof DomainError || isIoError(error)) return error;
  return damaged(error);
}

function damaged(error: unknown): InvalidSegmentFileError {
  const detail = error instanceof Error ? error.message : String(error);
  return new InvalidSegmentFileError('TRUNCATED', `the zip archive is truncated or damaged: ${detail}`);
}

/** Errors from the operating system carry the failed call; yauzl's and zlib's format errors do not. */
function isIoError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
