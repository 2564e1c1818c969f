import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { completeSession, createSession, sha256Of } from '../support/fixtures/tus-upload.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { mountSmallDisk } from '../support/harness/small-disk.js';
import { tempDir } from '../support/harness/temp.js';

/**
 * Issue 27: a PATCH that finds the disk full is answered STORAGE_FULL (507), the bytes received
 * before it are kept, and the upload resumes from there once space is freed. Segment files on a
 * real 64 MiB file system; the store elsewhere, so only the upload meets the full disk.
 */
const policy = mountSmallDisk(64);

describe.runIf(policy.disk)('an upload session on a full disk', () => {
  const disk = policy.disk!;
  afterAll(() => disk.unmount());

  it('answers STORAGE_FULL, keeps the bytes before it, and resumes once space is freed', async () => {
    const storeDir = await tempDir('seghub-store');
    const store = await openEmbeddedKv({ dir: storeDir.dir });
    let app: SegmentApp | undefined;
    try {
      app = await startSegmentApp({}, { dataDir: path.join(disk.dir, 'seghub'), store });
      const bytes = await buildSegmentZip(
        { name: 'full', version: '2.0.0' },
        { 'bin/app': randomBytes(4 << 20) },
        { compression: 'STORE' },
      );
      const session = await createSession(app.url, { fileName: 'full.zip', size: bytes.length });
      const patch = (offset: number, body: Buffer) =>
        fetch(new URL(session.uploadUrl, app!.base), {
          method: 'PATCH',
          headers: {
            'tus-resumable': '1.0.0',
            authorization: `Bearer ${session.token}`,
            'upload-offset': String(offset),
            'content-type': 'application/offset+octet-stream',
          },
          body: new Uint8Array(body),
        });
      const head = async () =>
        Number(
          (
            await fetch(new URL(session.uploadUrl, app!.base), {
              method: 'HEAD',
              headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${session.token}` },
            })
          ).headers.get('upload-offset'),
        );
      const first = 1 << 20;
      expect((await patch(0, bytes.subarray(0, first))).status).toBe(204);

      await disk.fill();
      const refused = await patch(first, bytes.subarray(first));
      expect(refused.status).toBe(507);
      expect(await refused.text()).toMatch(/^STORAGE_FULL/);
      expect(await head()).toBe(first);

      await disk.free();
      expect((await patch(first, bytes.subarray(first))).status).toBe(204);
      expect(await completeSession(app.url, session.id)).toMatchObject({
        __typename: 'UploadSegmentSuccess',
        segment: { sha256: sha256Of(bytes) },
      });
    } finally {
      await disk.free();
      await app?.stop();
      await store.close();
      await storeDir.remove();
    }
  });
});
