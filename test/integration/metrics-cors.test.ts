import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../../src/model/principal.js';
import { MAX_OPERATION_NAME_LABELS } from '../../src/server/plugins/use-metrics.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { bearer, type TokenApp, tokenAppSuite } from '../support/harness/auth.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const LISTED = 'https://ops.example:8443';
const ATTACKER = 'https://attacker.example';

function post(url: string, query: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}

/** Opens a WebSocket with graphql-ws's subprotocol; resolves with whether it opened or the status it was refused with. */
function upgrade(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('/metrics: bounded labels, no query strings, a token', () => {
  const suite = tokenAppSuite('metrics', { env: { METRICS_TOKEN, CORS_ORIGINS: LISTED } });
  let app: TokenApp;
  let tokens: Record<Role, string>;
  beforeAll(() => {
    ({ app, tokens } = suite.current());
  });
  const scrape = async () => {
    const response = await fetch(`${app.base}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(response.status).toBe(200);
    return response.text();
  };
  const series = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(name)).length;

  it('wants METRICS_TOKEN when it is set', async () => {
    expect((await fetch(`${app.base}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${app.base}/metrics`, { headers: bearer('wrong-token-0123456789abc') })).status,
    ).toBe(401);
    expect(await scrape()).toContain('process_cpu_user_seconds_total');
  });

  // Fails before the fix: 3,000 such requests grew /metrics from 53 KB to 18 MB (129,000 series), and
  // the `url` label carried the query string, secret_token included.
  it('stays small after 3,000 unauthenticated requests with distinct names and never shows a query string', async () => {
    const before = (await scrape()).length;
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const name = `Probe${batch}_${i}`;
          const response = await post(
            `${app.url}?op=${name}&secret_token=X${name}`,
            `query ${name} { version }`,
          );
          expect(response.status).toBe(401);
          await response.arrayBuffer();
        }),
      );
    }
    // Authenticated callers with distinct names: each name counted, but only the first 100 labelled.
    for (let i = 0; i < 150; i++) {
      const response = await post(
        `${app.url}?secret_token=Y${i}`,
        `query Named${i} { version }`,
        bearer(tokens.viewer),
      );
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const text = await scrape();
    expect(text).not.toMatch(/secret_token|Probe\d/);
    expect(text).toContain('seghub_http_refusals_total{code="UNAUTHENTICATED"} 3000');
    expect(series(text, 'graphql_envelop_request{')).toBeLessThanOrEqual(MAX_OPERATION_NAME_LABELS + 1);
    expect(text).toContain('graphql_envelop_request{operationName="other",operationType="query"} 50');
    expect(text.length - before).toBeLessThan(30_000);
    expect(text.length).toBeLessThan(200_000);
  }, 120_000);
});

describe('browser origins (CORS and the WebSocket upgrade)', () => {
  const suite = tokenAppSuite('origins', { env: { CORS_ORIGINS: LISTED } });
  let app: TokenApp;
  let tokens: Record<Role, string>;
  beforeAll(() => {
    ({ app, tokens } = suite.current());
  });
  const preflight = (origin: string) =>
    fetch(app.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });

  // Fails before the fix: any origin was echoed back with allow-credentials and every requested header.
  it('answers a preflight from another site without CORS headers', async () => {
    const response = await preflight(ATTACKER);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows the origins CORS_ORIGINS lists', async () => {
    const response = await preflight(LISTED);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const post200 = await post(app.url, '{ version }', { origin: LISTED, ...bearer(tokens.viewer) });
    expect(post200.status).toBe(200);
    expect(post200.headers.get('access-control-allow-origin')).toBe(LISTED);
  });

  it('refuses a request from another site, and lets its own pages and programs through', async () => {
    const foreign = await post(app.url, '{ version }', { origin: ATTACKER, ...bearer(tokens.viewer) });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    const own = await post(app.url, '{ version }', {
      origin: new URL(app.url).origin,
      ...bearer(tokens.viewer),
    });
    expect(own.status).toBe(200);
    expect((await post(app.url, '{ version }', bearer(tokens.viewer))).status).toBe(200);
  });

  // Fails before the fix: a page of any site could open the WebSocket and run mutations over it.
  it('refuses a WebSocket upgrade from another site, allowing its own, listed ones and programs', async () => {
    expect(await upgrade(app.url, ATTACKER)).toBe(403);
    expect(await upgrade(app.url, LISTED)).toBe('open');
    expect(await upgrade(app.url, new URL(app.url).origin)).toBe('open');
    expect(await upgrade(app.url)).toBe('open');
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port and not on the API port', async () => {
    const port = await freePort();
    const data = await tempDir('seghub-metrics-port');
    const app = await startTestApp(testConfig({ DATA_DIR: data.dir, METRICS_PORT: String(port) }));
    try {
      expect((await fetch(`${app.base}/metrics`)).status).toBe(404);
      const own = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await app.stop();
      await data.remove();
    }
  });
});
