import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { type KvStore, StoreUnavailableError } from '../../src/kv/kv.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { storageContents, uploadSegment } from '../support/fixtures/segments.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { mountSmallDisk } from '../support/harness/small-disk.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * #23.4 on a real 64 MiB file system, filled to the last page. Regressions: on today's main the
 * embedded store stays stopped after ENOSPC on its log until seghub restarts, and an upload that
 * hits ENOSPC answers "Unexpected error." instead of STORAGE_FULL.
 */
const policy = mountSmallDisk(64);

describe.runIf(policy.disk)('a full disk', () => {
  const disk = policy.disk!;
  afterAll(() => disk.unmount());

  it('stops the embedded store without losing or tearing anything, and it heals once space is freed', async () => {
    const dir = path.join(disk.dir, 'store');
    let store: KvStore = await openEmbeddedKv({ dir, healIntervalMs: 50 });
    try {
      await store.put('kept', 'before the disk filled');
      await disk.fill();
      // Bigger than a page, so it cannot fit in the log's last, partly used page.
      const big = 'x'.repeat(256 * 1024);
      await expect(store.put('lost', big)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.get('kept')).rejects.toBeInstanceOf(StoreUnavailableError);

      await disk.free();
      // No restart: the same store object answers again.
      await waitFor(() => store.put('after', 'healed').then(() => true), {
        timeoutMs: 10_000,
        message: 'the store taking writes again',
      });
      expect((await store.get('kept'))?.value).toBe('before the disk filled');
      expect(await store.get('lost')).toBeUndefined();
      await store.put('lost', big);

      // The log replays cleanly: everything acknowledged, nothing else, no torn record.
      await store.close();
      store = await openEmbeddedKv({ dir });
      const { kvs } = await store.range('');
      expect(kvs.map((kv) => [kv.key, kv.value.length])).toEqual([
        ['after', 6],
        ['kept', 22],
        ['lost', big.length],
      ]);
    } finally {
      await disk.free();
      await store.close();
    }
  });

  it('answers an upload that finds no space with STORAGE_FULL, keeps no partial file, and takes it once freed', async () => {
    const dataDir = path.join(disk.dir, 'seghub');
    let app: SegmentApp | undefined;
    try {
      app = await startSegmentApp({}, { dataDir });
      const bytes = await buildSegmentZip(
        { name: 'full', version: '1.0.0' },
        { 'bin/app': 'y'.repeat(2 << 20) },
      );
      await disk.fill();
      const refused = await uploadSegment(app.url, { bytes, fileName: 'full.zip' });
      expect(refused).toMatchObject({ __typename: 'StorageFullError', code: 'STORAGE_FULL' });
      expect((await storageContents(dataDir)).temp).toEqual([]);
      expect((await readdir(path.join(dataDir, 'segments'))).filter((f) => f.endsWith('.part'))).toEqual([]);

      await disk.free();
      const accepted = await waitFor(
        async () => {
          const result = await uploadSegment(app!.url, { bytes, fileName: 'full.zip' });
          return result.__typename === 'UploadSegmentSuccess' ? result : undefined;
        },
        { timeoutMs: 15_000, message: 'the upload accepted once space is freed' },
      );
      expect(accepted.segment).toMatchObject({ name: 'full', version: '1.0.0' });
    } finally {
      await disk.free();
      await app?.stop();
    }
  });
});
