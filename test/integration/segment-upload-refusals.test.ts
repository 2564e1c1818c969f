import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badArchives, buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { storageContents, uploadSegment } from '../support/fixtures/segments.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

const MAX_UPLOAD_BYTES = 64 * 1024;

describe('uploads seghub refuses', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
  });

  afterAll(async () => {
    await app.stop();
  });

  /** Storage and store exactly as they were: no file, no temp file, no record. */
  async function expectNothingLeftBehind() {
    expect(await storageContents(app.dataDir)).toEqual({ files: [], temp: [] });
    expect((await app.store.range('segments/')).count).toBe(0);
  }

  it('gives each bad archive its typed reason and keeps nothing, as .zip and as .mpk', async () => {
    const corpus = await badArchives();
    // Both formats are zip containers and get the same checks (SPEC, "The segment archive").
    for (const bad of corpus.flatMap((b) => [b, { ...b, fileName: b.fileName.replace(/\.zip$/, '.mpk') }])) {
      const result = await uploadSegment(app.url, { bytes: bad.bytes, fileName: bad.fileName });
      expect({ case: bad.fileName, result }).toEqual({
        case: bad.fileName,
        result: expect.objectContaining({
          __typename: 'InvalidSegmentFileError',
          code: 'INVALID_SEGMENT_FILE',
          reason: bad.reason,
          message: expect.any(String),
        }),
      });
    }
    await expectNothingLeftBehind();
  });

  it.each(['radar.tar', 'radar.zip.gz', 'radar', 'radar.ZIPX'])(
    'refuses the suffix of %s before storing it',
    async (fileName) => {
      const bytes = await buildSegmentZip(RADAR_MANIFEST);
      const result = await uploadSegment(app.url, { bytes, fileName });
      expect(result).toMatchObject({ __typename: 'UnsupportedFormatError', code: 'UNSUPPORTED_FORMAT' });
      await expectNothingLeftBehind();
    },
  );

  it('accepts the suffix in any case', async () => {
    const bytes = await buildSegmentZip({ ...RADAR_MANIFEST, name: 'upper-case-suffix' });
    const result = await uploadSegment(app.url, { bytes, fileName: 'RADAR.MPK' });
    expect(result).toMatchObject({ __typename: 'UploadSegmentSuccess', segment: { format: 'MPK' } });
  });

  it('refuses a file over MAX_UPLOAD_BYTES while it streams, keeping nothing', async () => {
    const before = await storageContents(app.dataDir);
    const bytes = await buildSegmentZip(
      RADAR_MANIFEST,
      { big: Buffer.alloc(MAX_UPLOAD_BYTES * 4, 7) },
      { compression: 'STORE' },
    );
    const result = await uploadSegment(app.url, { bytes, fileName: 'radar-display-3.5.1.zip' });
    expect(result).toMatchObject({ __typename: 'FileTooLargeError', code: 'FILE_TOO_LARGE' });
    expect(await storageContents(app.dataDir)).toEqual(before);
  });

  it('accepts a file of exactly MAX_UPLOAD_BYTES', async () => {
    // Stored entries grow byte for byte with their content: measure once, then pad to the limit.
    const manifest = { ...RADAR_MANIFEST, name: 'exact-limit' };
    const build = (pad: number) =>
      buildSegmentZip(manifest, { pad: Buffer.alloc(pad, 1) }, { compression: 'STORE' });
    const probe = await build(1000);
    const padded = await build(1000 + MAX_UPLOAD_BYTES - probe.length);
    expect(padded.length).toBe(MAX_UPLOAD_BYTES);
    const result = await uploadSegment(app.url, { bytes: padded, fileName: 'exact.zip' });
    expect(result.__typename).toBe('UploadSegmentSuccess');
  });

  it('lets exactly one of 20 concurrent uploads of one segment win, keeping one file', async () => {
    const before = await storageContents(app.dataDir);
    const bytes = await buildSegmentZip(
      { ...RADAR_MANIFEST, name: 'contended' },
      { payload: 'x'.repeat(20_000) },
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () => uploadSegment(app.url, { bytes, fileName: 'contended.zip' })),
    );
    const outcomes = results.map((r) => r.__typename).sort();
    expect(outcomes.filter((o) => o === 'UploadSegmentSuccess')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'SegmentAlreadyExistsError')).toHaveLength(19);
    const after = await storageContents(app.dataDir);
    expect(after.files.filter((f) => !before.files.includes(f))).toHaveLength(1);
    expect(after.temp).toEqual([]);
    expect((await app.store.range('segments/contended/')).count).toBe(1);
  });
});
