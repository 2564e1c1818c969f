import { once } from 'node:events';
import { Agent, type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import {
  MULTIPART_BOUNDARY,
  multipartContentType,
  multipartPart,
  uploadBody,
} from '../support/fixtures/multipart-body.js';
import { storageContents } from '../support/fixtures/segments.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

const UPLOAD = 'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }';

/** A multipart body with its parts in the order given (the spec wants operations, map, files). */
function body(parts: [string, string | Blob, string?][]): FormData {
  const form = new FormData();
  for (const [name, value, fileName] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, fileName);
  }
  return form;
}

describe('GraphQL multipart requests that break the spec', () => {
  let app: SegmentApp;
  let zip: Blob;

  beforeAll(async () => {
    app = await startSegmentApp();
    zip = new Blob([new Uint8Array(await buildSegmentZip(RADAR_MANIFEST))]);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  const send = (form: FormData) =>
    fetch(app.url, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' }, body: form });
  const operations = JSON.stringify({ query: UPLOAD, variables: { file: null } });
  const map = JSON.stringify({ 0: ['variables.file'] });

  it.each<[string, [string, string | Blob, string?][]]>([
    [
      'operations that are not JSON',
      [
        ['operations', '{nope'],
        ['map', map],
      ],
    ],
    [
      'a map before the operations',
      [
        ['map', map],
        ['operations', operations],
      ],
    ],
    [
      'a map that is not an object',
      [
        ['operations', operations],
        ['map', '[1]'],
      ],
    ],
    [
      'a map path that names nothing',
      [
        ['operations', operations],
        ['map', JSON.stringify({ 0: ['variables.x.y'] })],
      ],
    ],
    [
      'a map path to a variable that is not null',
      [
        ['operations', JSON.stringify({ query: UPLOAD, variables: { file: 'x' } })],
        ['map', map],
      ],
    ],
    ['a body that ends before the map', [['operations', operations]]],
  ])('answers 400 to %s and stores nothing', async (_, parts) => {
    const response = await send(body(parts.map(([n, v, f]) => [n, v === 'ZIP' ? zip : v, f])));
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await app.store.range(keys.segments)).kvs).toEqual([]);
    expect((await storageContents(app.dataDir)).files).toEqual([]);
  });

  it.each<[string, [string, string | Blob, string?][]]>([
    [
      'whose file never arrives',
      [
        ['operations', operations],
        ['map', map],
      ],
    ],
    [
      'with a file part the map does not name',
      [
        ['operations', operations],
        ['map', map],
        ['stray', 'ZIP', 'stray.zip'],
      ],
    ],
  ])('fails an upload %s with BAD_REQUEST, storing nothing', async (_, parts) => {
    const response = await send(body(parts.map(([n, v, f]) => [n, v === 'ZIP' ? zip : v, f])));
    const result = await response.json();
    expect(result.data?.uploadSegment ?? null).toBeNull();
    expect(result.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await app.store.range(keys.segments)).kvs).toEqual([]);
    expect((await storageContents(app.dataDir)).files).toEqual([]);
  });
});

describe('the connection an upload came on', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  /** A multipart POST through `agent`; resolves with the response once `head` is written, ended by `end()`. */
  const post = (agent: Agent, head: Buffer) => {
    const req = request(app.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': multipartContentType, 'x-graphql-yoga-csrf': '1' },
    });
    req.write(head);
    const response = once(req, 'response').then(([res]) => res as IncomingMessage);
    return { req, response };
  };
  const text = async (res: IncomingMessage) => {
    let all = '';
    for await (const chunk of res) all += chunk;
    return all;
  };

  it('is kept for the next request once the upload was read to its end', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const reused: boolean[] = [];
      for (const name of ['radar-a', 'radar-b']) {
        const zip = await buildSegmentZip({ ...RADAR_MANIFEST, name });
        const { req, response } = post(agent, uploadBody(UPLOAD, 'segment.zip', zip));
        req.end();
        const res = await response;
        expect(res.headers.connection).toBe('keep-alive');
        expect(JSON.parse(await text(res)).data.uploadSegment.__typename).toBe('UploadSegmentSuccess');
        reused.push(req.reusedSocket);
      }
      expect(reused).toEqual([false, true]);
    } finally {
      agent.destroy();
    }
  });

  it('closes after a refusal that came before the body ended', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // The client holds the rest of its body back until it has the answer.
      // (The delimiter after the field is what tells the parser the field is complete.)
      const { req, response } = post(
        agent,
        Buffer.concat([multipartPart('operations', '{nope'), Buffer.from(`--${MULTIPART_BOUNDARY}\r\n`)]),
      );
      const res = await response;
      expect(res.statusCode).toBe(400);
      expect(res.headers.connection).toBe('close');
      await text(res);
      req.destroy();
    } finally {
      agent.destroy();
    }
  });
});
