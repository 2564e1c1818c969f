import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.js';
import { MultipartError, parseMultipart } from '../multipart.js';
import { refusalResponse } from '../refusal.js';
import { UploadSlots } from '../upload-slots.js';

/**
 * GraphQL multipart requests (uploads) parsed by `../multipart.ts` instead of Yoga's own parser, which
 * buffers whole files in memory. The file streams to the resolver as it arrives, straight from the
 * request. A response sent before the body has arrived (a refusal, `FILE_TOO_LARGE`) closes the
 * connection lingering (use-request-gate.ts); a body read to its end leaves the connection open.
 */

type NodeContext = { req: IncomingMessage; res: ServerResponse };

export interface UploadOptions {
  /** Largest file accepted; the resolver enforces it exactly, the parser stops just past it. */
  maxFileBytes: number;
  /** Uploads received at once; one more is refused with 503 `TOO_MANY_UPLOADS`. */
  maxConcurrent: number;
  /** A body silent for this long is aborted: 408 `UPLOAD_IDLE_TIMEOUT`, its partial file removed. */
  idleTimeoutMs: number;
  log: Logger;
  /** Shared with /uploads (tus); a fresh one of `maxConcurrent` when absent. */
  slots?: UploadSlots;
}

/** What a client refused for `TOO_MANY_UPLOADS` is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

export function useUpload(options: UploadOptions): Plugin<Record<string, never>, NodeContext> {
  const { maxFileBytes, maxConcurrent, idleTimeoutMs, log } = options;
  const slots = options.slots ?? new UploadSlots(maxConcurrent);
  return {
    onRequestParse({ request, serverContext, setRequestParser, fetchAPI }) {
      const contentType = request.headers.get('content-type') ?? '';
      if (!/^multipart\/form-data\b/i.test(contentType)) return;
      const { req, res } = serverContext;
      const release = slots.take();
      if (!release) {
        log.warn(
          { running: slots.inUse, maxConcurrent: slots.max },
          'upload refused: TOO_MANY_UPLOADS (MAX_CONCURRENT_UPLOADS)',
        );
        setRequestParser(() =>
          refusalResponse(
            fetchAPI,
            {
              status: 503,
              code: 'TOO_MANY_UPLOADS',
              message: `${slots.max} uploads are being received (MAX_CONCURRENT_UPLOADS); try again shortly`,
              headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
            },
            request,
          ),
        );
        return;
      }
      res.once('close', release);
      setRequestParser(async () => {
        try {
          return await parseMultipart(req, {
            maxFiles: 1,
            // One byte past the limit: the resolver sees the overflow and answers FILE_TOO_LARGE.
            maxFileBytes: maxFileBytes + 1,
            idleTimeoutMs,
          });
        } catch (error) {
          return refusal(fetchAPI, error, log, request);
        }
      });
    },
  };
}

/** A malformed multipart request is the client's mistake: its status (400, 408, 413) and a GraphQL-shaped body. */
function refusal(
  fetchAPI: { Response: typeof Response },
  error: unknown,
  log: Logger,
  request: Request,
): Response {
  // The parser refuses only with MultipartError; anything else is still the client's request.
  const { status, message, code } =
    error instanceof MultipartError
      ? error
      : { status: 400, message: 'invalid multipart request', code: 'BAD_REQUEST' };
  log.info({ status, code, reason: message }, `upload refused: ${code}`);
  return refusalResponse(fetchAPI, { status, code, message }, request);
}
