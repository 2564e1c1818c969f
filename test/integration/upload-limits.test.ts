import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import {
  MULTIPART_BOUNDARY,
  multipartContentType,
  multipartPart,
  uploadBody,
} from '../support/fixtures/multipart-body.js';
import { storageContents, uploadSegment } from '../support/fixtures/segments.js';
import { rawRequest } from '../support/harness/raw-http.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';

const UPLOAD = 'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }';
const IDLE_MS = 400;

describe('upload limits', () => {
  let app: SegmentApp;
  // A short idle limit for the test of it; the others finish long before it.
  let silentApp: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp({ MAX_CONCURRENT_UPLOADS: '1' });
    silentApp = await startSegmentApp({ UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await silentApp?.stop();
  });

  async function expectNothingStored() {
    expect((await app.store.range(keys.segments)).kvs).toEqual([]);
    expect(await storageContents(app.dataDir)).toEqual({ files: [], temp: [] });
  }

  /** An upload whose head and first `sent` bytes of the file go out now; the rest waits for `finish`. */
  function heldUpload(zip: Buffer, sent: number, to = app) {
    const body = uploadBody(UPLOAD, 'held.zip', zip);
    const cut = body.indexOf(zip) + sent;
    const exchange = rawRequest(
      to.url,
      {
        'content-type': multipartContentType,
        'content-length': String(body.length),
        'x-graphql-yoga-csrf': '1',
        // The answer ends the exchange: the test reads until the server closes.
        connection: 'close',
      },
      body.subarray(0, cut),
    );
    return { ...exchange, finish: () => exchange.socket.write(body.subarray(cut)) };
  }

  // Fails before the fix: the segment was stored and the answer was `Unexpected error.` (200).
  it('refuses one file mapped to two variables with 400 before anything is stored', async () => {
    const zip = await buildSegmentZip(RADAR_MANIFEST);
    const query =
      'mutation ($a: Upload!, $b: Upload!) { a: uploadSegment(file: $a) { __typename } b: uploadSegment(file: $b) { __typename } }';
    const body = Buffer.concat([
      multipartPart('operations', JSON.stringify({ query, variables: { a: null, b: null } })),
      multipartPart('map', JSON.stringify({ 0: ['variables.a', 'variables.b'] })),
      multipartPart('0', zip, 'radar.zip'),
      Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`),
    ]);
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': multipartContentType, 'x-graphql-yoga-csrf': '1' },
      body: new Uint8Array(body),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(/one file goes to one variable/),
      extensions: { code: 'BAD_REQUEST' },
    });
    await expectNothingStored();
  });

  // Fails before the fix: the extra part was ignored, the segment stored and the answer 200,
  // while docs/operations.md promised 413.
  it('refuses a file part beyond the map with 413 and stores nothing', async () => {
    const zip = await buildSegmentZip(RADAR_MANIFEST);
    const body = Buffer.concat([
      multipartPart('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } })),
      multipartPart('map', JSON.stringify({ 0: ['variables.file'] })),
      multipartPart('0', zip, 'radar.zip'),
      multipartPart('1', zip, 'extra.zip'),
      Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`),
    ]);
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': multipartContentType, 'x-graphql-yoga-csrf': '1' },
      body: new Uint8Array(body),
    });
    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).toContain('1 max file uploads exceeded.');
    await expectNothingStored();
  });

  // Fails before the fix: a half-sent body held its connection and its .part file for 15 minutes.
  it('aborts an upload whose body goes silent for UPLOAD_IDLE_TIMEOUT_MS, removing its partial file', async () => {
    const held = heldUpload(
      await buildSegmentZip({ ...RADAR_MANIFEST, name: 'silent-upload' }),
      100,
      silentApp,
    );
    // The client sends nothing more: the server answers and closes on its own.
    const answer = await withTimeout(held.response, 10_000, 'the idle upload aborted');
    held.socket.destroy();
    expect(answer.body).toContain('UPLOAD_IDLE_TIMEOUT');
    await waitFor(async () => (await storageContents(silentApp.dataDir)).temp.length === 0, {
      message: 'no .part file',
    });
    expect((await silentApp.store.range(keys.segments)).kvs).toEqual([]);
  });
  // Fails before the fix: there was no cap; every upload held ~2 MiB while it streamed.
  it('refuses an upload beyond MAX_CONCURRENT_UPLOADS with 503 TOO_MANY_UPLOADS, and admits one once a slot frees', async () => {
    const held = heldUpload(await buildSegmentZip({ ...RADAR_MANIFEST, name: 'held-upload' }), 100);
    // The held upload has its slot once its file has started streaming into storage.
    await waitFor(async () => (await storageContents(app.dataDir)).temp.length === 1, {
      message: 'a .part file',
    });
    const zip = await buildSegmentZip({ ...RADAR_MANIFEST, name: 'second-upload' });
    const refused = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': multipartContentType, 'x-graphql-yoga-csrf': '1' },
      body: new Uint8Array(uploadBody(UPLOAD, 'second.zip', zip)),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).errors[0].extensions.code).toBe('TOO_MANY_UPLOADS');

    held.finish();
    const first = await withTimeout(held.response, 10_000, 'the held upload');
    expect(JSON.parse(first.body).data.uploadSegment.__typename).toBe('UploadSegmentSuccess');
    const again = await waitFor(
      async () => {
        const result = await uploadSegment(app.url, { bytes: zip, fileName: 'second.zip' }).catch(
          () => undefined,
        );
        return result?.__typename === 'UploadSegmentSuccess' && result;
      },
      { message: 'the second upload admitted' },
    );
    expect(again.__typename).toBe('UploadSegmentSuccess');
  });
});
