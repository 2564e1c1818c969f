import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ERRORS, Server } from '@tus/server';
import { Counter, type Registry } from 'prom-client';
import type { UploadSessions } from '../../domain/transfers/upload-sessions.js';
import type { Logger } from '../../logger.js';
import { closeLingering } from '../linger.js';
import type { OriginPolicy } from '../origin.js';
import type { UploadSlots } from '../upload-slots.js';
import { SessionDataStore, sessionLocker } from './session-data-store.js';

/**
 * `/uploads/<sessionId>`: the tus 1.0.0 endpoint behind `UploadSession.uploadUrl` (SPEC-FLEET
 * section 4, D12), served by `@tus/server`. Every request but a CORS preflight carries the
 * session's upload token in `Authorization: Bearer` (no API token, no CSRF header: the token is
 * only ever handed to the uploader); anything else is 401 before tus sees it. Browser origins
 * follow CORS_ORIGINS, a PATCH takes one of the MAX_CONCURRENT_UPLOADS slots, and a refusal sent
 * before the body closes the connection lingering, as on /graphql.
 */

export const UPLOADS_PATH = '/uploads';
const SESSION_PATH = /^\/uploads\/([A-Za-z0-9_-]{1,64})$/;
const TUS_RESUMABLE = '1.0.0';
const RETRY_AFTER_SECONDS = 5;

export interface UploadEndpointOptions {
  sessions: UploadSessions;
  /** UPLOAD_SESSION_TTL_H in ms, for `Upload-Expires`. */
  ttlMs: number;
  maxUploadBytes: number;
  origins: OriginPolicy;
  slots: UploadSlots;
  /** Bytes of a refused request's body read and discarded (HTTP_REFUSAL_DRAIN_BYTES). */
  refusalDrainBytes: number;
  /** UPLOAD_IDLE_TIMEOUT_MS: a PATCH whose body sends nothing for this long is cut off. */
  idleTimeoutMs: number;
  registry: Registry;
  log: Logger;
}

export function withUploadEndpoint(next: RequestListener, options: UploadEndpointOptions): RequestListener {
  const endpoint = createUploadEndpoint(options);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === UPLOADS_PATH || path.startsWith(`${UPLOADS_PATH}/`)) void endpoint(req, res);
    else next(req, res);
  };
}

function createUploadEndpoint(options: UploadEndpointOptions) {
  const { sessions, origins, slots, log } = options;
  const received = new Counter({
    name: 'seghub_upload_session_bytes_total',
    help: 'Bytes received and kept over tus on /uploads (a resumed upload counts each byte once)',
    registers: [options.registry],
  });
  const tus = new Server({
    path: UPLOADS_PATH,
    datastore: new SessionDataStore(sessions, options.ttlMs, (bytes) => received.inc(bytes)),
    locker: sessionLocker(sessions),
    maxSize: options.maxUploadBytes,
    relativeLocation: true,
    allowedOrigins: (origin) => origins.isListed(origin),
    onResponseError: (_req, error) => {
      if ('status_code' in error) return undefined;
      log.error({ err: error }, 'upload request failed');
      return ERRORS.UNKNOWN_ERROR;
    },
  });
  const stalled = new Counter({
    name: 'seghub_upload_session_stalls_total',
    help: 'PATCHes to /uploads cut off after sending nothing for UPLOAD_IDLE_TIMEOUT_MS',
    registers: [options.registry],
  });
  const requests = new Counter({
    name: 'seghub_upload_session_requests_total',
    help: 'tus requests to /uploads, by method and HTTP status',
    labelNames: ['method', 'status'],
    registers: [options.registry],
  });

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, text: string, headers = {}) => {
    if (!req.complete) closeLingering(req, res, options.refusalDrainBytes);
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'tus-resumable': TUS_RESUMABLE,
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(`${text}\n`);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    res.once('finish', () => requests.inc({ method, status: String(res.statusCode) }));
    try {
      const id = SESSION_PATH.exec((req.url ?? '').split('?')[0] ?? '')?.[1];
      if (method === 'OPTIONS') return await tus.handle(req, res);
      if (!['HEAD', 'PATCH', 'DELETE'].includes(method) || id === undefined) {
        return refuse(
          req,
          res,
          405,
          'uploads are sessions: createUploadSession, then HEAD/PATCH/DELETE its uploadUrl',
          {
            allow: 'OPTIONS, HEAD, PATCH, DELETE',
          },
        );
      }
      if (!origins.admits(req.headers.origin, req.headers.host)) {
        return refuse(req, res, 403, `ORIGIN_NOT_ALLOWED: origin ${req.headers.origin} may not upload here`);
      }
      const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined || !(await sessions.authorize(id, token))) {
        return refuse(req, res, 401, 'UNAUTHENTICATED: this needs the upload token of this session', {
          'www-authenticate': 'Bearer realm="seghub-uploads"',
        });
      }
      const release = method === 'PATCH' ? slots.take() : () => {};
      if (!release) {
        return refuse(req, res, 503, 'TOO_MANY_UPLOADS: try again shortly (MAX_CONCURRENT_UPLOADS)', {
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      res.once('close', release);
      if (method === 'PATCH') {
        const guard = cutWhenSilent(req, options.idleTimeoutMs, () => {
          stalled.inc();
          log.warn({ session: id, idleMs: options.idleTimeoutMs }, 'upload PATCH sent nothing: cut off');
        });
        res.once('close', guard);
      }
      await tus.handle(req, res);
    } catch (error) {
      log.error({ err: error, method }, 'upload request failed');
      if (!res.headersSent) refuse(req, res, 500, 'the upload request failed on the server');
      else res.destroy();
    }
  };
}

/**
 * A PATCH holds one of the MAX_CONCURRENT_UPLOADS slots and the session's lock: one whose sender went
 * silent would hold both until the socket's own 15-minute timeout. Its connection is cut once it has
 * received nothing for `idleMs` (checked at that interval, so within 2 × `idleMs`); the bytes up to
 * the cut are checkpointed as for any interrupted PATCH, and the client resumes from HEAD's offset.
 * Progress is read from the socket's byte count: tus consumes the body, which must not be tapped.
 */
function cutWhenSilent(req: IncomingMessage, idleMs: number, onCut: () => void): () => void {
  let seen = req.socket.bytesRead;
  const timer = setInterval(() => {
    const now = req.socket.bytesRead;
    if (now !== seen) {
      seen = now;
      return;
    }
    clearInterval(timer);
    onCut();
    req.socket.destroy();
  }, idleMs);
  timer.unref();
  return () => clearInterval(timer);
}
