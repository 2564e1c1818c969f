import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { Role } from '../../src/model/principal.js';
import { AddSeat, WhoCanRead } from '../support/documents/security-documents.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, hs256, type TokenApp, tokenAppSuite } from '../support/harness/auth.js';
import { httpGraphQL, wsClient, wsCollect } from '../support/harness/graphql-client.js';

const JWT_SECRET = 'limits-test-secret-0123456789-abcdefghijklmnop';

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

/** A multipart upload request built by hand, to send what the helpers would not. */
function multipart(files: { name: string; bytes: Buffer }[], headers: Record<string, string> = {}) {
  const form = new FormData();
  const query = 'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }';
  form.append('operations', JSON.stringify({ query, variables: { file: null } }));
  form.append(
    'map',
    JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), ['variables.file']]))),
  );
  for (const [i, file] of files.entries())
    form.append(String(i), new Blob([new Uint8Array(file.bytes)]), file.name);
  return { method: 'POST', body: form, headers };
}

describe('abuse limits, CSRF and secrets in logs', () => {
  const lines: string[] = [];
  // Everything the server logs, at its most talkative, through the product's own logger.
  const logger = createLogger({
    level: 'trace',
    pretty: false,
    destination: { write: (line: string) => lines.push(line) },
  });
  const suite = tokenAppSuite('limits', { env: { AUTH_JWT_SECRET: JWT_SECRET }, logger });
  let app: TokenApp;
  let tokens: Record<Role, string>;
  beforeAll(() => {
    ({ app, tokens } = suite.current());
  });

  it('refuses a query nested too deep, with too many aliases, too many tokens or too costly, each with its code', async () => {
    const auth = bearer(tokens.viewer);
    const deep = `{ segments { edges { node { ${'versions { '.repeat(12)}id${' }'.repeat(12)} } } } }`;
    const aliased = `{ ${Array.from({ length: 40 }, (_, i) => `v${i}: version`).join(' ')} }`;
    const long = `{ version ${'__typename '.repeat(6000)}}`;
    // Within depth, aliases and tokens, yet each of 600 selections sits under five list levels.
    const costly = `{ segments { edges { node { ${'versions { '.repeat(5)}${'id '.repeat(600)}${'} '.repeat(5)}} } } }`;
    for (const [query, code] of [
      [deep, 'QUERY_TOO_DEEP'],
      [aliased, 'TOO_MANY_ALIASES'],
      [long, 'QUERY_TOO_LARGE'],
      [costly, 'QUERY_TOO_COSTLY'],
    ] as const) {
      const answer = await post(app.url, query, auth);
      expect({ code, status: answer.status, got: answer.body.errors?.[0]?.extensions?.code }).toEqual({
        code,
        status: 400,
        got: code,
      });
    }
  });

  it('applies the same limits over graphql-ws', async () => {
    const ws = wsClient(app.url, { connectionParams: bearer(tokens.viewer) });
    try {
      const errors = await new Promise<readonly { extensions?: Record<string, unknown> }[]>(
        (resolve, reject) => {
          ws.subscribe(
            { query: `{ ${Array.from({ length: 40 }, (_, i) => `v${i}: version`).join(' ')} }` },
            {
              next: () => reject(new Error('a result')),
              error: (e) => resolve(e as never),
              complete: () => {},
            },
          );
        },
      );
      expect(errors[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    } finally {
      await ws.dispose();
    }
  });

  it('refuses a multipart request or a GET without the CSRF header, and stores nothing', async () => {
    const zip = await buildSegmentZip(RADAR_MANIFEST);
    const refused = await fetch(
      app.url,
      multipart([{ name: 'radar.zip', bytes: zip }], bearer(tokens.operator)),
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/CSRF/);
    const get = await fetch(`${app.url}?query=${encodeURIComponent('{ version }')}`, {
      headers: { accept: 'application/json', ...bearer(tokens.viewer) },
    });
    expect(get.status).toBe(403);
    const allowed = await fetch(`${app.url}?query=${encodeURIComponent('{ version }')}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', ...bearer(tokens.viewer) },
    });
    expect(allowed.status).toBe(200);
    const exists = await post(
      app.url,
      '{ segmentExists(name: "radar-display", version: "3.5.1") }',
      bearer(tokens.viewer),
    );
    expect(exists.text).toContain('"segmentExists":false');
  });

  it('refuses an upload without credentials or with too low a role, and stores nothing', async () => {
    const zip = await buildSegmentZip(RADAR_MANIFEST);
    const csrf = { 'x-graphql-yoga-csrf': '1' };
    const anonymous = await fetch(app.url, multipart([{ name: 'radar.zip', bytes: zip }], csrf));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const viewer = await fetch(
      app.url,
      multipart([{ name: 'radar.zip', bytes: zip }], { ...csrf, ...bearer(tokens.viewer) }),
    );
    expect(await viewer.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'FORBIDDEN' } }],
    });
    const exists = await post(
      app.url,
      '{ segmentExists(name: "radar-display", version: "3.5.1") }',
      bearer(tokens.viewer),
    );
    expect(exists.text).toContain('"segmentExists":false');
  });

  it('refuses a second file in one upload request with a clear error', async () => {
    const zip = await buildSegmentZip(RADAR_MANIFEST);
    const response = await fetch(
      app.url,
      multipart(
        [
          { name: 'a.zip', bytes: zip },
          { name: 'b.zip', bytes: zip },
        ],
        { 'x-graphql-yoga-csrf': '1', ...bearer(tokens.operator) },
      ),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: '1 max file uploads exceeded.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('never writes a token or the JWT secret to a log line or an error', async () => {
    const expired = await hs256(JWT_SECRET, { sub: 'old', role: 'admin', expiresIn: -60 });
    const valid = await hs256(JWT_SECRET, { sub: 'ok', role: 'admin' });
    const secrets = [...Object.values(tokens), expired, valid, JWT_SECRET];
    const answers: string[] = [];
    for (const token of [tokens.admin, tokens.viewer, valid, expired, 'st_not_a_token']) {
      answers.push((await post(app.url, '{ version }', bearer(token))).text);
      answers.push(
        JSON.stringify(
          await httpGraphQL(app.url, AddSeat, { seats: [{ name: 'Bad Name', ip: 'x' }] }, bearer(token)),
        ),
      );
    }
    const upload = await uploadSegment(
      app.url,
      { bytes: await buildSegmentZip(RADAR_MANIFEST), fileName: 'radar.zip' },
      bearer(tokens.operator),
    );
    expect(upload.__typename).toBe('UploadSegmentSuccess');
    for (const connectionParams of [bearer(tokens.viewer), bearer(expired)]) {
      const ws = wsClient(app.url, { connectionParams });
      answers.push(
        JSON.stringify(
          await wsCollect(ws, WhoCanRead).catch((e: unknown) => ({
            closed: String((e as { reason?: string }).reason),
          })),
        ),
      );
      await ws.dispose();
    }
    expect(lines.length).toBeGreaterThan(10);
    const leaks = secrets.filter(
      (secret) => lines.some((line) => line.includes(secret)) || answers.some((a) => a.includes(secret)),
    );
    expect(leaks).toEqual([]);
  });
});
