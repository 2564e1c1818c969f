import { setTimeout as delay } from 'node:timers/promises';
import { Gauge, type Registry } from 'prom-client';
import { readManifest } from '../archive/read-manifest.js';
import type { Config } from '../config/config.js';
import { type Controller, startController } from '../controller/controller.js';
import { controllerMetrics } from '../controller/controller-metrics.js';
import { InstallEvents } from '../domain/installs/install-events.js';
import { InstallService } from '../domain/installs/install-service.js';
import { SeatService } from '../domain/seats/seat-service.js';
import { RemoteSyncService } from '../domain/segments/remote-sync-service.js';
import { SegmentCatalog, segmentListOrder } from '../domain/segments/segment-catalog.js';
import { SegmentEvents } from '../domain/segments/segment-events.js';
import { SegmentService } from '../domain/segments/segment-service.js';
import type { Services } from '../domain/services.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { segmentId } from '../model/segment-identity.js';
import { AuditLog } from '../records/audit-log.js';
import { InstallRecords } from '../records/install-records.js';
import { RemoteSyncStore } from '../records/remote-sync-store.js';
import { SeatBindings } from '../records/seat-bindings.js';
import { SeatRecords } from '../records/seat-records.js';
import { SegmentCache, type SegmentCacheStats } from '../records/segment-cache.js';
import { SegmentRecords } from '../records/segment-records.js';
import { SegmentSeats } from '../records/segment-seats.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import { type FileStorage, openFileStorage, type StagedFile } from '../storage/file-storage.js';
import { retryUntilDone } from '../util/backoff.js';

export interface Domain {
  readonly services: Services;
  readonly controller: Controller;
  /** Stops the controller first (handing leadership over), then everything else. */
  close(): Promise<void>;
}

/** The domain services, the controller and the storage housekeeping of one seghub process. */
export async function startDomain(
  config: Config,
  deps: { store: KvStore; clients: SdpClients; logger: Logger; registry: Registry },
): Promise<Domain> {
  const { store, clients, logger } = deps;
  const storage = await openFileStorage(config.storage.dir, { logger });
  const records = new SegmentRecords(store);
  const cache = new SegmentCache(store, {
    order: segmentListOrder,
    log: logger.child({ component: 'segment-cache' }),
  });
  cache.start();
  segmentCacheMetrics(cache, deps.registry);
  const catalog = new SegmentCatalog(cache);
  const segments = new SegmentService({
    records,
    catalog,
    storage,
    maxUploadBytes: config.upload.maxBytes,
    retry: { retryMax: config.sync.retryMax, retryBaseMs: config.sync.retryBaseMs },
  });
  const seats = new SeatService({
    records: new SeatRecords(store),
    bindings: new SeatBindings(store),
    segmentSeats: new SegmentSeats(store),
  });
  const segmentEvents = new SegmentEvents(store, segments, logger.child({ component: 'segment-events' }));
  const installs = new InstallService({
    records: new InstallRecords(store),
    segmentSeats: new SegmentSeats(store),
    segments,
    seats,
    clients,
  });
  const installEvents = new InstallEvents(store, installs, logger.child({ component: 'install-events' }));
  const remoteSync = new RemoteSyncService({
    store: new RemoteSyncStore(store),
    requestTimeoutMs: REMOTE_SYNC_REQUEST_TIMEOUT_MS,
  });
  const audit = new AuditLog(
    store,
    config.audit.retentionDays * 86_400_000,
    logger.child({ component: 'audit' }),
  );
  const background = new AbortController();
  const sweeping = sweepStorage(storage, segments, store.kind, background.signal, logger);
  const controller = startController({
    store,
    segments,
    clients,
    logger,
    metrics: controllerMetrics(deps.registry),
    ...config.controller,
    remoteSync,
    remoteSyncIntervalMs: config.sync.remoteIntervalMs,
    installs,
    seats,
    install: config.install,
  });
  return {
    services: { segments, catalog, segmentEvents, seats, remoteSync, installs, installEvents, audit },
    controller,
    async close() {
      background.abort(new Error('stopping'));
      await controller.stop();
      await cache.close();
      await segmentEvents.close();
      await installEvents.close();
      await audit.settled();
      await sweeping;
    },
  };
}

/** `seghub_segment_cache_*`: a cache that keeps listing or fencing points at a store in trouble. */
function segmentCacheMetrics(cache: SegmentCache, registry: Registry): void {
  const gauge = (name: string, help: string, read: (stats: SegmentCacheStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(cache.stats()));
      },
    });
  gauge('seghub_segment_cache_records', 'Segment records held in memory for lists', (s) => s.records);
  gauge(
    'seghub_segment_cache_lists',
    'Full lists of the store since start (the watch could not resume)',
    (s) => s.lists,
  );
  gauge(
    'seghub_segment_cache_fences',
    'Read barriers that had to write meta/read-fence, since start',
    (s) => s.fences,
  );
}

/**
 * Removes what a crash left in storage's temp area. The embedded store admits one process, so at
 * start-up every temp file is a leftover; with etcd, replicas may share the storage directory, so
 * only files idle for a while are touched.
 */
async function sweepStorage(
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

/** How long `syncRemote` waits for the leader's report (a pass downloading gigabytes takes a while). */
const REMOTE_SYNC_REQUEST_TIMEOUT_MS = 10 * 60_000;
const IDLE_GRACE_MS = 10 * 60_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;
