import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import JSZip from 'jszip';
import type { InvalidSegmentFileReason } from '../../src/model/errors.js';
import {
  buildRawZip,
  centralDirectoryHeader,
  endOfCentralDirectory,
  localFileHeader,
  unicodePathExtra,
  type ZipEntryHeader,
} from './zip-writer.js';

/** The manifest of the SPEC's example segment. */
export const RADAR_MANIFEST = {
  name: 'radar-display',
  version: '3.5.1',
  description: 'Radar display console',
  vendor: 'Acme',
  platform: { os: 'linux', arch: 'x86_64' },
} as const;

export interface SegmentZipOptions {
  /** DEFLATE (the default) as most tools write, or STORE. */
  compression?: 'STORE' | 'DEFLATE';
}

/**
 * A zip built in memory by jszip: `manifest` becomes `segment.json` (an object as JSON, a string or
 * Buffer as it is, undefined for none), followed by `extraEntries` under their names exactly.
 */
export async function buildSegmentZip(
  manifest: unknown,
  extraEntries: Record<string, string | Buffer> = {},
  options: SegmentZipOptions = {},
): Promise<Buffer> {
  const zip = new JSZip();
  if (manifest !== undefined) zip.file('segment.json', manifestBytes(manifest), { createFolders: false });
  for (const [name, content] of Object.entries(extraEntries)) {
    zip.file(name, content, { createFolders: false });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: options.compression ?? 'DEFLATE' });
}

/** A STORED zip with `segment.json` and `count` tiny files: past 65,535 entries it needs zip64. */
export function buildManyEntrySegmentZip(manifest: unknown, count: number): Buffer {
  const entries = [{ name: 'segment.json', data: manifestBytes(manifest) }];
  for (let i = 0; i < count; i++) entries.push({ name: `files/${i}.txt`, data: Buffer.from(`${i}\n`) });
  return buildRawZip(entries);
}

export interface BadArchive {
  name: string;
  fileName: string;
  bytes: Buffer;
  reason: InvalidSegmentFileReason;
}

