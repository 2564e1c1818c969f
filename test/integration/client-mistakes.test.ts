import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KvStore, TxnRequest } from '../../src/kv/kv.js';
import { openStore } from '../../src/kv/open-kv.js';
import { UpsertSeats } from '../support/documents/seat-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { bearer, writeTokenFile } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * Issue #23 item 9: what a client's mistakes leave in the log and what they tell an unauthenticated
 * caller. Regressions, each failing on main before the fix: an unknown segment id was logged twice
 * at error level by Yoga ("yoga"); graphql-ws lines carried `component` twice ("server" and
 * "graphql-ws"); an unknown field answered callers without a token with "Did you mean …?".
 */
describe('client mistakes', () => {
  const raw: string[] = [];
  const lines = () =>
    raw.map((text) => JSON.parse(text) as { level: number; msg: string; component?: string });
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let tokens: Awaited<ReturnType<typeof writeTokenFile>>['tokens'];

  beforeAll(async () => {
    dir = await tempDir('client-mistakes');
    const tokenFile = await writeTokenFile(dir.dir);
    tokens = tokenFile.tokens;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestApp(testConfig({ DATA_DIR: dir.dir, AUTH_TOKENS_FILE: tokenFile.file }), {
      logger: pino({ level: 'debug' }, sink),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  const post = (body: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
      signal,
    });

  it('logs no error-level line for a client mistake or an abort', async () => {
    const viewer = bearer(tokens.viewer);
    const mistakes = [
      post(JSON.stringify({ query: '{ segmentVersions(id: "no-such-id") { id } }' }), viewer),
      post(JSON.stringify({ query: '{ segment(id: 42) { id } }' }), viewer),
      post('{"query": "{ segments { totalCount } ', viewer),
      post(JSON.stringify({ query: '{ segments { totalCount } }' })),
      post(JSON.stringify({ query: 'query($n: Int!) { segments(first: $n) { totalCount } }' }), viewer),
    ];
    for (const response of await Promise.all(mistakes)) {
      expect(response.status).toBeLessThan(500);
      await response.text();
    }
    // An abort while the answer is being made.
    const aborted = new AbortController();
    const request = post(JSON.stringify({ query: '{ segments { totalCount } }' }), viewer, aborted.signal);
    aborted.abort();
    await request.then((r) => r.text()).catch(() => undefined);
    await waitFor(() => lines().some((l) => /no-such-id/.test(JSON.stringify(l))));
    expect(lines().filter((l) => l.level >= 50)).toEqual([]);
  });

  it('writes `component` once on graphql-ws lines', async () => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer wrong' } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4401);
    await waitFor(() => raw.some((text) => text.includes('graphql-ws connection refused')));
    const line = raw.find((text) => text.includes('graphql-ws connection refused'))!;
    expect(line.match(/"component":/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ component: 'graphql-ws', level: 40 });
  });

  it('gives no field suggestions to a caller without a valid token', async () => {
    for (const headers of [{}, bearer('st_viewer_not-a-real-token')]) {
      const response = await post(JSON.stringify({ query: '{ segmnts { totalCount } }' }), headers);
      const text = await response.text();
      expect(text).not.toMatch(/Did you mean/);
      expect(text).not.toMatch(/segments/);
      expect(response.status).toBe(401);
    }
  });
});

/** A store whose audit writes fail: what the audit plugin then logs. */
function failingAudit(store: KvStore): KvStore {
  const writesAudit = (request: TxnRequest) =>
    request.success.some((op) => 'key' in op && op.key.startsWith('audit/'));
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'txn') {
        return (request: TxnRequest) =>
          writesAudit(request) ? Promise.reject(new Error('audit disk gone')) : target.txn(request);
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('audit log lines', () => {
  it('write `component` once (regression: "server" and "audit" before the fix)', async () => {
    const raw: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const dir = await tempDir('audit-lines');
    const logger = pino({ level: 'info' }, sink);
    const store = await openStore({ kind: 'embedded', dir: dir.dir }, logger);
    const server = await startTestApp(testConfig({ DATA_DIR: dir.dir }), {
      store: failingAudit(store),
      logger,
    });
    try {
      const result = await httpGraphQL(server.url, UpsertSeats, { seats: [{ name: 'a-1', ip: '10.9.0.1' }] });
      expect(result.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
      await waitFor(() => raw.some((text) => text.includes('AUDIT ENTRY LOST')));
      const line = raw.find((text) => text.includes('AUDIT ENTRY LOST'))!;
      expect(line.match(/"component":/g)).toHaveLength(1);
      expect(JSON.parse(line)).toMatchObject({ component: 'audit' });
    } finally {
      await server.stop();
      await store.close();
      await dir.remove();
    }
  });
});
