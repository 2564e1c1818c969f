import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetNode, SegmentExists, SegmentVersions } from '../support/documents/segment-documents.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { storageContents, uploadOk, uploadSegment, waitForSyncStatus } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { remoteCopy, type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('uploading a segment and syncing it to its platform', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  it.each([
    { fileName: 'radar-display-3.5.1.zip', format: 'ZIP', target: 'DEPLOY_PLATFORM' },
    { fileName: 'radar-display-3.5.1.mpk', format: 'MPK', target: 'STORE_15S' },
  ] as const)(
    '$fileName: PENDING, then SYNCED on $target holding the same bytes',
    async ({ fileName, format, target }) => {
      const version = format === 'ZIP' ? '3.5.1' : '3.5.2';
      const bytes = await buildSegmentZip(
        { ...RADAR_MANIFEST, version },
        { 'bin/radar': 'x'.repeat(10_000) },
      );
      const created = await uploadOk(app.url, { bytes, fileName });
      expect(created).toMatchObject({
        name: 'radar-display',
        version,
        format,
        target,
        fileName,
        size: bytes.length,
        sha256: sha256(bytes),
        description: 'Radar display console',
        metadata: { vendor: 'Acme', platform: { os: 'linux', arch: 'x86_64' } },
        isLocal: true,
        deleteStatus: 'NONE',
      });
      expect(['PENDING', 'SYNCED']).toContain(created.sync.status);

      const synced = await waitForSyncStatus(app.url, created.id, 'SYNCED');
      expect(synced.sync).toMatchObject({ attempts: 0, lastError: null });
      expect(synced.sync.syncedAt).toEqual(expect.any(String));
      const uid = synced.remoteExtra?.uid;
      expect(uid).toEqual(expect.any(String));
      const remote = await remoteCopy(app.sim, target, uid!);
      expect(remote).toMatchObject({
        name: 'radar-display',
        version,
        size: bytes.length,
        sha256: sha256(bytes),
      });
      expect(remote?.storedSha256).toBe(sha256(bytes));

      const { files } = await storageContents(app.dataDir);
      expect(files).toContain(sha256(bytes));
    },
  );

  it('keeps a file name outside ASCII as the browser sent it (UTF-8)', async () => {
    const bytes = await buildSegmentZip({ ...RADAR_MANIFEST, version: '3.6.0' });
    const fileName = 'radär-skärm-3.6.0.zip';
    expect((await uploadOk(app.url, { bytes, fileName })).fileName).toBe(fileName);
  });

  it('answers segmentExists, node and segmentVersions (newest first, numerically)', async () => {
    const versions = ['1.2.0', '1.10.0', '1.9.3', '1.10.0-rc.1'];
    const ids: string[] = [];
    for (const version of versions) {
      const bytes = await buildSegmentZip({ name: 'versioned', version });
      ids.push((await uploadOk(app.url, { bytes, fileName: `versioned-${version}.zip` })).id);
    }
    const exists = await httpGraphQL(app.url, SegmentExists, { name: 'versioned', version: '1.9.3' });
    const missing = await httpGraphQL(app.url, SegmentExists, { name: 'versioned', version: '9.9.9' });
    expect([exists.data?.segmentExists, missing.data?.segmentExists]).toEqual([true, false]);

    const node = await httpGraphQL(app.url, GetNode, { id: ids[0]! });
    expect(node.data?.node).toMatchObject({
      __typename: 'Segment',
      id: ids[0],
      name: 'versioned',
      version: '1.2.0',
    });

    const listed = await httpGraphQL(app.url, SegmentVersions, { id: ids[2]! });
    expect(listed.data?.segmentVersions.map((s) => s.version)).toEqual([
      '1.10.0',
      '1.10.0-rc.1',
      '1.9.3',
      '1.2.0',
    ]);

    const unknown = await httpGraphQL(app.url, SegmentVersions, { id: 'U2VnbWVudDpub3BlLzEuMA==' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('SEGMENT_NOT_FOUND');
  });

  it('refuses a second upload of the same name and version, keeping the first', async () => {
    const first = await buildSegmentZip({ name: 'twice', version: '1.0.0' }, { a: 'first' });
    const second = await buildSegmentZip(
      { name: 'twice', version: '1.0.0' },
      { a: 'second, different bytes' },
    );
    const kept = await uploadOk(app.url, { bytes: first, fileName: 'twice.zip' });
    const refused = await uploadSegment(app.url, { bytes: second, fileName: 'twice.zip' });
    expect(refused).toMatchObject({
      __typename: 'SegmentAlreadyExistsError',
      code: 'SEGMENT_ALREADY_EXISTS',
    });
    const { files, temp } = await storageContents(app.dataDir);
    expect(files).toContain(kept.sha256);
    expect(files).not.toContain(sha256(second));
    expect(temp).toEqual([]);
  });
});
