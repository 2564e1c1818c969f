import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/util/env.js';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env, '/srv/seghub');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('request limits, CORS and metrics settings', () => {
  it("has defaults that keep a browser on seghub's own origin and /metrics open on PORT", () => {
    expect(loadConfig({}, '/srv/seghub')).toMatchObject({
      http: { maxJsonBodyBytes: 1024 * 1024, refusalDrainBytes: 16 * 1024 * 1024, corsOrigins: [] },
      upload: { maxConcurrent: 32, idleTimeoutMs: 120_000 },
      metrics: { token: undefined, port: undefined },
    });
  });

  it('reads each variable', () => {
    const config = loadConfig(
      {
        MAX_JSON_BODY_BYTES: '65536',
        HTTP_REFUSAL_DRAIN_BYTES: '0',
        CORS_ORIGINS: 'https://ops.example, http://10.0.0.5:8080',
        MAX_CONCURRENT_UPLOADS: '4',
        UPLOAD_IDLE_TIMEOUT_MS: '30000',
        METRICS_TOKEN: 'a-metrics-token-of-some-length',
        METRICS_PORT: '9464',
      },
      '/srv/seghub',
    );
    expect(config).toMatchObject({
      http: {
        maxJsonBodyBytes: 65536,
        refusalDrainBytes: 0,
        corsOrigins: ['https://ops.example', 'http://10.0.0.5:8080'],
      },
      upload: { maxConcurrent: 4, idleTimeoutMs: 30_000 },
      metrics: { token: 'a-metrics-token-of-some-length', port: 9464 },
    });
  });

  it('names each bad value', () => {
    const problems = problemsOf({
      MAX_JSON_BODY_BYTES: '10',
      CORS_ORIGINS: 'https://ops.example/app',
      MAX_CONCURRENT_UPLOADS: '0',
      UPLOAD_IDLE_TIMEOUT_MS: 'soon',
      METRICS_TOKEN: 'short',
      METRICS_PORT: '70000',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'CORS_ORIGINS',
      'MAX_CONCURRENT_UPLOADS',
      'MAX_JSON_BODY_BYTES',
      'METRICS_PORT',
      'METRICS_TOKEN',
      'UPLOAD_IDLE_TIMEOUT_MS',
    ]);
  });

  it('refuses METRICS_PORT equal to PORT as configuration, not at start-up', () => {
    const problems = problemsOf({ PORT: '4100', METRICS_PORT: '4100' });
    expect(problems).toEqual([expect.objectContaining({ variable: 'METRICS_PORT' })]);
  });
});