/** One archive per way a segment file can be refused, with the reason it must be refused for. */
export async function badArchives(): Promise<BadArchive[]> {
  const valid = await buildSegmentZip(RADAR_MANIFEST, { 'bin/radar': randomBytes(4096) });
  const withEntry = (entryName: string, extra?: Buffer) =>
    buildRawZip([
      { name: 'segment.json', data: manifestBytes(RADAR_MANIFEST) },
      { name: entryName, data: Buffer.from('#!/bin/sh\n'), extra },
    ]);
  const cases: Array<[string, Buffer, InvalidSegmentFileReason]> = [
    ['not a zip', Buffer.from('this is a text file, not a zip archive\n'), 'NOT_A_ZIP'],
    ['truncated', valid.subarray(0, Math.floor(valid.length / 2)), 'TRUNCATED'],
    ['corrupted manifest', corruptManifest(), 'TRUNCATED'],
    ['empty file', Buffer.alloc(0), 'EMPTY'],
    ['no manifest', await buildSegmentZip(undefined, { 'bin/radar': 'x' }), 'NO_MANIFEST'],
    ['manifest in a folder', await buildSegmentZip(undefined, { 'radar/segment.json': '{}' }), 'NO_MANIFEST'],
    ['two manifests', withEntry('segment.json'), 'INVALID_MANIFEST'],
    ['manifest not JSON', await buildSegmentZip('{ "name": "radar-display", '), 'MANIFEST_NOT_JSON'],
    ['manifest not UTF-8', await buildSegmentZip(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'MANIFEST_NOT_JSON'],
    ['manifest an array', await buildSegmentZip([RADAR_MANIFEST]), 'MANIFEST_NOT_JSON'],
    ['bad name', await buildSegmentZip({ ...RADAR_MANIFEST, name: 'Radar Display' }), 'INVALID_NAME'],
    ['missing name', await buildSegmentZip({ version: '3.5.1' }), 'INVALID_NAME'],
    ['bad version', await buildSegmentZip({ ...RADAR_MANIFEST, version: 'v3.5' }), 'INVALID_VERSION'],
    ['bad description', await buildSegmentZip({ ...RADAR_MANIFEST, description: 42 }), 'INVALID_MANIFEST'],
    ['oversize manifest', await buildSegmentZip(paddedManifest(70_000)), 'MANIFEST_TOO_LARGE'],
    ['../ entry', withEntry('../evil.sh'), 'UNSAFE_ENTRY_PATH'],
    ['nested ../ entry', withEntry('bin/../../evil.sh'), 'UNSAFE_ENTRY_PATH'],
    ['backslash ..\\ entry', withEntry('bin\\..\\..\\evil.sh'), 'UNSAFE_ENTRY_PATH'],
    ['absolute entry', withEntry('/etc/cron.d/evil'), 'UNSAFE_ENTRY_PATH'],
    ['drive letter entry', withEntry('C:\\Windows\\evil.exe'), 'UNSAFE_ENTRY_PATH'],
    ['UNC entry', withEntry('\\\\server\\share\\evil.sh'), 'UNSAFE_ENTRY_PATH'],
    // Each name is safe to some tool and not to another: one reads the Unicode Path, one does not.
    [
      'Unicode Path ../',
      withEntry('evil.sh', unicodePathExtra('evil.sh', '../evil.sh')),
      'UNSAFE_ENTRY_PATH',
    ],
    [
      'header name ../',
      withEntry('../evil.sh', unicodePathExtra('../evil.sh', 'evil.sh')),
      'UNSAFE_ENTRY_PATH',
    ],
  ];
  return cases.map(([name, bytes, reason]) => ({
    name,
    fileName: `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.zip`,
    bytes,
    reason,
  }));
}

/** A manifest whose JSON is exactly `bytes` long, padded through its description. */
export function paddedManifest(bytes: number): string {
  const empty = JSON.stringify({ ...RADAR_MANIFEST, description: '' });
  return JSON.stringify({ ...RADAR_MANIFEST, description: 'x'.repeat(bytes - empty.length) });
}

export interface LargeSegmentZip {
  name: string;
  version: string;
  payloadBytes: number;
  /** The payload entry's name; `payload.bin` unless given. */
  fileName?: string;
}

const BLOCK_BYTES = 1024 * 1024;

/**
 * Streams a valid STORED zip to `filePath`: `segment.json`, then one payload entry of `payloadBytes`
 * (a random 1 MiB block repeated, so the bytes cost nothing to make), with zip64 records once it
 * passes 4 GiB. Memory stays at about one block. Returns the file's size and SHA-256.
 */
export async function writeLargeSegmentZip(
  filePath: string,
  spec: LargeSegmentZip,
): Promise<{ size: number; sha256: string }> {
  const block = randomBytes(BLOCK_BYTES);
  const manifest = { name: spec.name, version: spec.version };
  const payloadCrc = repeatedCrc32(block, spec.payloadBytes);
  const { head, tail } = twoEntryZip(manifest, spec.fileName ?? 'payload.bin', spec.payloadBytes, payloadCrc);
  const hash = createHash('sha256');
  let size = 0;
  const counted = (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    return chunk;
  };
  await pipeline(async function* () {
    yield counted(head);
    for (let left = spec.payloadBytes; left > 0; left -= BLOCK_BYTES) {
      yield counted(left >= BLOCK_BYTES ? block : block.subarray(0, left));
    }
    yield counted(tail);
  }, createWriteStream(filePath));
  return { size, sha256: hash.digest('hex') };
}

/**
 * Like `writeLargeSegmentZip`, but the payload is a hole in a sparse file: an archive past 4 GiB,
 * which needs zip64 sizes and offsets, that takes no disk space. Returns the file's size.
 */
export async function writeSparseSegmentZip(
  filePath: string,
  manifest: unknown,
  payloadBytes: number,
): Promise<number> {
  const payloadCrc = repeatedCrc32(Buffer.alloc(BLOCK_BYTES), payloadBytes);
  const { head, tail, directoryOffset } = twoEntryZip(manifest, 'payload.bin', payloadBytes, payloadCrc);
  const handle = await open(filePath, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    await handle.write(tail, 0, tail.length, directoryOffset);
  } finally {
    await handle.close();
  }
  return directoryOffset + tail.length;
}

/** Everything but the payload's bytes of a zip holding `segment.json` and then the payload. */
function twoEntryZip(manifest: unknown, payloadName: string, payloadBytes: number, payloadCrc: number) {
  const data = manifestBytes(manifest);
  const manifestHeader = {
    name: Buffer.from('segment.json'),
    crc32: crc32(data),
    size: data.length,
    offset: 0,
  };
  const manifestLocal = localFileHeader(manifestHeader);
  const payloadHeader: ZipEntryHeader = {
    name: Buffer.from(payloadName),
    crc32: payloadCrc,
    size: payloadBytes,
    offset: manifestLocal.length + data.length,
  };
  const head = Buffer.concat([manifestLocal, data, localFileHeader(payloadHeader)]);
  const directoryOffset = head.length + payloadBytes;
  const directory = Buffer.concat([manifestHeader, payloadHeader].map(centralDirectoryHeader));
  const tail = Buffer.concat([directory, endOfCentralDirectory(2, directoryOffset, directory.length)]);
  return { head, tail, directoryOffset };
}

function repeatedCrc32(block: Buffer, length: number): number {
  let crc = 0;
  for (let left = length; left > 0; left -= block.length) {
    crc = crc32(left >= block.length ? block : block.subarray(0, left), crc);
  }
  return crc;
}

function manifestBytes(manifest: unknown): Buffer {
  if (Buffer.isBuffer(manifest)) return manifest;
  return Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
}

/** A STORED zip whose manifest is still valid JSON but no longer matches the CRC-32 on record. */
function corruptManifest(): Buffer {
  const bytes = buildRawZip([{ name: 'segment.json', data: manifestBytes(RADAR_MANIFEST) }]);
  const at = bytes.indexOf('Radar display console');
  bytes.write('X', at, 'latin1');
  return bytes;
}
