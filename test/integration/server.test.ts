import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { KEYSPACE_VERSION, keys } from '../../src/records/keyspace.js';
import { graphql } from '../generated/gql.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { httpGraphQL, wsClient, wsCollect } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const VersionQuery = graphql(`
  query ServerVersion {
    version
  }
`);

async function readyz(base: string) {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('seghub server on the embedded store', () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    server = await startTestApp(testConfig({ DATA_DIR: dir.dir }));
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('answers Query.version over HTTP', async () => {
    const result = await httpGraphQL(server.url, VersionQuery);
    expect(result.errors).toBeUndefined();
    expect(result.data?.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers over graphql-ws on the same path', async () => {
    const client = wsClient(server.url);
    try {
      const results = await wsCollect(client, VersionQuery);
      expect(results).toEqual([{ data: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) } }]);
    } finally {
      await client.dispose();
    }
  });

  it('reports validation errors as GraphQL errors, not crashes', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ noSuchField }' }),
    });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toContain('noSuchField');
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>seghub</title>');
    expect(html.toLowerCase()).toContain('graphiql');
  });

  it('says it is alive at /healthz', async () => {
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });

  it('says it is ready at /readyz once the store answers', async () => {
    await waitFor(async () => (await readyz(server.base)).status === 200, { timeoutMs: 5000 });
    const { body } = await readyz(server.base);
    expect(body).toMatchObject({
      status: 'ready',
      checks: [
        { name: 'store', ok: true, details: { kind: 'embedded', revision: expect.any(Number) } },
        {
          name: 'sdp:DEPLOY_PLATFORM',
          ok: true,
          details: { address: expect.stringMatching(/^127\.0\.0\.1:/) },
        },
        { name: 'sdp:STORE_15S', ok: true, details: { address: expect.stringMatching(/^127\.0\.0\.1:/) } },
      ],
    });
  });

  it('counts operations by name at /metrics', async () => {
    for (let i = 0; i < 3; i++) await httpGraphQL(server.url, VersionQuery);
    const text = await (await fetch(`${server.base}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('graphql_envelop_request{') && l.includes('"ServerVersion"'));
    expect(line).toBeDefined();
    expect(Number(line!.split(' ').pop())).toBeGreaterThanOrEqual(3);
    // Durations by operation type only: a histogram per client-chosen name would cost 15 lines each.
    expect(text).toMatch(/^graphql_envelop_request_duration_bucket\{.*operationType="query"/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('seghub server lifecycle', () => {
  it('keeps its store across a restart', async () => {
    const dir = await tempDir();
    try {
      const config = testConfig({ DATA_DIR: dir.dir });
      const first = await startTestApp(config);
      await waitFor(async () => (await readyz(first.base)).status === 200, { timeoutMs: 5000 });
      await first.stop();
      const second = await startTestApp(config);
      await waitFor(async () => (await readyz(second.base)).status === 200, { timeoutMs: 5000 });
      await second.stop();

      const kv = await openEmbeddedKv({ dir: config.store.kind === 'embedded' ? config.store.dir : '' });
      try {
        const marker = await kv.get(keys.keyspace);
        expect(marker?.version).toBe(1); // created once, never rewritten by the second start
        expect(JSON.parse(marker!.value)).toMatchObject({
          version: KEYSPACE_VERSION,
          createdAt: expect.any(String),
        });
      } finally {
        await kv.close();
      }
    } finally {
      await dir.remove();
    }
  });

  it('stops gracefully: open sockets are told "going away" and the port is released', async () => {
    const dir = await tempDir();
    const server = await startTestApp(testConfig({ DATA_DIR: dir.dir }));
    const client = wsClient(server.url, { lazy: false });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    try {
      await connected;
      await server.stop();
      expect(await closed).toBe(1001);
      await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
    } finally {
      await client.dispose();
      await server.stop();
      await dir.remove();
    }
  });
});

describe('seghub server start-up failure', () => {
  it('releases the store when the port is taken, so it can be opened again', async () => {
    const dir = await tempDir();
    const first = await startTestApp(testConfig({ DATA_DIR: dir.dir }));
    const clashing = await tempDir();
    try {
      const config = testConfig({ DATA_DIR: clashing.dir, PORT: String(first.port) });
      await expect(startTestApp(config)).rejects.toThrow(/EADDRINUSE/);
      const kv = await openEmbeddedKv({ dir: config.store.kind === 'embedded' ? config.store.dir : '' });
      await kv.close();
    } finally {
      await first.stop();
      await dir.remove();
      await clashing.remove();
    }
  });
});
