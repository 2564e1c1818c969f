import type { FileHandle } from 'node:fs/promises';
import { getFileNameLowLevel } from 'yauzl';
import { InvalidSegmentFileError } from '../model/errors.js';
import { unsafePathProblem } from './entry-path.js';

/**
 * Every entry is stored twice: once in the central directory, once in a local header before its
 * data. seghub reads the central directory; streaming extractors (and some seats' tools) read the
 * local headers. An archive whose two copies disagree is one file to seghub and another to a seat,
 * so every local header must match its central entry: name, compression, sizes and CRC-32.
 */

/** What the central directory says of an entry; kept small, since 70,000 of them are held at once. */
export interface CentralRecord {
  /** Decoded as an extractor would, Unicode Path field first. */
  readonly name: string;
  readonly nameRaw: Buffer;
  /** Whether `name` came from a Unicode Path field rather than from `nameRaw`. */
  readonly unicodePath: boolean;
  readonly offset: number;
  readonly compressionMethod: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
}

/** Up to `length` bytes at `position` (fewer at the end of the file). */
export interface ByteSource {
  read(position: number, length: number): Promise<Buffer>;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return { read: async (position, length) => bytes.subarray(position, position + length) };
}

export function fileSource(handle: FileHandle): ByteSource {
  return {
    async read(position, length) {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
  };
}

const SIGNATURE = 0x04034b50;
const FIXED_BYTES = 30;
/** Room guessed for a local extra field; a longer one costs one more read. */
const EXTRA_GUESS = 128;
/**
 * Headers closer than this are read together, the bytes between them included: reading 64 KiB more
 * costs less than another trip through the thread pool. A file of many small entries is read in
 * large runs; one of few large entries costs one small read per entry.
 */
const GAP_BYTES = 64 * 1024;
const MAX_RUN_BYTES = 1024 * 1024;
const PARALLEL_READS = 4;
const ZIP64_MARK = 0xffffffff;
const DATA_DESCRIPTOR_FLAG = 0x8;
const UNICODE_PATH = 0x7075;

interface Run {
  start: number;
  end: number;
  records: CentralRecord[];
}

/** Checks every entry's local header against `records`, reading the headers in file order. */
export async function checkLocalHeaders(source: ByteSource, records: CentralRecord[]): Promise<void> {
  const runs = runsOf([...records].sort((a, b) => a.offset - b.offset));
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (!failed && next < runs.length) {
        const run = runs[next++]!;
        const bytes = await source.read(run.start, run.end - run.start);
        for (const record of run.records) await checkHeader(source, record, bytes, record.offset - run.start);
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  // Every worker settles before this returns: the caller closes the file right after.
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(PARALLEL_READS, runs.length) }, worker),
  );
  const refusal = settled.find((result) => result.status === 'rejected');
  if (refusal) throw refusal.reason;
}

function runsOf(sorted: CentralRecord[]): Run[] {
  const runs: Run[] = [];
  let run: Run | undefined;
  for (const record of sorted) {
    const end = record.offset + FIXED_BYTES + record.nameRaw.length + EXTRA_GUESS;
    if (run && record.offset - run.end <= GAP_BYTES && end - run.start <= MAX_RUN_BYTES) {
      run.end = Math.max(run.end, end);
      run.records.push(record);
    } else {
      run = { start: record.offset, end, records: [record] };
      runs.push(run);
    }
  }
  return runs;
}

async function checkHeader(source: ByteSource, record: CentralRecord, run: Buffer, at: number) {
  let header = run.subarray(at);
  if (header.length < FIXED_BYTES) header = await source.read(record.offset, FIXED_BYTES);
  if (header.length < FIXED_BYTES || header.readUInt32LE(0) !== SIGNATURE) {
    throw mismatch(record, `has no local header at offset ${record.offset}`);
  }
  const length = FIXED_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (header.length < length) header = await source.read(record.offset, length);
  if (header.length < length) throw mismatch(record, 'has a local header cut short by the end of the file');
  const flags = header.readUInt16LE(6);
  const nameRaw = header.subarray(FIXED_BYTES, FIXED_BYTES + header.readUInt16LE(26));
  const extra = parseExtraFields(header.subarray(FIXED_BYTES + nameRaw.length, length));
  checkNames(record, flags, nameRaw, extra);
  if (header.readUInt16LE(8) !== record.compressionMethod) {
    throw mismatch(record, 'has a local header with another compression method than its central entry');
  }
  // With a data descriptor the local header leaves CRC and sizes to the descriptor after the data.
  if (flags & DATA_DESCRIPTOR_FLAG) return;
  if (header.readUInt32LE(14) !== record.crc32) {
    throw mismatch(record, 'has a local header with another CRC-32 than its central entry');
  }
  const [uncompressed, compressed] = localSizes(header, extra);
  if (compressed !== record.compressedSize || uncompressed !== record.uncompressedSize) {
    throw mismatch(
      record,
      `has a local header declaring ${compressed} bytes (${uncompressed} uncompressed) where its ` +
        `central entry declares ${record.compressedSize} (${record.uncompressedSize})`,
    );
  }
}

function checkNames(record: CentralRecord, flags: number, nameRaw: Buffer, extra: ExtraField[]) {
  // The common case, the same bytes and no Unicode Path on either side: the central walk checked
  // this name already, and decoding 70,000 names again would double the cost of this pass.
  const unicodeLocal = extra.some((field) => field.id === UNICODE_PATH);
  if (!unicodeLocal && !record.unicodePath && nameRaw.equals(record.nameRaw)) return;
  const plain = getFileNameLowLevel(flags, nameRaw, [], true);
  const primary = getFileNameLowLevel(flags, nameRaw, extra, true);
  for (const name of new Set([primary, plain])) {
    const problem = unsafePathProblem(name);
    if (problem === undefined) continue;
    throw new InvalidSegmentFileError(
      'UNSAFE_ENTRY_PATH',
      `the local header of archive entry ${JSON.stringify(record.name)} names it ` +
        `${JSON.stringify(name)}, which ${problem}; it could be extracted outside the target directory`,
    );
  }
  if (!nameRaw.equals(record.nameRaw) || primary !== record.name) {
    throw mismatch(record, `has a local header naming it ${JSON.stringify(primary)}`);
  }
}

/** Uncompressed and compressed size; a zip64 header keeps them in its extra field, in this order. */
function localSizes(header: Buffer, extra: ExtraField[]): [number, number] {
  const sizes = [header.readUInt32LE(22), header.readUInt32LE(18)];
  const zip64 = extra.find((field) => field.id === 0x0001)?.data;
  let at = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i] !== ZIP64_MARK || zip64 === undefined || zip64.length < at + 8) continue;
    sizes[i] = Number(zip64.readBigUInt64LE(at));
    at += 8;
  }
  return [sizes[0]!, sizes[1]!];
}

interface ExtraField {
  id: number;
  data: Buffer;
}

function parseExtraFields(bytes: Buffer): ExtraField[] {
  const fields: ExtraField[] = [];
  for (let at = 0; at + 4 <= bytes.length; ) {
    const size = bytes.readUInt16LE(at + 2);
    fields.push({ id: bytes.readUInt16LE(at), data: bytes.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return fields;
}

function mismatch(record: CentralRecord, what: string): InvalidSegmentFileError {
  return new InvalidSegmentFileError(
    'HEADER_MISMATCH',
    `the archive entry ${JSON.stringify(record.name)} ${what}; tools that read local headers would ` +
      'extract something other than what seghub checked',
  );
}
