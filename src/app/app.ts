import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { schema } from '../graphql/schema.js';
import type { KvStore } from '../kv/kv.js';
import { openStore } from '../kv/open-kv.js';
import type { Logger } from '../logger.js';
import { type Authenticator, createAuthenticator } from '../server/auth/authenticate.js';
import { withDashboard } from '../server/dashboard.js';
import { withFiles } from '../server/files.js';
import type { ReadinessState } from '../server/health.js';
import { applyHttpTimeouts, closeHttp, listen } from '../server/http.js';
import { createMetricsRegistry, createMetricsServer } from '../server/metrics.js';
import { OriginPolicy } from '../server/origin.js';
import { withUploadEndpoint } from '../server/tus/upload-endpoint.js';
import { UploadSlots } from '../server/upload-slots.js';
import { attachGraphQLWs } from '../server/ws.js';
import { createYogaServer } from '../server/yoga.js';
import { Lifecycle } from './lifecycle.js';
import { sdpReadiness, storeReadiness } from './readiness.js';
import { connectSdp } from './sdp.js';
import { startServiceController, startServices } from './services.js';

export interface AppOptions {
  logger: Logger;
  /** A store opened by the caller (tests share one); otherwise the app opens the configured one and closes it on stop. */
  store?: KvStore;
  /** How long `stop` lets open HTTP requests finish before cutting them. */
  shutdownGraceMs?: number;
  /** The time rollouts judge windows, soaks and retries by (tests move it instead of sleeping). */
  clock?: () => Date;
}

export interface App {
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * The composition root: every part of a seghub process, started in order and stopped in reverse.
 * The controller starts last, so it stops first: a successor takes over leadership while this
 * process still drains its requests.
 */
export function buildApp(
  config: Config,
  { logger, store: givenStore, shutdownGraceMs = 10_000, clock }: AppOptions,
): App {
  const log = logger.child({ component: 'server' });
  let running: Lifecycle | undefined;

  async function start() {
    if (running) throw new Error('app already started');
    const lifecycle = new Lifecycle(log);
    const url = await lifecycle.run(async () => {
      // First: a malformed token file stops start-up before anything is opened.
      const authenticator = await lifecycle.start(
        'authenticator',
        () => createAuthenticator(config.auth, logger.child({ component: 'auth' })),
        (a) => a.close(),
      );
      const store =
        givenStore ??
        (await lifecycle.start(
          'store',
          () => openStore(config.store, logger),
          (s) => s.close(),
        ));
      const registry = createMetricsRegistry();
      const sdp = await lifecycle.start(
        'sdp',
        () => connectSdp(config, logger, registry),
        (s) => s.close(),
      );
      const parts = { store, clients: sdp.clients, logger, registry, clock };
      const keyspace = await lifecycle.start(
        'keyspace',
        () => new AbortController(),
        (c) => c.abort(),
      );
      const probes = [storeReadiness(store, keyspace.signal, log), ...sdpReadiness(sdp.clients)];
      const services = await startServices(lifecycle, config, parts);
      const readiness: ReadinessState = { stopping: false };
      const origins = new OriginPolicy(config.http.corsOrigins);
      // MAX_CONCURRENT_UPLOADS counts multipart uploads and tus PATCHes together.
      const uploadSlots = new UploadSlots(config.upload.maxConcurrent);
      if (config.metrics.port !== undefined) await startMetricsPort(lifecycle, config, registry);
      const yoga = await lifecycle.start(
        'graphql',
        () =>
          createYogaServer({
            schema,
            log,
            auditLog: logger.child({ component: 'audit' }),
            registry,
            probes,
            readiness,
            services,
            maxUploadBytes: config.upload.maxBytes,
            authenticator,
            http: {
              limits: config.http,
              uploads: { ...config.upload, slots: uploadSlots },
              origins,
              metrics: { serve: config.metrics.port === undefined, token: config.metrics.token },
            },
          }),
        (y) => y.dispose(),
      );
      const server = await lifecycle.start(
        'http',
        async () => {
          const files = {
            downloads: services.downloads,
            audit: services.audit,
            origins,
            maxConcurrent: config.transfers.maxConcurrentDownloads,
            registry,
            log: logger.child({ component: 'files' }),
          };
          const uploads = {
            sessions: services.uploadSessions,
            ttlMs: config.transfers.uploadSessionTtlMs,
            maxUploadBytes: config.upload.maxBytes,
            origins,
            slots: uploadSlots,
            refusalDrainBytes: config.http.refusalDrainBytes,
            idleTimeoutMs: config.upload.idleTimeoutMs,
            registry,
            log: logger.child({ component: 'uploads' }),
          };
          const handler = withUploadEndpoint(withFiles(withDashboard(yoga, { log }), files), uploads);
          const server = createServer(handler);
          applyHttpTimeouts(server, config.http);
          await listen(server, config.port, config.host);
          return server;
        },
        (s) => closeHttp(s, shutdownGraceMs),
      );
      // From the root logger: a child of `log` would carry `component` twice.
      const wsLog = logger.child({ component: 'graphql-ws' });
      const ws = attachGraphQLWs(server, yoga, wsLog, authenticator, config.ws, origins);
      lifecycle.onStop('graphql-ws', () => ws.close());
      const controller = startServiceController(services, config, parts);
      lifecycle.onStop('controller', () => controller.stop());
      // Load balancers see "stopping" on /readyz from the first moment of a stop.
      lifecycle.onStop('readiness', () => {
        readiness.stopping = true;
      });
      return serving(server.address() as AddressInfo, store, authenticator);
    });
    running = lifecycle;
    return url;
  }

  function serving({ port }: AddressInfo, store: KvStore, authenticator: Authenticator) {
    const url = `http://localhost:${port}/graphql`;
    log.info({ url, store: store.kind, auth: authenticator.summary }, 'seghub is serving');
    if (!authenticator.enforced) {
      log.warn(
        config.auth.disabled
          ? 'OPEN MODE (AUTH_DISABLED=true): no authentication, every caller acts as admin'
          : 'OPEN MODE: no authentication is configured (AUTH_TOKENS_FILE, AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY), every caller acts as admin; keep this server on a trusted network',
      );
    }
    return { url, port };
  }

  async function stop() {
    if (!running) return;
    const lifecycle = running;
    running = undefined;
    await lifecycle.stop();
    log.info('seghub stopped');
  }

  return { start, stop };
}

/** `METRICS_PORT`: `/metrics` alone on a port of its own, started before and stopped after the API. */
async function startMetricsPort(lifecycle: Lifecycle, config: Config, registry: Registry): Promise<void> {
  const { port = 0, token } = config.metrics;
  await lifecycle.start(
    'metrics',
    async () => {
      const server = createMetricsServer(registry, token);
      await listen(server, port, config.host);
      return server;
    },
    (s) => closeHttp(s, 0),
  );
}
