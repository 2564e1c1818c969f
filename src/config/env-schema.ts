import { z } from 'zod';
import { simEnvShape } from '../sim/sim-config.js';
import {
  boolean,
  corsOrigins,
  etcdEndpoints,
  hostPort,
  integer,
  processEnvShape,
  wholeNumber,
} from '../util/env-fields.js';
import { publicKeyPem } from './auth-config.js';
import { controllerEnvShape } from './controller-config.js';
import { trustEnvShape } from './trust-config.js';

/**
 * Every variable seghub reads, with its range and default (docs/configuration.md says what each
 * does). `config.ts` parses the environment with it and shapes the result into `Config`.
 */

const GIB = 1024 ** 3;
const HOUR_MS = 3_600_000;

export const envSchema = z.object({
  PORT: integer(0, 65535, 4000),
  HOST: z.string().optional(),
  ...processEnvShape,
  ETCD_ENDPOINTS: etcdEndpoints,
  ETCD_PREFIX: z
    .string()
    .regex(/^\/(?:[A-Za-z0-9._-]+\/)*$/, { message: 'must start and end with "/", e.g. /seghub/' })
    .optional(),
  SDP_DEPLOY_ADDR: hostPort,
  SDP_STORE15S_ADDR: hostPort,
  SDP_CALL_TIMEOUT_MS: integer(100, 600_000, 15_000),
  SDP_STREAM_IDLE_MS: integer(100, 600_000, 30_000),
  ...simEnvShape,
  MAX_UPLOAD_BYTES: integer(1, Number.MAX_SAFE_INTEGER, 16 * GIB),
  // Every reader of a segment's metadata recurses through it: thousands of levels overflow the stack.
  MANIFEST_MAX_DEPTH: integer(2, 256, 32),
  MANIFEST_MAX_KEYS: integer(1, 100_000, 1000),
  STORAGE_DIR: z.string().optional(),
  // Reconciles wait on SDP far more than they compute: 4 held sync throughput below what eight
  // uploading clients produce (measured by the bench's create-sync-500).
  CONTROLLER_WORKERS: integer(1, 256, 8),
  CONTROLLER_RESYNC_MS: integer(1000, 86_400_000, 300_000),
  LEADER_LEASE_TTL_S: integer(2, 300, 10),
  SYNC_RETRY_MAX: integer(1, 1000, 8),
  SYNC_RETRY_BASE_MS: integer(1, 3_600_000, 1000),
  INSTALL_POLL_MS: integer(10, 3_600_000, 1000),
  INSTALL_TIMEOUT_MS: integer(1000, 7 * 86_400_000, 3_600_000),
  INSTALL_HISTORY_KEEP: integer(1, 10_000, 50),
  CONVERGE_BATCH_SEATS: integer(1, 20_000, 200),
  MAX_SEAT_GROUPS: integer(1, 100_000, 1000),
  CONVERGE_RETRY_MAX: integer(1, 100, 5),
  CONVERGE_RETRY_BASE_MS: integer(10, 86_400_000, 30_000),
  ROLLOUT_SELF_APPROVAL: boolean,
  SOAK_CHECK_S: integer(1, 86_400, 60),
  MAX_SEATS_IN_FLIGHT: integer(1, 100_000, 5000),
  ROLLOUT_RETRY_BASE_S: integer(0, 86_400, 30),
  ROLLOUT_HISTORY_KEEP: integer(1, 10_000, 100),
  ...trustEnvShape,
  ...controllerEnvShape,
  REMOTE_SYNC_INTERVAL_MS: integer(1000, 86_400_000, 60_000),
  AUTH_TOKENS_FILE: z.string().optional(),
  AUTH_TOKENS_RELOAD_MS: integer(0, 3_600_000, 5000),
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_PUBLIC_KEY: publicKeyPem.optional(),
  AUTH_DISABLED: boolean,
  AUDIT_RETENTION_DAYS: integer(1, 36_500, 90),
  TRANSFER_TOKEN_TTL_S: integer(1, 86_400, 120),
  TRANSFER_TOKEN_EXTEND_S: integer(1, 86_400, 60),
  UPLOAD_SESSION_TTL_H: integer(1, 24 * 365, 24),
  MAX_UPLOAD_SESSIONS_PER_PRINCIPAL: integer(1, 100_000, 16),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  MAX_CONCURRENT_DOWNLOADS: integer(1, 10_000, 64),
  WS_MAX_MESSAGE_BYTES: integer(1024, GIB, 1024 * 1024),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: integer(1, 1_000_000, 100),
  // bench subscribe-1k: a thousand dashboards of one caller (open mode: every caller is one).
  WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: integer(1, 1_000_000, 2000),
  HTTP_REQUEST_TIMEOUT_MS: integer(0, 7 * 24 * HOUR_MS, 6 * HOUR_MS),
  HTTP_HEADERS_TIMEOUT_MS: integer(1000, HOUR_MS, 60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(0, HOUR_MS, 5000),
  HTTP_KEEP_ALIVE_GRACE_MS: integer(0, HOUR_MS, 10_000),
  HTTP_IDLE_TIMEOUT_MS: integer(0, 24 * HOUR_MS, 900_000),
  MAX_JSON_BODY_BYTES: integer(1024, GIB, 1024 * 1024),
  HTTP_REFUSAL_DRAIN_BYTES: integer(0, GIB, 16 * 1024 * 1024),
  CORS_ORIGINS: corsOrigins,
  MAX_CONCURRENT_UPLOADS: integer(1, 10_000, 32),
  UPLOAD_IDLE_TIMEOUT_MS: integer(100, HOUR_MS, 120_000),
  METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  METRICS_PORT: wholeNumber(1, 65535),
});
