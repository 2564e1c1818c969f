import { setTimeout as delay } from 'node:timers/promises';
import { readManifest } from '../archive/read-manifest.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { segmentId } from '../model/segment-identity.js';
import type { FileStorage, StagedFile } from '../storage/file-storage.js';
import { retryUntilDone } from '../util/backoff.js';

const IDLE_GRACE_MS = 10 * 60_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Removes what a crash left in storage's temp area, and segment files no record names, until
 * `signal` aborts. The embedded store admits one process, so at start-up every temp file is a
 * leftover; with etcd, replicas may share the storage directory, so only files idle for a while are
 * touched.
 */
export async function sweepStorage(
  storage: FileStorage,
  segments: SegmentService,
  storeKind: KvStore['kind'],
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  // Later sweeps run while uploads are under way: only files idle for a while are leftovers.
  let graceMs = storeKind === 'embedded' ? 0 : IDLE_GRACE_MS;
  const isReferenced = async (staged: StagedFile) => {
    const manifest = await readManifest(staged.path).catch(() => undefined);
    if (!manifest) return false;
    const segment = await segments.get(segmentId(manifest.name, manifest.version));
    return segment?.record.sha256 === staged.sha256;
  };
  const log = logger.child({ component: 'storage' });
  while (!signal.aborted) {
    const sweep = async () => {
      await storage.sweep({ graceMs, isReferenced });
      const orphans = await segments.removeOrphanFiles();
      if (orphans.length > 0) log.info({ orphans }, 'removed segment files no record names');
    };
    await retryUntilDone(sweep, {
      baseMs: 1000,
      maxMs: 60_000,
      signal,
      onError: (err) => log.warn({ err }, 'storage sweep failed; will retry'),
    }).catch(() => {});
    graceMs = IDLE_GRACE_MS;
    await delay(SWEEP_INTERVAL_MS, undefined, { signal, ref: false }).catch(() => {});
  }
}
