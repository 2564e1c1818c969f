import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { Role } from '../../src/model/principal.js';
import { AddSeat, AuditTrail, RetrySync, WhoCanRead } from '../support/documents/security-documents.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import {
  bearer,
  es256KeyPair,
  hs256,
  type TokenApp,
  tokenAppSuite,
  writeTokenFile,
} from '../support/harness/auth.js';
import { httpGraphQL, wsClient, wsCollect } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The raw HTTP answer, for status and headers as well as the GraphQL body. */
async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body };
}

/** How the server closed a graphql-ws connection that was opened at once. */
function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    client.on('closed', (event) => resolve(event as { code: number; reason: string })),
  );
}

const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] | undefined }) =>
  result.errors?.[0]?.extensions?.code;

describe('API tokens from AUTH_TOKENS_FILE', () => {
  const suite = tokenAppSuite('auth');
  let app: TokenApp;
  let tokens: Record<Role, string>;
  beforeAll(() => {
    ({ app, tokens } = suite.current());
  });

  it('refuses a request without credentials with 401, WWW-Authenticate and UNAUTHENTICATED', async () => {
    const answer = await post(app.url, '{ version }');
    expect(answer.status).toBe(401);
    expect(answer.wwwAuthenticate).toMatch(/^Bearer/);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown token and a header that is not Bearer, without repeating them', async () => {
    for (const authorization of ['Bearer st_nobody_knows_this', `Basic ${tokens.admin}`, tokens.admin]) {
      const answer = await post(app.url, '{ version }', { authorization });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(answer.body)).not.toContain('st_');
    }
  });

  it('lets each role do its part, and answers FORBIDDEN above it while queries still work', async () => {
    const seat = { seats: [{ name: 'auth-seat-1', ip: '10.9.0.1' }] };
    const viewerRead = await httpGraphQL(app.url, WhoCanRead, {}, bearer(tokens.viewer));
    expect(viewerRead.errors).toBeUndefined();
    expect(viewerRead.data?.version).toEqual(expect.any(String));

    const viewerWrite = await httpGraphQL(app.url, RetrySync, { id: 'nope' }, bearer(tokens.viewer));
    expect(codeOf(viewerWrite)).toBe('FORBIDDEN');
    expect(viewerWrite.data).toBeNull();

    const operatorWrite = await httpGraphQL(app.url, RetrySync, { id: 'nope' }, bearer(tokens.operator));
    expect(operatorWrite.data?.retrySegmentSync.__typename).toBe('SegmentNotFoundError');
    const operatorSeats = await httpGraphQL(app.url, AddSeat, seat, bearer(tokens.operator));
    expect(codeOf(operatorSeats)).toBe('FORBIDDEN');
    expect(codeOf(await httpGraphQL(app.url, AuditTrail, {}, bearer(tokens.operator)))).toBe('FORBIDDEN');

    const adminSeats = await httpGraphQL(app.url, AddSeat, seat, bearer(tokens.admin));
    expect(adminSeats.data?.upsertSeats.__typename).toBe('UpsertSeatsSuccess');
    expect((await httpGraphQL(app.url, AuditTrail, {}, bearer(tokens.admin))).errors).toBeUndefined();
  });

  it('authenticates graphql-ws from connection_init and applies roles to its operations', async () => {
    const viewer = wsClient(app.url, { connectionParams: bearer(tokens.viewer) });
    try {
      const [read] = await wsCollect(viewer, WhoCanRead);
      expect(read?.errors).toBeUndefined();
      expect(read?.data?.version).toEqual(expect.any(String));
      const [write] = await wsCollect(viewer, RetrySync, { id: 'nope' });
      expect(codeOf(write!)).toBe('FORBIDDEN');
    } finally {
      await viewer.dispose();
    }
  });

  it('closes a graphql-ws connection with a bad or missing token with 4401', async () => {
    for (const connectionParams of [bearer('st_wrong'), {}]) {
      const client = wsClient(app.url, { connectionParams, lazy: false });
      const closed = await closeOf(client);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/^Unauthorized/);
      await client.dispose();
    }
  });
});

describe('AUTH_TOKENS_FILE changed while seghub runs', () => {
  const lines: { msg?: string; apiTokens?: number }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  let app: TestApp;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let file: Awaited<ReturnType<typeof writeTokenFile>>;
  beforeAll(async () => {
    dir = await tempDir('seghub-auth-reload');
    file = await writeTokenFile(dir.dir, ['viewer']);
    const config = testConfig({
      DATA_DIR: dir.dir,
      AUTH_TOKENS_FILE: file.file,
      AUTH_TOKENS_RELOAD_MS: '50',
    });
    app = await startTestApp(config, { logger: pino({ level: 'info' }, sink) });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await dir?.remove();
  });
  const status = async (token: string) => (await post(app.url, '{ version }', bearer(token))).status;

  it('admits added tokens and refuses revoked ones without a restart, and keeps them when the file breaks', async () => {
    const { tokens } = file;
    expect(await status(tokens.viewer)).toBe(200);
    const socket = wsClient(app.url, { connectionParams: bearer(tokens.viewer), lazy: false });
    const connected = new Promise((resolve) => socket.on('connected', resolve));
    const closed = closeOf(socket);
    await connected;
    // Replaced the way operators (and Kubernetes secrets) do it: written aside, then renamed over.
    const next = await tempDir('seghub-auth-next');
    try {
      const replacement = await writeTokenFile(next.dir, ['operator', 'admin']);
      await rename(replacement.file, file.file);
      await waitFor(() => lines.some((l) => l.msg === 'API tokens reloaded' && l.apiTokens === 2), {
        message: 'the new token file to be loaded',
      });
      expect(await status(tokens.viewer)).toBe(401);
      expect(await status(replacement.tokens.operator)).toBe(200);
      // A socket opened with the revoked token does not outlive it.
      expect(await closed).toMatchObject({ code: 4401, reason: 'Unauthorized: token revoked' });

      await writeFile(path.join(next.dir, 'broken.txt'), 'viewer not-a-hash someone\n');
      await rename(path.join(next.dir, 'broken.txt'), file.file);
      await waitFor(() => lines.some((l) => l.msg === 'API token file not reloaded: the old tokens stay'), {
        message: 'the broken file to be refused',
      });
      expect(await status(replacement.tokens.operator)).toBe(200);
      expect(await status(tokens.viewer)).toBe(401);
    } finally {
      await socket.dispose();
      await next.remove();
    }
  });
});

