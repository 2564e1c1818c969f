import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPromise } from 'yauzl';
import { readAtMost } from '../../src/archive/read-at-most.js';
import { readManifest } from '../../src/archive/read-manifest.js';
import { InvalidSegmentFileError } from '../../src/model/errors.js';
import {
  badArchives,
  buildManyEntrySegmentZip,
  buildSegmentZip,
  manifestWithKeys,
  nestedManifest,
  paddedManifest,
  RADAR_MANIFEST,
  writeLargeSegmentZip,
  writeSparseSegmentZip,
} from '../support/fixtures/archives.js';
import { tempDir } from '../support/harness/temp.js';

const corpus = await badArchives();
let temp: Awaited<ReturnType<typeof tempDir>>;
let fileCount = 0;

beforeAll(async () => {
  temp = await tempDir('seghub-archive');
});
afterAll(async () => {
  await temp.remove();
});

async function writeArchive(bytes: Buffer, fileName = 'segment.zip'): Promise<string> {
  fileCount += 1;
  const filePath = path.join(temp.dir, `${fileCount}-${fileName}`);
  await writeFile(filePath, bytes);
  return filePath;
}

async function refusal(source: string | Buffer): Promise<InvalidSegmentFileError> {
  const error = await readManifest(source).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidSegmentFileError);
  return error as InvalidSegmentFileError;
}

