import { type FileHandle, open } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Registry } from 'prom-client';
import { DOWNLOAD_PATH_PREFIX, type Downloads } from '../domain/transfers/downloads.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../records/audit-log.js';
import type { StoredSegment } from '../records/segment-records.js';
import {
  type ByteRange,
  contentDisposition,
  ifRangeHolds,
  noneMatch,
  offsetRange,
  rangeOf,
} from './byte-range.js';
import { auditor, downloadMetrics, type Metrics, type Served } from './download-audit.js';
import type { OriginPolicy } from './origin.js';

/**
 * `/files/<token>/<name>`: a segment's bytes for a download token (SPEC-FLEET section 4, D12). Outside
 * Yoga: no GraphQL, no body, and no URL reaches a log line or a metric label, as the token is in it.
 * Files are streamed from disk with back-pressure in READ_CHUNK pieces, so a download of any size
 * holds about one chunk of memory.
 */

export interface FilesOptions {
  downloads: Downloads;
  audit: AuditLog;
  origins: OriginPolicy;
  /** MAX_CONCURRENT_DOWNLOADS: one more is refused with 503 `TOO_MANY_DOWNLOADS`. */
  maxConcurrent: number;
  registry: Registry;
  log: Logger;
}

const READ_CHUNK = 256 * 1024;
/** What a client refused for `TOO_MANY_DOWNLOADS` is told to wait before trying again. */
const RETRY_AFTER_S = '5';
/** Response headers a listed cross-origin page may read (CORS exposes only a few by default). */
const EXPOSED = 'Accept-Ranges, Content-Disposition, Content-Length, Content-Range, ETag, Last-Modified';

