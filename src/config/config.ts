import path from 'node:path';
import type { LogLevel } from '../logger.js';
import { type SimConfig, simConfigFrom } from '../sim/sim-config.js';
import { ConfigError, deepFreeze, orExit, parseEnv } from '../util/env.js';
import { dataDirOf, directoryProblem } from '../util/env-fields.js';
import { authPolicyProblem } from './auth-config.js';
import { type ShardingConfig, shardingConfigFrom } from './controller-config.js';
import { envSchema } from './env-schema.js';
import { type TrustConfig, trustConfigFrom } from './trust-config.js';

/**
 * The only reader of `process.env` for seghub. Every variable of the interface contract is parsed
 * here, the simulator's among them (`sim/sim-config.ts`), all problems are reported at once, and the
 * result is a frozen, typed object whose sections are the slices each part is handed.
 */

export type StoreConfig =
  | { kind: 'embedded'; dir: string }
  | { kind: 'etcd'; endpoints: string[]; prefix: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  readonly store: StoreConfig;
  readonly sdp: SdpConfig;
  readonly sim: SimConfig;
  readonly upload: {
    readonly maxBytes: number;
    /** Uploads being received at once; one more is refused with `TOO_MANY_UPLOADS`. */
    readonly maxConcurrent: number;
    /** An upload body that sends nothing for this long is aborted (`UPLOAD_IDLE_TIMEOUT`). */
    readonly idleTimeoutMs: number;
  };
  /** `/metrics`: bearer token required when set; on its own port when `port` is set. */
  readonly metrics: { readonly token?: string; readonly port?: number };
  /** What a `segment.json` may hold beyond its 64 KiB: nesting depth and object members. */
  readonly manifest: { readonly maxDepth: number; readonly maxKeys: number };
  /** Segment files, content-addressed; shared by every replica when they share it. */
  readonly storage: { readonly dir: string };
  readonly controller: {
    readonly workers: number;
    readonly resyncMs: number;
    readonly leaseTtlSeconds: number;
    /** CONTROLLER_MODE=sharded: this replica's member id and lease TTL; undefined in leader mode. */
    readonly sharding?: ShardingConfig;
  };
  readonly sync: {
    readonly retryMax: number;
    readonly retryBaseMs: number;
    readonly remoteIntervalMs: number;
  };
  readonly install: {
    readonly pollMs: number;
    /** A record still running this long after it started is ended: seats that never answered fail. */
    readonly timeoutMs: number;
    /** Ended install records (with their logs) kept per segment; older ones are deleted. */
    readonly historyKeep: number;
  };
  readonly groups: {
    /** Seat groups seghub holds (MAX_SEAT_GROUPS). */
    readonly maxGroups: number;
  };
  /** Converge of desired versions (D4). */
  /** Staged rollouts (SPEC-FLEET section 2, D5, D7). */
  readonly rollouts: {
    /** ROLLOUT_SELF_APPROVAL: the creator of a rollout may approve its waves. */
    readonly selfApproval: boolean;
    /** SOAK_CHECK_S: how often a soaking wave's installed sets are read again. */
    readonly soakCheckMs: number;
    /** MAX_SEATS_IN_FLIGHT: the most seats one rollout step changes at once. */
    readonly maxSeatsInFlight: number;
    /** ROLLOUT_RETRY_BASE_S: the wait before a failed seat's first retry; it doubles with each. */
    readonly retryBaseSeconds: number;
    /** ROLLOUT_HISTORY_KEEP: rollouts kept per segment name once ended. */
    readonly historyKeep: number;
  };
  /** Signed segments and the release lifecycle (SPEC-FLEET section 3). */
  readonly trust: TrustConfig;
  readonly converge: {
    /** Seats per converge install record. */
    readonly batchSeats: number;
    /** A seat is parked after this many failed attempts. */
    readonly retryMax: number;
    /** The wait before a failed seat's second attempt; it doubles with each. */
    readonly retryBaseMs: number;
  };
  readonly auth: {
    readonly tokensFile?: string;
    /** How often the token file's stat is polled for a change to load (0: read at start-up only). */
    readonly tokensReloadMs: number;
    readonly jwtSecret?: string;
    /** PEM text (read from the file when the variable names one). */
    readonly jwtPublicKey?: string;
    readonly disabled: boolean;
  };
  readonly audit: { readonly retentionDays: number };
  /** Upload and download tokens (SPEC-FLEET section 4, D12). */
  readonly transfers: {
    /** A token must first be used within this many seconds of its creation (TRANSFER_TOKEN_TTL_S). */
    readonly tokenTtlSeconds: number;
    /** Each use extends a token to at least this many seconds from the use (TRANSFER_TOKEN_EXTEND_S). */
    readonly tokenExtendSeconds: number;
    /** An upload session untouched this long is removed with its bytes (UPLOAD_SESSION_TTL_H). */
    readonly uploadSessionTtlMs: number;
    /** Open upload sessions one principal may hold (MAX_UPLOAD_SESSIONS_PER_PRINCIPAL). */
    readonly maxUploadSessionsPerPrincipal: number;
    /** seghub's URL as clients reach it (PUBLIC_URL): `uploadUrl` and `downloadUrl` are absolute under it when set. */
    readonly publicUrl?: string;
    /** Downloads from `/files/` served at once by this process (MAX_CONCURRENT_DOWNLOADS). */
    readonly maxConcurrentDownloads: number;
  };
  /** What one graphql-ws socket and one caller may hold (see docs/configuration.md). */
  readonly ws: {
    readonly maxMessageBytes: number;
    readonly maxSubscriptionsPerSocket: number;
    readonly maxSubscriptionsPerPrincipal: number;
  };
  /** Sized for multi-GiB uploads on slow links; see docs/configuration.md. */
  readonly http: {
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly keepAliveGraceMs: number;
    readonly idleTimeoutMs: number;
    /** Largest non-multipart request body (`REQUEST_BODY_TOO_LARGE`). */
    readonly maxJsonBodyBytes: number;
    /** How much of a refused request's body is read and discarded so the client can read the refusal. */
    readonly refusalDrainBytes: number;
    /** Browser origins besides seghub's own that may call the API (CORS and WebSocket). */
    readonly corsOrigins: readonly string[];
  };
}

