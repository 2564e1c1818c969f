import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { MultipartError, parseMultipart } from '../multipart.js';

/**
 * GraphQL multipart requests (uploads) parsed by `../multipart.ts` instead of Yoga's own parser, which
 * buffers whole files in memory. The file streams to the resolver as it arrives, straight from the
 * request.
 */

type NodeContext = { req: IncomingMessage; res: ServerResponse };

export interface UploadOptions {
  /** Largest file accepted; the resolver enforces it exactly, the parser stops just past it. */
  maxFileBytes: number;
  /** How long a client that keeps sending after its request was answered may linger. */
  lingerMs?: number;
}

export function useUpload({
  maxFileBytes,
  lingerMs = 5000,
}: UploadOptions): Plugin<Record<string, never>, NodeContext> {
  /** Whether each multipart request's connection could be kept, as Node decided from the request. */
  const keepAlive = new WeakMap<ServerResponse, boolean>();
  return {
    onRequestParse({ request, serverContext, setRequestParser, fetchAPI }) {
      const contentType = request.headers.get('content-type') ?? '';
      if (!/^multipart\/form-data\b/i.test(contentType)) return;
      const { req, res } = serverContext;
      // Now rather than in the parser: a request refused before parsing (CSRF, authentication)
      // must not make the server read the gigabytes behind it either.
      keepAlive.set(res, res.shouldKeepAlive);
      closeAfterResponse(req, res, lingerMs);
      setRequestParser(async () => {
        try {
          return await parseMultipart(req, {
            maxFiles: 1,
            // One byte past the limit: the resolver sees the overflow and answers FILE_TOO_LARGE.
            maxFileBytes: maxFileBytes + 1,
          });
        } catch (error) {
          return refusal(fetchAPI, error);
        }
      });
    },
    onResponse({ serverContext }) {
      // The body was read to its end (an upload that was stored, or refused only after it had all
      // arrived): nothing is left to discard, so the client may send its next upload on this
      // connection rather than open a new one.
      const { req, res } = serverContext;
      const kept = keepAlive.get(res);
      if (kept && req.complete && !res.headersSent) res.shouldKeepAlive = true;
    },
  };
}

/**
 * A refused upload is answered before its body has arrived. Keeping the connection would mean
 * reading (and discarding) gigabytes the client still sends, so the connection closes after the
 * response; a client that goes on sending is cut off after a short grace period rather than
 * reset at once, which could destroy the response it has not read yet.
 */
function closeAfterResponse(req: IncomingMessage, res: ServerResponse, lingerMs: number): void {
  res.shouldKeepAlive = false;
  res.once('finish', () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), lingerMs);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  });
}

/** A malformed multipart request is the client's mistake: its status (400, 413) and a GraphQL-shaped body. */
function refusal(fetchAPI: { Response: typeof Response }, error: unknown): Response {
  // The parser refuses only with MultipartError; anything else is still the client's request.
  const { status, message } =
    error instanceof MultipartError ? error : { status: 400, message: 'invalid multipart request' };
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }),
    {
      status,
      headers: { 'content-type': 'application/json' },
    },
  );
}
