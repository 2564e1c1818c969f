import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmentService } from '../../src/domain/segments/segment-service.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { SegmentRecords } from '../../src/records/segment-records.js';
import { type FileStorage, openFileStorage } from '../../src/storage/file-storage.js';
import { catalogOf } from '../support/fixtures/segment-catalog.js';
import { tempDir } from '../support/harness/temp.js';

const logger = pino({ level: 'silent' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('SegmentService.removeOrphanFiles', () => {
  let kv: KvStore;
  let storage: FileStorage;
  let segments: SegmentService;
  let records: SegmentRecords;
  let removeDir: () => Promise<void>;
  let closeCatalog: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir('seghub-orphans');
    removeDir = temp.remove;
    kv = await openEmbeddedKv({ dir: path.join(temp.dir, 'kv') });
    storage = await openFileStorage(path.join(temp.dir, 'segments'), { logger });
    records = new SegmentRecords(kv);
    const { catalog, close } = catalogOf(kv);
    closeCatalog = close;
    segments = new SegmentService({
      records,
      catalog,
      storage,
      maxUploadBytes: 1024,
      retry: { retryMax: 1, retryBaseMs: 1 },
    });
  });

  afterEach(async () => {
    await closeCatalog();
    await kv.close();
    await removeDir();
  });

  it('removes the files no record names (a removal cut short by a crash) and keeps the others', async () => {
    const kept = sha256('kept');
    const orphan = sha256('orphan');
    await writeFile(storage.pathOf(kept), 'kept');
    await writeFile(storage.pathOf(orphan), 'orphan');
    await records.create('kept/1.0.0', {
      instanceId: 'i-1',
      name: 'kept',
      version: '1.0.0',
      format: 'ZIP',
      target: 'DEPLOY_PLATFORM',
      fileName: 'kept.zip',
      size: 4,
      sha256: kept,
      metadata: {},
      isLocal: true,
      createdAt: new Date().toISOString(),
      sync: { status: 'PENDING', attempts: 0 },
      deleteStatus: 'NONE',
    });

    expect(await segments.removeOrphanFiles()).toEqual([orphan]);
    expect(await storage.files()).toEqual([kept]);
    expect(await segments.removeOrphanFiles()).toEqual([]);
  });
});