describe('readManifest refuses bad archives', () => {
  it.each(corpus)('$name: $reason', async ({ bytes, fileName, reason }) => {
    const error = await refusal(await writeArchive(bytes, fileName));
    expect(error).toMatchObject({ code: 'INVALID_SEGMENT_FILE', reason });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it.each(corpus)('$name from memory: $reason, as from the disk', async ({ bytes, reason }) => {
    expect(await refusal(bytes)).toMatchObject({ code: 'INVALID_SEGMENT_FILE', reason });
  });

  it('closes every file it opens, whatever the outcome', async () => {
    const paths = await Promise.all(corpus.map(({ bytes, fileName }) => writeArchive(bytes, fileName)));
    paths.push(await writeArchive(await buildSegmentZip(RADAR_MANIFEST)));
    const before = (await readdir('/proc/self/fd')).length;
    await Promise.allSettled(paths.map((filePath) => readManifest(filePath)));
    expect((await readdir('/proc/self/fd')).length).toBe(before);
  });

  it('refuses a manifest whose header understates its size', async () => {
    const zip = await buildSegmentZip(paddedManifest(70_000), {}, { compression: 'DEFLATE' });
    understateManifestSize(zip, 1000);
    expect((await refusal(await writeArchive(zip))).reason).toBe('TRUNCATED');
  });
});

describe('readManifest reads segment.json', () => {
  it.each(['STORE', 'DEFLATE'] as const)(
    'returns name, version, description and metadata (%s)',
    async (compression) => {
      const zip = await buildSegmentZip(
        RADAR_MANIFEST,
        { 'bin/radar': 'binary', 'etc/radar.conf': 'x=1' },
        { compression },
      );
      expect(await readManifest(await writeArchive(zip))).toEqual({
        name: 'radar-display',
        version: '3.5.1',
        description: 'Radar display console',
        metadata: { vendor: 'Acme', platform: { os: 'linux', arch: 'x86_64' } },
      });
    },
  );

  it.each(['STORE', 'DEFLATE'] as const)(
    'reads the same manifest from the bytes held in memory (%s)',
    async (compression) => {
      const zip = await buildSegmentZip(RADAR_MANIFEST, { 'bin/radar': 'binary' }, { compression });
      expect(await readManifest(zip)).toEqual(await readManifest(await writeArchive(zip)));
      const over = await buildSegmentZip(paddedManifest(65_537), {}, { compression });
      expect((await refusal(over)).reason).toBe('MANIFEST_TOO_LARGE');
    },
  );

  it('leaves description out when the manifest has none', async () => {
    const zip = await buildSegmentZip({ name: 'radar', version: '1.0.0-rc.1' });
    const manifest = await readManifest(await writeArchive(zip));
    expect(manifest).toEqual({ name: 'radar', version: '1.0.0-rc.1', metadata: {} });
    expect(manifest).not.toHaveProperty('description');
  });

  it.each(['STORE', 'DEFLATE'] as const)(
    'accepts a manifest of exactly 64 KiB, not a byte more (%s)',
    async (compression) => {
      const fits = await buildSegmentZip(paddedManifest(65_536), {}, { compression });
      expect((await readManifest(await writeArchive(fits))).name).toBe('radar-display');
      const over = await buildSegmentZip(paddedManifest(65_537), {}, { compression });
      expect((await refusal(await writeArchive(over))).reason).toBe('MANIFEST_TOO_LARGE');
    },
  );

  it('takes a manifest at its depth and key limits, and honours limits it is given', async () => {
    const deepest = await buildSegmentZip(nestedManifest(31));
    const widest = await buildSegmentZip(manifestWithKeys(1000));
    expect((await readManifest(deepest)).metadata.extra).toBeDefined();
    expect(Object.keys((await readManifest(widest)).metadata.extra as object)).toHaveLength(992);
    await expect(readManifest(deepest, { maxDepth: 31, maxKeys: 1000 })).rejects.toThrow(
      'segment.json nests objects and arrays more than 31 levels deep (the limit)',
    );
    await expect(readManifest(widest, { maxDepth: 32, maxKeys: 999 })).rejects.toThrow(
      'segment.json has more than 999 keys (the limit)',
    );
    // Brackets and colons inside strings are text, not structure.
    const tricky = JSON.stringify({ ...RADAR_MANIFEST, note: `${'['.repeat(100)}:\\"{` });
    expect((await readManifest(await buildSegmentZip(tricky), { maxDepth: 2, maxKeys: 9 })).name).toBe(
      'radar-display',
    );
  });

  it('reads a zip64 archive of 70,000 entries', async () => {
    const zip = buildManyEntrySegmentZip(RADAR_MANIFEST, 70_000);
    // The classic end record can only count 65,535 entries; 0xffff defers to the zip64 record.
    expect(zip.readUInt16LE(zip.length - 12)).toBe(0xffff);
    expect(await readManifest(await writeArchive(zip))).toMatchObject({
      name: 'radar-display',
      version: '3.5.1',
    });
  });

  it('reads a 300 MiB archive, whose size and hash the fixture reports', async () => {
    const filePath = path.join(temp.dir, 'large.zip');
    const written = await writeLargeSegmentZip(filePath, {
      name: 'big',
      version: '2.0.1',
      payloadBytes: 300 * 2 ** 20,
    });
    expect(await readManifest(filePath)).toEqual({ name: 'big', version: '2.0.1', metadata: {} });
    expect((await stat(filePath)).size).toBe(written.size);
    const hash = createHash('sha256');
    await pipeline(createReadStream(filePath), hash);
    expect(hash.digest('hex')).toBe(written.sha256);
  });

  it('reads an archive past 4 GiB, with zip64 sizes and offsets', async () => {
    const filePath = path.join(temp.dir, 'sparse.zip');
    const payloadBytes = 2 ** 32 + 2 ** 20;
    expect(await writeSparseSegmentZip(filePath, RADAR_MANIFEST, payloadBytes)).toBeGreaterThan(payloadBytes);
    expect((await readManifest(filePath)).name).toBe('radar-display');
    const zipfile = await openPromise(filePath);
    const entries: Array<[string, number]> = [];
    for await (const entry of zipfile.eachEntry()) entries.push([entry.fileName, entry.uncompressedSize]);
    zipfile.close();
    expect(entries).toEqual([
      ['segment.json', JSON.stringify(RADAR_MANIFEST).length],
      ['payload.bin', payloadBytes],
    ]);
  });
});

describe('readManifest passes I/O errors through', () => {
  it('rejects a missing file with the system error', async () => {
    await expect(readManifest(path.join(temp.dir, 'missing.zip'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a directory without blaming the archive', async () => {
    const dir = path.join(temp.dir, 'a-directory.zip');
    await mkdir(dir);
    const error = await readManifest(dir).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InvalidSegmentFileError);
  });
});

describe('readAtMost', () => {
  it('returns every byte of a stream within the limit', async () => {
    const bytes = await readAtMost(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4);
    expect(bytes?.toString()).toBe('abcd');
  });

  it('gives up on an endless stream one chunk past the limit and destroys it', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024));
      },
    });
    expect(await readAtMost(endless, 65_536)).toBeUndefined();
    expect(endless.destroyed).toBe(true);
    // What was produced is the limit plus whatever the stream buffered ahead, not without bound.
    expect(produced).toBeLessThanOrEqual(65_536 + 1024 + endless.readableHighWaterMark);
  });
});

/** Rewrites the declared uncompressed size of `segment.json`, the first entry, in both its headers. */
function understateManifestSize(zip: Buffer, size: number): void {
  expect(zip.readUInt32LE(0)).toBe(0x04034b50);
  zip.writeUInt32LE(size, 22);
  const central = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
  expect(zip.toString('latin1', central + 46, central + 58)).toBe('segment.json');
  zip.writeUInt32LE(size, central + 24);
}
