import { type Logger, pino } from 'pino';
import { buildApp } from '../../../src/app/app.js';
import { type Config, loadConfig } from '../../../src/config/config.js';
import type { KvStore } from '../../../src/kv/kv.js';

/**
 * A config as `npm start` would build it from this environment, with port 0 (any free port). Tests
 * run open (every caller admin) unless they configure authentication: on etcd, where seghub refuses
 * to start open by accident, that takes AUTH_DISABLED=true.
 */
export function testConfig(env: Record<string, string>): Config {
  const configuresAuth = Object.keys(env).some((name) => name.startsWith('AUTH_'));
  const open = env.ETCD_ENDPOINTS && !configuresAuth ? { AUTH_DISABLED: 'true' } : {};
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', ...open, ...env });
}

/** Starts a real seghub server; `stop` is safe to call twice. */
export async function startTestApp(
  config: Config,
  options: { store?: KvStore; logger?: Logger; clock?: () => Date } = {},
) {
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = buildApp(config, { shutdownGraceMs: 2000, ...options, logger });
  const { port } = await app.start();
  const base = `http://127.0.0.1:${port}`;
  return { app, url: `${base}/graphql`, base, port, stop: () => app.stop() };
}
