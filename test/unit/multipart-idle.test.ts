import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FileUpload, Upload } from 'graphql-upload-ts';
import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../src/server/multipart.js';
import { multipartContentType, uploadBody } from '../support/fixtures/multipart-body.js';
import { withTimeout } from '../support/harness/wait-for.js';

const IDLE_MS = 100;

/** A request stream carrying `body` at once, as a fast client on a fast network sends it. */
function requestOf(body: Buffer): IncomingMessage {
  const req = new PassThrough() as PassThrough & { headers: IncomingMessage['headers'] };
  req.headers = { 'content-type': multipartContentType, 'content-length': String(body.length) };
  // In network-sized chunks: one chunk is parsed whole, so backpressure acts between chunks.
  for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
  req.end();
  return req as unknown as IncomingMessage;
}

/**
 * UPLOAD_IDLE_TIMEOUT_MS blames the client for a body that stops arriving. Regression (review of
 * #23.8): it also fired while the server itself held the body back — the resolver had not opened
 * the file yet, so backpressure paused the request — and refused a client that had sent everything.
 */
describe('the multipart idle limit', () => {
  it('does not count the time the server holds a fully sent body back', async () => {
    const file = Buffer.alloc(4 * 1024 * 1024, 7);
    const body = uploadBody(
      'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }',
      'a.zip',
      file,
    );
    const params = await parseMultipart(requestOf(body), {
      maxFileBytes: 8 * 1024 * 1024,
      maxFiles: 1,
      idleTimeoutMs: IDLE_MS,
    });
    const upload = (params as { variables: { file: Upload } }).variables.file;
    const opened: FileUpload = await upload.promise;
    // Nobody reads the file for five idle periods: the request stays paused by backpressure.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 5));
    const stream = opened.createReadStream();
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await withTimeout(once(stream, 'end'), 10_000, 'the whole file read');
    expect(received).toBe(file.length);
  });

  it('still refuses a client that stops sending', async () => {
    const file = Buffer.alloc(1024, 7);
    const body = uploadBody(
      'mutation ($file: Upload!) { uploadSegment(file: $file) { __typename } }',
      'a.zip',
      file,
    );
    const req = new PassThrough() as PassThrough & { headers: IncomingMessage['headers'] };
    req.headers = { 'content-type': multipartContentType, 'content-length': String(body.length) };
    req.write(body.subarray(0, body.length - 200)); // the rest never comes
    const params = await parseMultipart(req as unknown as IncomingMessage, {
      maxFileBytes: 8 * 1024 * 1024,
      maxFiles: 1,
      idleTimeoutMs: IDLE_MS,
    });
    const upload = (params as { variables: { file: Upload } }).variables.file;
    const stream = (await upload.promise).createReadStream();
    stream.resume();
    await expect(once(stream, 'end')).rejects.toMatchObject({ extensions: { code: 'UPLOAD_IDLE_TIMEOUT' } });
  });
});
