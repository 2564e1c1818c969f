import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { type Controller, startController } from '../controller/controller.js';
import { controllerMetrics } from '../controller/controller-metrics.js';
import { GroupFreezeGuard } from '../domain/groups/freeze-guard.js';
import { GroupService } from '../domain/groups/group-service.js';
import { InstallEvents } from '../domain/installs/install-events.js';
import { InstallService } from '../domain/installs/install-service.js';
import { SeatService } from '../domain/seats/seat-service.js';
import { RemoteSyncService } from '../domain/segments/remote-sync-service.js';
import { SegmentCatalog, segmentListOrder } from '../domain/segments/segment-catalog.js';
import { SegmentEvents } from '../domain/segments/segment-events.js';
import { SegmentService } from '../domain/segments/segment-service.js';
import type { Services } from '../domain/services.js';
import { Downloads } from '../domain/transfers/downloads.js';
import { TransferTokens } from '../domain/transfers/transfer-tokens.js';
import { UploadLockTable } from '../domain/transfers/upload-lock-table.js';
import { UploadSessions } from '../domain/transfers/upload-sessions.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { AuditLog } from '../records/audit-log.js';
import { InstallRecords } from '../records/install-records.js';
import { RemoteSyncStore } from '../records/remote-sync-store.js';
import { SeatBindings } from '../records/seat-bindings.js';
import { SeatCache } from '../records/seat-cache.js';
import { SeatGroupRecords } from '../records/seat-group-records.js';
import { SeatRecords } from '../records/seat-records.js';
import { SegmentCache } from '../records/segment-cache.js';
import { SegmentRecords } from '../records/segment-records.js';
import { SegmentSeats } from '../records/segment-seats.js';
import { TransferTokenRecords } from '../records/transfer-token-records.js';
import { UploadLocks } from '../records/upload-locks.js';
import { UploadSessionRecords } from '../records/upload-session-records.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import { openFileStorage } from '../storage/file-storage.js';
import { seatCacheMetrics, segmentCacheMetrics } from './cache-metrics.js';
import { controllerMembersService } from './controller-members.js';
import { desiredVersionServices } from './desired-version-services.js';
import type { Lifecycle } from './lifecycle.js';
import { startRolloutServices } from './rollout-services.js';
import { sweepStorage } from './storage-sweep.js';
import { trustCore, trustServices } from './trust-services.js';

/** How long `syncRemote` waits for the leader's report (a pass downloading gigabytes takes a while). */
const REMOTE_SYNC_REQUEST_TIMEOUT_MS = 10 * 60_000;

interface Parts {
  store: KvStore;
  clients: SdpClients;
  logger: Logger;
  registry: Registry;
  /** The rollouts' clock (tests inject one); the system clock when absent. */
  clock?: () => Date;
}

/** The domain services of one seghub process, with the storage housekeeping; each registers its stop. */
export async function startServices(
  lifecycle: Lifecycle,
  config: Pick<
    Config,
    | 'storage'
    | 'upload'
    | 'manifest'
    | 'sync'
    | 'audit'
    | 'converge'
    | 'groups'
    | 'transfers'
    | 'rollouts'
    | 'install'
    | 'trust'
  >,
  { store, clients, logger, registry, clock }: Parts,
): Promise<Services> {
  const storage = await openFileStorage(config.storage.dir, { logger });
  const cache = await lifecycle.start(
    'segment cache',
    () =>
      new SegmentCache(store, { order: segmentListOrder, log: logger.child({ component: 'segment-cache' }) }),
    (c) => c.close(),
  );
  cache.start();
  segmentCacheMetrics(cache, registry);
  const catalog = new SegmentCatalog(cache);
  const segments = new SegmentService({
    records: new SegmentRecords(store),
    catalog,
    storage,
    maxUploadBytes: config.upload.maxBytes,
    manifestLimits: config.manifest,
    retry: { retryMax: config.sync.retryMax, retryBaseMs: config.sync.retryBaseMs },
  });
  const seatCache = await lifecycle.start(
    'seat cache',
    () => new SeatCache(store, { log: logger.child({ component: 'seat-cache' }) }),
    (c) => c.close(),
  );
  seatCache.start();
  seatCacheMetrics(seatCache, registry);
  const seats = new SeatService({
    records: new SeatRecords(store),
    bindings: new SeatBindings(store),
    segmentSeats: new SegmentSeats(store),
    cache: seatCache,
  });
  const groups = new GroupService({
    cache: seatCache,
    records: new SeatGroupRecords(store),
    maxGroups: config.groups.maxGroups,
  });
  const freezes = new GroupFreezeGuard(groups);
  const trust = trustCore(store, { segments, catalog, groups }, config, { logger, clock });
  const segmentEvents = await lifecycle.start(
    'segment events',
    () => new SegmentEvents(store, segments, logger.child({ component: 'segment-events' })),
    (e) => e.close(),
  );
  const installs = new InstallService({
    records: new InstallRecords(store),
    segmentSeats: new SegmentSeats(store),
    segments,
    seats,
    clients,
    releaseGuard: trust.guard,
    freezeGuard: freezes,
    ...(clock ? { now: clock } : {}),
  });
  const { desiredVersions, converge } = desiredVersionServices(
    store,
    { groups, freezes },
    segments,
    installs,
    config,
  );
  const installEvents = await lifecycle.start(
    'install events',
    () => new InstallEvents(store, installs, logger.child({ component: 'install-events' })),
    (e) => e.close(),
  );
  const { rollouts, rolloutEvents, rolloutEngine } = await startRolloutServices(
    lifecycle,
    store,
    {
      segments,
      installs,
      seats,
      groups,
      desired: desiredVersions,
      freezes,
      releaseGuard: trust.guard,
      trust: trust.guard,
      checkFile: (segment) => trust.integrity.checkForRelease(segment),
    },
    config,
    { logger, clock, registry },
  );
  const remoteSync = new RemoteSyncService({
    store: new RemoteSyncStore(store),
    requestTimeoutMs: REMOTE_SYNC_REQUEST_TIMEOUT_MS,
  });
  const audit = await lifecycle.start(
    'audit trail',
    () => new AuditLog(store, config.audit.retentionDays * 86_400_000, logger.child({ component: 'audit' })),
    (a) => a.settled(),
  );
  const transferTokens = await lifecycle.start(
    'transfer tokens',
    () => transferTokenService(store, config, logger),
    (t) => t.settled(),
  );
  const uploadSessions = await startUploadSessions(lifecycle, config, store, logger, {
    tokens: transferTokens,
    storage,
    segments,
  });
  const downloads = new Downloads({
    tokens: transferTokens,
    segments,
    publicUrl: config.transfers.publicUrl,
  });
  const sweeping = new AbortController();
  const swept = sweepStorage(storage, segments, store.kind, sweeping.signal, logger);
  lifecycle.onStop('storage sweep', () => {
    sweeping.abort(new Error('stopping'));
    return swept;
  });
  return {
    segments,
    catalog,
    segmentEvents,
    seats,
    groups,
    freezes,
    desiredVersions,
    converge,
    remoteSync,
    installs,
    installEvents,
    rollouts,
    rolloutEvents,
    rolloutEngine,
    audit,
    transferTokens,
    uploadSessions,
    downloads,
    trust: trustServices(store, trust, { segments, catalog, groups, installs, downloads }, config, {
      registry,
      clock,
    }),
    controllerMembers: controllerMembersService(store, catalog, clock),
  };
}

