import { crc32 } from 'node:zlib';

/**
 * Zip records written by hand, for archives jszip cannot make: more than 65,535 entries or 4 GiB
 * (zip64, which jszip does not write), streamed to disk, or with names a library would refuse.
 * Entries are STORED; names are raw bytes flagged as UTF-8.
 */
export interface ZipEntryHeader {
  name: Buffer;
  crc32: number;
  size: number;
  /** Where the entry's local header starts. */
  offset: number;
  /** Extra fields to write after any zip64 one, in both headers. */
  extra?: Buffer;
}

const ZIP64_LIMIT = 0xffffffff;
const VERSION = 45; // 4.5 is the first version with zip64
const UTF8_FLAG = 0x0800;
const DOS_DATE_1980_01_01 = 0x21;

export function localFileHeader(entry: ZipEntryHeader): Buffer {
  const zip64 = entry.size >= ZIP64_LIMIT;
  const extra = Buffer.concat([zip64 ? zip64Extra([entry.size, entry.size]) : [], entry.extra ?? []].flat());
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(UTF8_FLAG, 6);
  header.writeUInt16LE(0, 8); // STORED
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(DOS_DATE_1980_01_01, 12);
  header.writeUInt32LE(entry.crc32, 14);
  header.writeUInt32LE(zip64 ? ZIP64_LIMIT : entry.size, 18);
  header.writeUInt32LE(zip64 ? ZIP64_LIMIT : entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.name, extra]);
}

export function centralDirectoryHeader(entry: ZipEntryHeader): Buffer {
  // Only the fields that overflow move to the zip64 extra field, in this fixed order.
  const overflowing = [entry.size, entry.size, entry.offset].filter((value) => value >= ZIP64_LIMIT);
  const extra = Buffer.concat(
    [overflowing.length > 0 ? zip64Extra(overflowing) : [], entry.extra ?? []].flat(),
  );
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(VERSION, 6);
  header.writeUInt16LE(UTF8_FLAG, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(0, 12);
  header.writeUInt16LE(DOS_DATE_1980_01_01, 14);
  header.writeUInt32LE(entry.crc32, 16);
  header.writeUInt32LE(Math.min(entry.size, ZIP64_LIMIT), 20);
  header.writeUInt32LE(Math.min(entry.size, ZIP64_LIMIT), 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // comment length, disk, internal and external attributes stay 0
  header.writeUInt32LE(Math.min(entry.offset, ZIP64_LIMIT), 42);
  return Buffer.concat([header, entry.name, extra]);
}

/** The end of central directory record, preceded by the zip64 record and locator when needed. */
export function endOfCentralDirectory(
  entryCount: number,
  directoryOffset: number,
  directorySize: number,
): Buffer {
  const zip64 = entryCount >= 0xffff || directoryOffset >= ZIP64_LIMIT || directorySize >= ZIP64_LIMIT;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entryCount, 0xffff), 8);
  end.writeUInt16LE(Math.min(entryCount, 0xffff), 10);
  end.writeUInt32LE(Math.min(directorySize, ZIP64_LIMIT), 12);
  end.writeUInt32LE(Math.min(directoryOffset, ZIP64_LIMIT), 16);
  if (!zip64) return end;

  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of this record
  record.writeUInt16LE(VERSION, 12);
  record.writeUInt16LE(VERSION, 14);
  record.writeBigUInt64LE(BigInt(entryCount), 24);
  record.writeBigUInt64LE(BigInt(entryCount), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

/** A whole STORED archive in memory, entries in the given order. */
export function buildRawZip(
  entries: ReadonlyArray<{ name: string | Buffer; data: Buffer; extra?: Buffer }>,
): Buffer {
  const parts: Buffer[] = [];
  const headers: ZipEntryHeader[] = [];
  let offset = 0;
  for (const { name, data, extra } of entries) {
    const header = { name: Buffer.from(name), crc32: crc32(data), size: data.length, offset, extra };
    const local = localFileHeader(header);
    parts.push(local, data);
    headers.push(header);
    offset += local.length + data.length;
  }
  const directory = Buffer.concat(headers.map(centralDirectoryHeader));
  parts.push(directory, endOfCentralDirectory(headers.length, offset, directory.length));
  return Buffer.concat(parts);
}

/**
 * An Info-ZIP Unicode Path extra field: readers that know it use `path` instead of the header name,
 * which it must quote by CRC-32 to count.
 */
export function unicodePathExtra(headerName: string, path: string): Buffer {
  const data = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from(path)]);
  data.writeUInt32LE(crc32(Buffer.from(headerName)), 1);
  const field = Buffer.alloc(4);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(data.length, 2);
  return Buffer.concat([field, data]);
}

function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => {
    extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
  });
  return extra;
}