export function withFiles(next: RequestListener, options: FilesOptions): RequestListener {
  const metrics = downloadMetrics(options.registry);
  let active = 0;
  return (req, res) => {
    if (!req.url?.startsWith(DOWNLOAD_PATH_PREFIX)) {
      next(req, res);
      return;
    }
    if (!admitOrigin(req, res, options.origins)) return;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsPreflight()).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'METHOD_NOT_ALLOWED', 'downloads take GET or HEAD', { allow: 'GET, HEAD' });
      return;
    }
    if (active >= options.maxConcurrent) {
      options.log.warn({ active }, 'download refused: TOO_MANY_DOWNLOADS (MAX_CONCURRENT_DOWNLOADS)');
      metrics.refused.inc({ code: 'TOO_MANY_DOWNLOADS' });
      refuse(res, 503, 'TOO_MANY_DOWNLOADS', 'too many downloads at once; try again shortly', {
        'retry-after': RETRY_AFTER_S,
      });
      return;
    }
    active++;
    metrics.active.inc();
    res.once('close', () => {
      active--;
      metrics.active.dec();
    });
    serve(req, res, options, metrics).catch((err: unknown) => {
      options.log.error({ err, path: '/files/[redacted]' }, 'download failed');
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', 'the download failed; see the server log');
      else res.destroy();
    });
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: FilesOptions, metrics: Metrics) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const token = url.pathname.slice(DOWNLOAD_PATH_PREFIX.length).split('/')[0] ?? '';
  const opening = await options.downloads.open(token);
  if (opening.kind === 'UNAUTHORIZED') {
    metrics.refused.inc({ code: 'INVALID_TRANSFER_TOKEN' });
    refuse(
      res,
      401,
      'INVALID_TRANSFER_TOKEN',
      'this download link is expired or not valid: ask for a new one',
    );
    return;
  }
  const audit = auditor(options, opening.issuer, res, metrics);
  if (opening.kind === 'GONE') {
    refuse(res, 404, 'SEGMENT_NOT_FOUND', 'the segment no longer exists');
    audit(opening.segmentId, { status: 404, errorCode: 'SEGMENT_NOT_FOUND' });
    return;
  }
  if (opening.kind === 'BLOCKED') {
    refuse(res, 403, opening.code, opening.reason);
    audit(opening.segment.id, { status: 403, errorCode: opening.code });
    return;
  }
  const handle = await openFile(opening.path);
  if (!handle) {
    // The record went after the token was read, or the file is not where it should be.
    refuse(res, 404, 'SEGMENT_NOT_FOUND', 'the segment no longer exists');
    audit(opening.segment.id, { status: 404, errorCode: 'SEGMENT_NOT_FOUND' });
    return;
  }
  try {
    const served = await respond(req, res, url, opening.segment, handle);
    audit(opening.segment.id, served);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Answers from the validators and range; streams the bytes (the stream closes `handle`). */
async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  segment: StoredSegment,
  handle: FileHandle,
): Promise<Served> {
  const { size, sha256, fileName, createdAt } = segment.record;
  const actual = (await handle.stat()).size;
  if (actual !== size)
    throw new Error(`segment ${segment.id}: file holds ${actual} bytes, its record ${size}`);
  const etag = `"${sha256}"`;
  const lastModified = new Date(createdAt);
  const validators = {
    etag,
    'last-modified': lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    // The URL is a credential: no shared cache keeps the bytes, and no page it leads to sees it.
    'cache-control': 'private, no-cache',
    'referrer-policy': 'no-referrer',
  };
  const header = (name: string) => req.headers[name] as string | undefined;
  if (noneMatch(header('if-none-match'), etag)) {
    await handle.close();
    res.writeHead(304, validators).end();
    return { status: 304 };
  }
  const offset = offsetRange(url.searchParams.get('offset'));
  if (offset === null) {
    await handle.close();
    refuse(res, 400, 'INVALID_OFFSET', 'offset must be a whole number of bytes');
    return { status: 400, errorCode: 'INVALID_OFFSET' };
  }
  const asked = header('range') ?? offset;
  const answer =
    asked !== undefined && ifRangeHolds(header('if-range'), etag, lastModified)
      ? rangeOf(asked, size)
      : ({ kind: 'WHOLE' } as const);
  if (answer.kind === 'UNSATISFIABLE') {
    await handle.close();
    res.writeHead(416, { ...validators, 'content-range': `bytes */${size}` }).end();
    return { status: 416, errorCode: 'RANGE_NOT_SATISFIABLE' };
  }
  const range = answer.kind === 'PARTIAL' ? answer.range : { start: 0, end: size - 1 };
  const status = answer.kind === 'PARTIAL' ? 206 : 200;
  res.writeHead(status, {
    ...validators,
    'content-type': 'application/octet-stream',
    'content-disposition': contentDisposition(fileName),
    'content-length': String(range.end - range.start + 1),
    'x-content-type-options': 'nosniff',
    ...(status === 206 && { 'content-range': `bytes ${range.start}-${range.end}/${size}` }),
  });
  if (req.method === 'HEAD' || size === 0) {
    await handle.close();
    res.end();
    return { status, range };
  }
  await stream(handle, range, res);
  return { status, range };
}

/**
 * Resolves when the range was written or the client went away (the audit tells the two apart by
 * `res.writableFinished`); the read stream closes `handle` either way.
 */
function stream(handle: FileHandle, range: ByteRange, res: ServerResponse): Promise<void> {
  const file = handle.createReadStream({ start: range.start, end: range.end, highWaterMark: READ_CHUNK });
  return new Promise((resolve) => {
    pipeline(file, res, () => resolve());
  });
}

async function openFile(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function admitOrigin(req: IncomingMessage, res: ServerResponse, origins: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (!origins.admits(origin, req.headers.host)) {
    refuse(res, 403, 'ORIGIN_NOT_ALLOWED', 'this origin may not use seghub (CORS_ORIGINS)');
    return false;
  }
  if (origin && origins.isListed(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSED);
    res.setHeader('vary', 'Origin');
  }
  return true;
}

function corsPreflight() {
  return {
    'access-control-allow-methods': 'GET, HEAD',
    'access-control-allow-headers': 'Range, If-Range, If-None-Match',
    'access-control-max-age': '600',
  };
}

function refuse(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    })
    .end(body);
}