/** Upload and download tokens (D12), state and signing key in the store. */
function transferTokenService(store: KvStore, config: Pick<Config, 'transfers'>, logger: Logger) {
  const log = logger.child({ component: 'transfer-tokens' });
  return new TransferTokens(
    new TransferTokenRecords(store),
    { ttlSeconds: config.transfers.tokenTtlSeconds, extendSeconds: config.transfers.tokenExtendSeconds },
    { onSweepError: (err) => log.warn({ err }, 'sweeping expired transfer tokens failed') },
  );
}

/** How often each process removes upload sessions idle past UPLOAD_SESSION_TTL_H (creates sweep too). */
const UPLOAD_SESSION_SWEEP_MS = 10 * 60_000;

/**
 * Resumable uploads: sessions and their locks in the store. Every process passes the store's lock
 * release requests to its own holders and sweeps expired sessions (idempotent: one removal wins).
 */
async function startUploadSessions(
  lifecycle: Lifecycle,
  config: Pick<Config, 'transfers'>,
  store: KvStore,
  logger: Logger,
  parts: Pick<ConstructorParameters<typeof UploadSessions>[0], 'tokens' | 'storage' | 'segments'>,
): Promise<UploadSessions> {
  const log = logger.child({ component: 'upload-sessions' });
  const locks = await lifecycle.start(
    'upload locks',
    () => new UploadLockTable(new UploadLocks(store)),
    (l) => l.close(),
  );
  const {
    uploadSessionTtlMs: ttlMs,
    maxUploadSessionsPerPrincipal: maxPerPrincipal,
    publicUrl,
  } = config.transfers;
  const sessions = new UploadSessions({
    ...parts,
    records: new UploadSessionRecords(store),
    locks,
    settings: { ttlMs, maxPerPrincipal, ...(publicUrl === undefined ? {} : { publicUrl }) },
  });
  const running = new AbortController();
  const served = locks.serveRequests(running.signal).catch((err: unknown) => {
    if (!running.signal.aborted) log.error({ err }, 'upload lock requests are no longer watched');
  });
  const timer = setInterval(() => {
    sessions.sweepExpired().then(
      (removed) => removed > 0 && log.info({ removed }, 'removed expired upload sessions'),
      (err: unknown) => log.warn({ err }, 'sweeping expired upload sessions failed; will retry'),
    );
  }, UPLOAD_SESSION_SWEEP_MS);
  timer.unref();
  lifecycle.onStop('upload sessions', () => {
    clearInterval(timer);
    running.abort(new Error('stopping'));
    return served;
  });
  return sessions;
}

/** The controller over the services; it campaigns for leadership and reconciles while it leads. */
export function startServiceController(
  services: Services,
  config: Pick<Config, 'controller' | 'install' | 'sync' | 'trust'>,
  { store, clients, logger, registry, clock }: Parts,
): Controller {
  return startController({
    ...(clock ? { now: clock } : {}),
    store,
    segments: services.segments,
    remoteSync: services.remoteSync,
    installs: services.installs,
    seats: services.seats,
    clients,
    logger,
    metrics: controllerMetrics(registry),
    ...config.controller,
    install: config.install,
    remoteSyncIntervalMs: config.sync.remoteIntervalMs,
    converge: { service: services.converge, groups: services.groups },
    rollouts: services.rolloutEngine,
    trust: {
      ...services.trust,
      groups: services.groups,
      integrityIntervalMs: config.trust.integrityCheckIntervalMs,
    },
  });
}
