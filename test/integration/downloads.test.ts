import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferTokens } from '../../src/domain/transfers/transfer-tokens.js';
import { keys } from '../../src/records/keyspace.js';
import { TransferTokenRecords } from '../../src/records/transfer-token-records.js';
import { DownloadAuditLog, SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

// ASCII: the multipart upload path reads file names as latin1 (non-ASCII names: byte-range unit test).
const FILE_NAME = 'radar display 4.0.zip';
const LOCAL_ID = 'radar-display/4.0.0';

describe('downloading a segment from /files/', () => {
  let app: SegmentApp;
  let bytes: Buffer;
  let segmentId: string;
  let sha256: string;

  beforeAll(async () => {
    app = await startSegmentApp();
    bytes = await buildSegmentZip(
      { name: 'radar-display', version: '4.0.0' },
      { 'bin/radar': randomBytes(6000).toString('base64') },
    );
    const segment = await uploadOk(app.url, { bytes, fileName: FILE_NAME });
    segmentId = segment.id;
    sha256 = createHash('sha256').update(bytes).digest('hex');
  });
  afterAll(() => app?.stop());

  const downloadUrl = async (ttlSeconds?: number) => {
    const result = await httpGraphQL(app.url, SegmentDownloadUrl, { id: segmentId, ttlSeconds });
    const url = result.data?.segment?.downloadUrl;
    if (!url) throw new Error(`no downloadUrl: ${JSON.stringify(result.errors)}`);
    return url;
  };
  const get = async (headers: Record<string, string> = {}, query = '', method = 'GET') => {
    const response = await fetch(`${app.base}${await downloadUrl()}${query}`, { method, headers });
    return { response, body: Buffer.from(await response.arrayBuffer()) };
  };

  it('answers a relative /files/ URL naming the file', async () => {
    const url = await downloadUrl();
    expect(url).toMatch(/^\/files\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\//);
    expect(decodeURIComponent(url.split('/').at(-1) ?? '')).toBe(FILE_NAME);
  });

  it('serves the whole file with its validators and name', async () => {
    const { response, body } = await get();
    expect(response.status).toBe(200);
    expect(body.equals(bytes)).toBe(true);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toBe(`"${sha256}"`);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="radar display 4.0.zip"; filename*=UTF-8''radar%20display%204.0.zip`,
    );
  });

  it.each([
    { range: 'bytes=0-0', start: 0, end: 0 },
    { range: 'bytes=100-1099', start: 100, end: 1099 },
    { range: 'bytes=-50', start: -50, end: -1 },
    { range: 'bytes=200-', start: 200, end: -1 },
  ])('serves $range as 206 with its Content-Range', async ({ range, start, end }) => {
    const { response, body } = await get({ range });
    const from = start < 0 ? bytes.length + start : start;
    const to = end < 0 ? bytes.length + end : end;
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${from}-${to}/${bytes.length}`);
    expect(response.headers.get('content-length')).toBe(String(to - from + 1));
    expect(body.equals(bytes.subarray(from, to + 1))).toBe(true);
  });

  it('takes ?offset=N as Range: bytes=N-', async () => {
    const { response, body } = await get({}, '?offset=1234');
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 1234-${bytes.length - 1}/${bytes.length}`);
    expect(body.equals(bytes.subarray(1234))).toBe(true);
    expect((await get({}, '?offset=12x')).response.status).toBe(400);
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    for (const [headers, query] of [
      [{ range: `bytes=${bytes.length}-` }, ''],
      [{}, `?offset=${bytes.length}`],
    ] as const) {
      const { response, body } = await get(headers, query);
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect(body.length).toBe(0);
    }
  });

  it('answers If-None-Match with the ETag by 304, and a range under a stale If-Range whole', async () => {
    const notModified = await get({ 'if-none-match': `"${sha256}"` });
    expect(notModified.response.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect((await get({ 'if-none-match': '"other"' })).response.status).toBe(200);

    const stale = await get({ range: 'bytes=0-9', 'if-range': '"0000"' });
    expect(stale.response.status).toBe(200);
    expect(stale.body.equals(bytes)).toBe(true);
    const current = await get({ range: 'bytes=0-9', 'if-range': `"${sha256}"` });
    expect(current.response.status).toBe(206);
    expect(current.body.equals(bytes.subarray(0, 10))).toBe(true);
    const staleDate = await get({ range: 'bytes=0-9', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(staleDate.response.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { response, body } = await get({}, '', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(body.length).toBe(0);
  });

  it('refuses forged, expired and upload tokens with 401 and serves nothing', async () => {
    const url = await downloadUrl();
    const token = url.split('/')[2] ?? '';
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const tokens = new TransferTokens(new TransferTokenRecords(app.store), {
      ttlSeconds: 120,
      extendSeconds: 60,
    });
    const upload = await tokens.issue('UPLOAD', segmentId);
    const expired = await downloadUrl();
    const expiredId = expired.split('/')[2]?.split('.')[0] ?? '';
    const record = await app.store.get(keys.transferToken(expiredId));
    const value = { ...JSON.parse(record?.value ?? '{}'), expiresAt: Date.now() - 1000 };
    await app.store.put(keys.transferToken(expiredId), JSON.stringify(value));
    for (const path of [
      url.replace(token, forged),
      `/files/${upload.token}/x.zip`,
      expired,
      '/files/nothing',
    ]) {
      const response = await fetch(`${app.base}${path}`);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('INVALID_TRANSFER_TOKEN');
    }
  });

  it('refuses a ttlSeconds past an hour as INVALID_INPUT', async () => {
    for (const ttlSeconds of [3601, 0]) {
      const result = await httpGraphQL(app.url, SegmentDownloadUrl, { id: segmentId, ttlSeconds });
      expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    }
    expect(await downloadUrl(3600)).toMatch(/^\/files\//);
  });

  it('writes each download to the audit trail with its principal and range', async () => {
    await get({ range: 'bytes=5-9' });
    // Written once the response has ended, which the client may see first.
    const entry = await waitFor(async () => {
      const result = await httpGraphQL(app.url, DownloadAuditLog);
      return result.data?.auditLog.edges
        .map((e) => e.node)
        .find((n) => n.field === 'download' && n.arguments.range === 'bytes=5-9');
    });
    expect(entry).toMatchObject({
      actor: { id: 'anonymous', role: 'ADMIN' },
      arguments: { id: segmentId, segment: LOCAL_ID, range: 'bytes=5-9', status: 206, bytes: 5 },
      outcome: 'SUCCESS',
      errorCode: null,
    });
    await get({ 'if-none-match': `"${sha256}"` });
    await get({}, `?offset=${bytes.length + 10}`);
    const outcomes = await waitFor(async () => {
      const result = await httpGraphQL(app.url, DownloadAuditLog);
      const [last, previous] = (result.data?.auditLog.edges ?? []).map((e) => e.node);
      return last?.arguments.status === 416 && previous;
    });
    expect(outcomes).toMatchObject({ arguments: { status: 304 }, outcome: 'SUCCESS', errorCode: null });
  });

  it('keeps tokens out of /metrics', async () => {
    const url = await downloadUrl();
    await fetch(`${app.base}${url}`);
    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    expect(metrics).toMatch(/seghub_downloads_total\{status="200"\} \d+/);
    expect(metrics).not.toContain(url.split('/')[2]?.slice(0, 22));
  });

  it('answers 404 once the segment is gone', async () => {
    const url = await downloadUrl();
    await app.store.delete(keys.segment(LOCAL_ID));
    const response = await fetch(`${app.base}${url}`);
    expect(response.status).toBe(404);
  });
});

describe('/files/ under the HTTP hardening rules, behind a PUBLIC_URL', () => {
  const PUBLIC_URL = 'https://seghub.example/hub';
  let app: SegmentApp;
  let segmentId: string;

  beforeAll(async () => {
    app = await startSegmentApp({
      MAX_CONCURRENT_DOWNLOADS: '1',
      CORS_ORIGINS: 'https://ops.example',
      PUBLIC_URL: `${PUBLIC_URL}/`,
    });
    // Larger than the socket buffers: a client that does not read holds its download open.
    const bytes = await buildSegmentZip(
      { name: 'held', version: '1.0.0' },
      { 'blob.bin': randomBytes(16 * 1024 * 1024) },
      { compression: 'STORE' },
    );
    segmentId = (await uploadOk(app.url, { bytes, fileName: 'held-1.0.0.zip' })).id;
  });
  afterAll(() => app?.stop());

  /** The URL as answered is absolute under PUBLIC_URL; the test reaches the same path directly. */
  const downloadUrl = async () => {
    const result = await httpGraphQL(app.url, SegmentDownloadUrl, { id: segmentId });
    const url = result.data?.segment?.downloadUrl ?? '';
    expect(url.startsWith(`${PUBLIC_URL}/files/`)).toBe(true);
    return `${app.base}${url.slice(PUBLIC_URL.length)}`;
  };

  it('refuses other browser origins and answers listed ones with CORS headers', async () => {
    const refused = await fetch(await downloadUrl(), { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    const listed = await fetch(await downloadUrl(), {
      headers: { origin: 'https://ops.example', range: 'bytes=0-3' },
    });
    expect(listed.status).toBe(206);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ops.example');
    expect(listed.headers.get('access-control-expose-headers')).toContain('Content-Range');
    await listed.arrayBuffer();
  });

  it('serves MAX_CONCURRENT_DOWNLOADS at once and refuses one more with 503 and Retry-After', async () => {
    const held = new AbortController();
    const first = await fetch(await downloadUrl(), { signal: held.signal });
    expect(first.status).toBe(200);
    const second = await fetch(await downloadUrl());
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(
      ((await second.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('TOO_MANY_DOWNLOADS');
    held.abort();
    // The slot is free once the server has seen the first connection close.
    const third = await waitFor(async () => {
      const response = await fetch(await downloadUrl(), { method: 'HEAD' });
      return response.status === 200 && response;
    });
    expect(third.headers.get('content-length')).toEqual(expect.any(String));
  });
});