export interface SdpConfig {
  /** Unset: seghub runs the simulator in-process for that target. */
  readonly deployAddr?: string;
  readonly store15sAddr?: string;
  /** Deadline of every unary call to SDP. */
  readonly callTimeoutMs: number;
  /** A streaming call (upload, download) that moves no bytes for this long is cancelled. */
  readonly streamIdleMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const e = parseEnv(envSchema, env);
  // Rules across variables, each reported with the others.
  const dataDir = dataDirOf(e.DATA_DIR, cwd);
  const crossField = [
    authPolicyProblem(e),
    httpTimeoutProblem(e),
    metricsPortProblem(e),
    directoryProblem('DATA_DIR', dataDir),
  ].filter((p) => p !== undefined);
  if (crossField.length > 0) throw new ConfigError(crossField);
  const store: StoreConfig = e.ETCD_ENDPOINTS
    ? { kind: 'etcd', endpoints: e.ETCD_ENDPOINTS, prefix: e.ETCD_PREFIX ?? '/seghub/' }
    : { kind: 'embedded', dir: path.join(dataDir, 'store') };
  return deepFreeze({
    port: e.PORT,
    host: e.HOST ?? '::',
    dataDir,
    logLevel: e.LOG_LEVEL ?? 'info',
    store,
    sdp: {
      deployAddr: e.SDP_DEPLOY_ADDR,
      store15sAddr: e.SDP_STORE15S_ADDR,
      callTimeoutMs: e.SDP_CALL_TIMEOUT_MS,
      streamIdleMs: e.SDP_STREAM_IDLE_MS,
    },
    sim: simConfigFrom(e, dataDir, cwd),
    upload: {
      maxBytes: e.MAX_UPLOAD_BYTES,
      maxConcurrent: e.MAX_CONCURRENT_UPLOADS,
      idleTimeoutMs: e.UPLOAD_IDLE_TIMEOUT_MS,
    },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    manifest: { maxDepth: e.MANIFEST_MAX_DEPTH, maxKeys: e.MANIFEST_MAX_KEYS },
    storage: { dir: path.resolve(cwd, e.STORAGE_DIR ?? path.join(dataDir, 'segments')) },
    controller: {
      workers: e.CONTROLLER_WORKERS,
      resyncMs: e.CONTROLLER_RESYNC_MS,
      leaseTtlSeconds: e.LEADER_LEASE_TTL_S,
      sharding: shardingConfigFrom(e, dataDir),
    },
    sync: {
      retryMax: e.SYNC_RETRY_MAX,
      retryBaseMs: e.SYNC_RETRY_BASE_MS,
      remoteIntervalMs: e.REMOTE_SYNC_INTERVAL_MS,
    },
    install: {
      pollMs: e.INSTALL_POLL_MS,
      timeoutMs: e.INSTALL_TIMEOUT_MS,
      historyKeep: e.INSTALL_HISTORY_KEEP,
    },
    groups: { maxGroups: e.MAX_SEAT_GROUPS },
    rollouts: {
      selfApproval: e.ROLLOUT_SELF_APPROVAL,
      soakCheckMs: e.SOAK_CHECK_S * 1000,
      maxSeatsInFlight: e.MAX_SEATS_IN_FLIGHT,
      retryBaseSeconds: e.ROLLOUT_RETRY_BASE_S,
      historyKeep: e.ROLLOUT_HISTORY_KEEP,
    },
    trust: trustConfigFrom(e),
    converge: {
      batchSeats: e.CONVERGE_BATCH_SEATS,
      retryMax: e.CONVERGE_RETRY_MAX,
      retryBaseMs: e.CONVERGE_RETRY_BASE_MS,
    },
    auth: {
      tokensFile: e.AUTH_TOKENS_FILE && path.resolve(cwd, e.AUTH_TOKENS_FILE),
      tokensReloadMs: e.AUTH_TOKENS_RELOAD_MS,
      jwtSecret: e.AUTH_JWT_SECRET,
      jwtPublicKey: e.AUTH_JWT_PUBLIC_KEY,
      disabled: e.AUTH_DISABLED,
    },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    transfers: {
      tokenTtlSeconds: e.TRANSFER_TOKEN_TTL_S,
      tokenExtendSeconds: e.TRANSFER_TOKEN_EXTEND_S,
      uploadSessionTtlMs: e.UPLOAD_SESSION_TTL_H * 3_600_000,
      maxUploadSessionsPerPrincipal: e.MAX_UPLOAD_SESSIONS_PER_PRINCIPAL,
      maxConcurrentDownloads: e.MAX_CONCURRENT_DOWNLOADS,
      ...(e.PUBLIC_URL === undefined ? {} : { publicUrl: e.PUBLIC_URL.replace(/\/+$/, '') }),
    },
    ws: {
      maxMessageBytes: e.WS_MAX_MESSAGE_BYTES,
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSubscriptionsPerPrincipal: e.WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL,
    },
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      keepAliveGraceMs: e.HTTP_KEEP_ALIVE_GRACE_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      maxJsonBodyBytes: e.MAX_JSON_BODY_BYTES,
      refusalDrainBytes: e.HTTP_REFUSAL_DRAIN_BYTES,
      corsOrigins: e.CORS_ORIGINS,
    },
  });
}

/** For `npm start`: print every problem with the environment and exit 2. */
export function loadConfigOrExit(): Config {
  return orExit(() => loadConfig(), 'seghub');
}

/** A second listener on the API's own port would fail at start-up with EADDRINUSE, not as configuration. */
function metricsPortProblem(e: { PORT: number; METRICS_PORT?: number }) {
  if (e.METRICS_PORT === e.PORT) {
    return {
      variable: 'METRICS_PORT',
      message: 'must differ from PORT (leave it unset to serve /metrics on PORT)',
    };
  }
  return undefined;
}

/** Node insists that a request's headers arrive within its whole-request timeout. */
function httpTimeoutProblem(e: { HTTP_REQUEST_TIMEOUT_MS: number; HTTP_HEADERS_TIMEOUT_MS: number }) {
  if (e.HTTP_REQUEST_TIMEOUT_MS > 0 && e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    return { variable: 'HTTP_HEADERS_TIMEOUT_MS', message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' };
  }
  return undefined;
}