describe('JWTs (HS256 with AUTH_JWT_SECRET, ES256 with AUTH_JWT_PUBLIC_KEY)', () => {
  const secret = 'a-test-secret-that-is-long-enough-0123456789';
  const keys = es256KeyPair();
  let app: TestApp;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const data = await tempDir('seghub-jwt');
    remove = data.remove;
    app = await startTestApp(
      testConfig({ DATA_DIR: data.dir, AUTH_JWT_SECRET: secret, AUTH_JWT_PUBLIC_KEY: keys.publicKeyPem }),
    );
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await remove?.();
  });

  it('accepts HS256 and ES256 tokens with the role of their role claim', async () => {
    const operator = await hs256(secret, { sub: 'deploy-bot', role: 'operator' });
    expect(
      (await httpGraphQL(app.url, RetrySync, { id: 'nope' }, bearer(operator))).data?.retrySegmentSync,
    ).toEqual({
      __typename: 'SegmentNotFoundError',
    });
    expect(codeOf(await httpGraphQL(app.url, AuditTrail, {}, bearer(operator)))).toBe('FORBIDDEN');
    const admin = await keys.sign({ sub: 'alice', role: 'admin' });
    const trail = await httpGraphQL(app.url, AuditTrail, { first: 5 }, bearer(admin));
    expect(trail.errors).toBeUndefined();
    expect(trail.data?.auditLog.edges[0]?.node).toMatchObject({
      actor: { id: 'deploy-bot', role: 'OPERATOR' },
      field: 'retrySegmentSync',
    });
  });

  it('refuses expired, not-yet-valid, role-less, unsigned and wrongly signed tokens with UNAUTHENTICATED', async () => {
    const other = es256KeyPair();
    const refused = {
      expired: await hs256(secret, { sub: 'a', role: 'admin', expiresIn: -60 }),
      early: await keys.sign({ sub: 'a', role: 'admin', notBefore: 600 }),
      noRole: await hs256(secret, { sub: 'a' }),
      badRole: await hs256(secret, { sub: 'a', role: 'root' }),
      noSubject: await hs256(secret, { role: 'admin' }),
      otherKey: await other.sign({ sub: 'a', role: 'admin' }),
      otherSecret: await hs256(`${secret}-not`, { sub: 'a', role: 'admin' }),
      unsigned: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a","role":"admin","exp":9999999999}').toString('base64url')}.`,
    };
    for (const [what, token] of Object.entries(refused)) {
      const answer = await post(app.url, '{ version }', bearer(token));
      expect({ what, status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({
        what,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
    expect((await post(app.url, '{ version }', bearer(refused.expired))).body.errors?.[0]?.message).toMatch(
      /token expired/,
    );
  });

  it('ends a graphql-ws connection when its token expires', async () => {
    const token = await hs256(secret, { sub: 'short-lived', role: 'viewer', expiresIn: 2 });
    const client = wsClient(app.url, { connectionParams: bearer(token), lazy: false });
    const closed = closeOf(client);
    const [read] = await wsCollect(client, WhoCanRead);
    expect(read?.data?.version).toEqual(expect.any(String));
    expect(await closed).toMatchObject({ code: 4401, reason: 'Unauthorized: token expired' });
    await client.dispose();
  });
});

describe('start-up', () => {
  it('runs open with a loud warning when no authentication is configured', async () => {
    const data = await tempDir('seghub-open');
    const lines: { level: number; msg: string }[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const app = await startTestApp(testConfig({ DATA_DIR: data.dir }), { logger });
    try {
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/^OPEN MODE/) }),
      );
      expect((await post(app.url, '{ version }')).status).toBe(200);
    } finally {
      await app.stop();
      await data.remove();
    }
  });

  it('refuses to start with a malformed token file, naming the line', async () => {
    const data = await tempDir('seghub-bad-tokens');
    const file = path.join(data.dir, 'tokens.txt');
    await writeFile(file, `# ok\nadmin ${'a'.repeat(64)} ops\n\noperator not-a-hash ci\n`);
    try {
      await expect(startTestApp(testConfig({ DATA_DIR: data.dir, AUTH_TOKENS_FILE: file }))).rejects.toThrow(
        `${file}:4: expected "<role> <sha256 hex of the token> <label>"`,
      );
    } finally {
      await data.remove();
    }
  });
});
