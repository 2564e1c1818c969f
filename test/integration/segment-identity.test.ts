import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { SegmentExists } from '../support/documents/segment-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { putSegmentRecords, segmentRecord } from '../support/fixtures/segment-records.js';
import { deleteSegment, waitForGone } from '../support/fixtures/segment-store-state.js';
import { storageContents, uploadOk, uploadSegment } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

/** SPEC-FLEET D9: a segment's identity is (name, version) with versions compared numerically. */
describe('segment identity', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  const upload = async (name: string, version: string, body = version) =>
    uploadSegment(app.url, {
      bytes: await buildSegmentZip({ name, version }, { 'bin/app': body }),
      fileName: `${name}-${version}.zip`,
    });

  // Regression (#23.9): on today's main the second upload is stored as a segment of its own.
  it('refuses 1.0 and 1 when 1.0.0 exists, naming the stored version, and keeps nothing of them', async () => {
    const kept = await uploadOk(app.url, {
      bytes: await buildSegmentZip({ name: 'ident', version: '1.0.0' }),
      fileName: 'ident.zip',
    });
    for (const version of ['1.0', '1']) {
      expect(await upload('ident', version)).toMatchObject({
        __typename: 'SegmentAlreadyExistsError',
        code: 'SEGMENT_ALREADY_EXISTS',
        message: `segment ident ${version} already exists as version 1.0.0 (versions compare numerically)`,
      });
    }
    // Versions that differ numerically are different segments, prereleases included.
    for (const version of ['1.0.1', '1.0.0-rc.1', '10.0']) {
      expect(await upload('ident', version)).toMatchObject({
        __typename: 'UploadSegmentSuccess',
        segment: { version },
      });
    }
    expect(await upload('ident', '1.0-rc.01')).toMatchObject({ code: 'SEGMENT_ALREADY_EXISTS' });
    const exists = await httpGraphQL(app.url, SegmentExists, { name: 'ident', version: '1' });
    expect(exists.data?.segmentExists).toBe(true);
    const { files, temp } = await storageContents(app.dataDir);
    expect(temp).toEqual([]);
    expect(files).toContain(kept.sha256);
    expect(files).toHaveLength(4);
  });

  it('frees the identity when the segment is deleted', async () => {
    const first = await uploadOk(app.url, {
      bytes: await buildSegmentZip({ name: 'freed', version: '2.0' }),
      fileName: 'freed.zip',
    });
    expect(await deleteSegment(app.url, first.id)).toMatchObject({ __typename: 'DeleteSegmentSuccess' });
    await waitForGone(app.store, first.id);
    expect(await app.store.get(keys.segmentIdentity('freed', '2'))).toBeUndefined();
    expect(await upload('freed', '2.0.0')).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { version: '2.0.0' },
    });
  });

  it('also guards records stored before the identity key existed, whose ids stay as they were', async () => {
    // Written as an earlier release did: the record alone, no identity key.
    await putSegmentRecords(app.store, [segmentRecord('legacy/3.0')]);
    expect(await upload('legacy', '3.0.0')).toMatchObject({
      code: 'SEGMENT_ALREADY_EXISTS',
      message: expect.stringContaining('as version 3.0'),
    });
    const exists = await httpGraphQL(app.url, SegmentExists, { name: 'legacy', version: '3.0' });
    expect(exists.data?.segmentExists).toBe(true);
    expect(await app.store.get(keys.segment('legacy/3.0'))).toBeDefined();
  });

  it('takes over an identity key whose record is gone (deleted by a release that did not know it)', async () => {
    await app.store.put(keys.segmentIdentity('stale', '4'), 'stale/4.0');
    expect(await upload('stale', '4.0.0')).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { version: '4.0.0' },
    });
    expect((await app.store.get(keys.segmentIdentity('stale', '4')))?.value).toBe('stale/4.0.0');
  });
});
