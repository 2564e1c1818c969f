import { pino } from 'pino';
import { type Config, loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import type { KvStore } from '../../src/store/kv.js';

/** A config as `npm start` would build it from this environment, with port 0 (any free port). */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', ...env });
}

/** Starts a real seghub server; `stop` is safe to call twice. */
export async function startTestApp(config: Config, options: { store?: KvStore } = {}) {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = buildApp(config, { logger, shutdownGraceMs: 2000, ...options });
  const { port } = await app.start();
  const base = `http://127.0.0.1:${port}`;
  return { app, url: `${base}/graphql`, base, port, stop: () => app.stop() };
}
