import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { schema } from '../graphql/schema.js';
import type { KvStore } from '../kv/kv.js';
import { openStore } from '../kv/open-kv.js';
import type { Logger } from '../logger.js';
import { initKeyspace, KeyspaceVersionError } from '../records/keyspace.js';
import { sdpReadinessProbes } from '../sdp/sdp-clients.js';
import { createAuthenticator } from '../server/auth/authenticate.js';
import { withDashboard } from '../server/dashboard.js';
import type { ReadinessProbe, ReadinessState } from '../server/health.js';
import { createMetricsRegistry } from '../server/metrics.js';
import { attachGraphQLWs, type GraphQLWsServer } from '../server/ws.js';
import { createYogaServer, type SeghubYoga } from '../server/yoga.js';
import { retryUntilDone } from '../util/backoff.js';
import { connectSdp, type SdpConnection } from './sdp.js';
import { type Domain, startDomain } from './services.js';

export interface AppOptions {
  logger: Logger;
  /** A store opened by the caller (tests share one); otherwise the app opens the configured one and closes it on stop. */
  store?: KvStore;
  /** How long `stop` lets open HTTP requests finish before cutting them. */
  shutdownGraceMs?: number;
}

export interface App {
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

interface Running {
  server: Server;
  ws: GraphQLWsServer;
  yoga: SeghubYoga;
  store: KvStore;
  ownsStore: boolean;
  sdp: SdpConnection;
  domain: Domain;
  background: AbortController;
}

export function buildApp(
  config: Config,
  { logger, store: givenStore, shutdownGraceMs = 10_000 }: AppOptions,
): App {
  const log = logger.child({ component: 'server' });
  const readiness: ReadinessState = { stopping: false };
  let running: Running | undefined;

  async function start() {
    if (running) throw new Error('app already started');
    // First: a malformed token file stops start-up before anything is opened.
    const authenticator = await createAuthenticator(config.auth);
    const store = givenStore ?? (await openStore(config.store, logger));
    const registry = createMetricsRegistry();
    let sdp: SdpConnection;
    try {
      sdp = await connectSdp(config, logger, registry);
    } catch (error) {
      if (!givenStore) await store.close();
      throw error;
    }
    const background = new AbortController();
    const keyspace = bootstrapKeyspace(store, background.signal, log);
    let domain: Domain;
    try {
      domain = await startDomain(config, { store, clients: sdp.clients, logger, registry });
    } catch (error) {
      background.abort(error);
      await sdp.close();
      if (!givenStore) await store.close();
      throw error;
    }
    const probes: ReadinessProbe[] = [
      {
        name: 'store',
        async check() {
          const { revision } = await store.ping(1000);
          if (keyspace.failure) throw keyspace.failure;
          if (!keyspace.done) throw new Error('keyspace not initialised yet');
          return { kind: store.kind, revision };
        },
      },
      ...sdpReadinessProbes(sdp.clients),
    ];
    const yoga = createYogaServer({
      schema,
      log,
      registry,
      probes,
      readiness,
      services: domain.services,
      maxUploadBytes: config.upload.maxBytes,
      authenticator,
    });
    const server = createServer(withDashboard(yoga, { log }));
    applyHttpTimeouts(server, config.http);
    try {
      await listen(server, config.port, config.host);
    } catch (error) {
      // Release the store (and its lock) so a retry, or another process, can have it.
      background.abort(error);
      await domain.close();
      await yoga.dispose();
      await sdp.close();
      if (!givenStore) await store.close();
      throw error;
    }
    const ws = attachGraphQLWs(server, yoga, log.child({ component: 'graphql-ws' }), authenticator);
    running = { server, ws, yoga, store, ownsStore: !givenStore, sdp, domain, background };
    const { port } = server.address() as AddressInfo;
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
    const { server, ws, yoga, store, ownsStore, sdp, domain, background } = running;
    running = undefined;
    readiness.stopping = true;
    background.abort(new Error('stopping'));
    // Leadership first: a successor takes over while this process still drains its requests.
    await domain.controller.stop();
    await ws.close();
    await closeHttp(server, shutdownGraceMs);
    await domain.close();
    await yoga.dispose();
    await sdp.close();
    if (ownsStore) await store.close();
    log.info('seghub stopped');
  }

  return { start, stop };
}

/** Keeps trying in the background: an unreachable etcd at start-up makes seghub unready, not dead. */
function bootstrapKeyspace(store: KvStore, signal: AbortSignal, log: Logger) {
  const state: { done: boolean; failure?: Error } = { done: false };
  retryUntilDone(() => initKeyspace(store), {
    baseMs: 250,
    maxMs: 10_000,
    signal,
    isPermanent: (err) => err instanceof KeyspaceVersionError,
    onError: (err, attempt, nextDelayMs) =>
      log.warn({ err, attempt, nextDelayMs }, 'store not ready; will retry keyspace initialisation'),
  }).then(
    (info) => {
      state.done = true;
      log.info({ keyspace: info }, info.created ? 'initialised a new store' : 'opened an existing store');
    },
    (err) => {
      if (signal.aborted) return;
      state.failure = err instanceof Error ? err : new Error(String(err));
      log.fatal({ err }, 'cannot use this store; seghub stays unready');
    },
  );
  return state;
}

/**
 * Multi-GiB uploads take minutes to hours: the whole-request limit is generous (Node's default of
 * 5 minutes would cut them off) and the idle limit outlasts the longest silent wait (`syncRemote`
 * waits up to 10 minutes for the leader's report; graphql-ws pings every 12 s), while headers must
 * arrive within a minute, so slow or silent clients cannot hold connections for long.
 */
function applyHttpTimeouts(server: Server, http: Config['http']): void {
  server.requestTimeout = http.requestTimeoutMs;
  server.headersTimeout = http.headersTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.timeout = http.idleTimeoutMs;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets running requests finish within the grace period, then cuts the rest. */
async function closeHttp(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
