import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { writeTokenFile } from '../support/harness/auth.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * Issue #23 item 8: what one graphql-ws socket and one caller may hold. Regression: on main before
 * the fix a socket took any number of subscriptions (10,000 grew RSS by 434 MB) and a 100 MB
 * message, and an oversized one printed a raw stack on stderr; every assertion on a refusal or a
 * 1009 close below fails there.
 */

const LIVE = 'subscription { segmentUpdated { id } }';
const PROBE = 'query { segments(first: 1) { totalCount } }';

interface Outcome {
  errors?: readonly { message: string; extensions?: { code?: string } }[];
}

/** Subscribes; the returned promise settles only if the server refuses or ends the operation. */
function subscribe(client: Client, query: string) {
  let unsubscribe = () => {};
  const ended = new Promise<Outcome>((resolve) => {
    unsubscribe = client.subscribe(
      { query },
      {
        next: () => {},
        error: (errors) => resolve({ errors: errors as Outcome['errors'] }),
        complete: () => resolve({}),
      },
    );
  });
  return { ended, unsubscribe: () => unsubscribe() };
}

const codeOf = (outcome: Outcome) => outcome.errors?.[0]?.extensions?.code;

/**
 * Resolves once the server has taken every operation sent on `client` so far: a socket's messages
 * are handled in order, so the answer to a query sent last comes after them (whether it ran or was
 * refused). Sockets are not ordered among each other.
 */
const sync = (client: Client) => subscribe(client, PROBE).ended;

describe('graphql-ws limits', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('ws-limits');
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startTestApp(
      testConfig({
        DATA_DIR: dir.dir,
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
        WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '5',
        WS_MAX_MESSAGE_BYTES: String(64 * 1024),
      }),
      { logger: pino({ level: 'debug' }, sink) },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('refuses an operation over the per-socket limit with TOO_MANY_SUBSCRIPTIONS, and frees places', async () => {
    const client = wsClient(server.url);
    try {
      const live = [subscribe(client, LIVE), subscribe(client, LIVE), subscribe(client, LIVE)];
      const refused = await subscribe(client, LIVE).ended;
      expect(codeOf(refused)).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(refused.errors?.[0]?.message).toMatch(/one connection/);

      // Unsubscribing frees its place: a query runs again once the server has ended it.
      live[0]!.unsubscribe();
      await waitFor(async () => codeOf(await subscribe(client, PROBE).ended) === undefined);
      // A query's place is freed as it completes: the socket takes one subscription, then is full.
      const again = subscribe(client, LIVE);
      expect(codeOf(await subscribe(client, PROBE).ended)).toBe('TOO_MANY_SUBSCRIPTIONS');
      for (const s of [...live, again]) s.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  it('refuses an operation over the per-caller limit across sockets, and frees them when a socket closes', async () => {
    const first = wsClient(server.url);
    const second = wsClient(server.url);
    try {
      for (let i = 0; i < 3; i++) subscribe(first, LIVE);
      await sync(first);
      subscribe(second, LIVE);
      subscribe(second, LIVE);
      const refused = await subscribe(second, LIVE).ended;
      expect(codeOf(refused)).toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(refused.errors?.[0]?.message).toMatch(/one caller/);

      await first.dispose();
      await waitFor(async () => codeOf(await subscribe(second, PROBE).ended) === undefined);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('closes a socket that sends a message over WS_MAX_MESSAGE_BYTES with 1009, logged once, nothing on stderr', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    try {
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await once(socket, 'message');
      const query = `query { segments(first: 1) { totalCount } } # ${'x'.repeat(128 * 1024)}`;
      const closed = once(socket, 'close') as Promise<[number, Buffer]>;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      const [code] = await closed;
      expect(code).toBe(1009);
      await waitFor(() => lines.some((l) => /broke the protocol/.test(String(l.msg))));
      const logged = lines.filter((l) => /broke the protocol/.test(String(l.msg)));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 40, code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' });
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      socket.terminate();
    }
  });
});

describe('graphql-ws limits with authentication', () => {
  it('counts each principal on its own', async () => {
    const dir = await tempDir('ws-limits-auth');
    const { file, tokens } = await writeTokenFile(dir.dir);
    const server = await startTestApp(
      testConfig({
        DATA_DIR: dir.dir,
        AUTH_TOKENS_FILE: file,
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '10',
        WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '3',
      }),
    );
    const as = (token: string) =>
      wsClient(server.url, { connectionParams: { authorization: `Bearer ${token}` } });
    const viewer = [as(tokens.viewer), as(tokens.viewer)];
    const operator = as(tokens.operator);
    try {
      // Two places on one socket, then (once the probe that confirms them has given its place back:
      // graphql-ws releases before it sends `complete`) the third on the other socket. Sockets are
      // not ordered among each other, so the third must not race the probe.
      subscribe(viewer[0]!, LIVE);
      subscribe(viewer[0]!, LIVE);
      expect(codeOf(await sync(viewer[0]!))).toBeUndefined();
      subscribe(viewer[1]!, LIVE);
      expect(codeOf(await subscribe(viewer[1]!, LIVE).ended)).toBe('TOO_MANY_SUBSCRIPTIONS');
      // Another caller's places are its own: the operator's query runs while the viewer is full.
      expect(codeOf(await subscribe(operator, PROBE).ended)).toBeUndefined();
    } finally {
      for (const client of [...viewer, operator]) await client.dispose();
      await server.stop();
      await dir.remove();
    }
  });
});
