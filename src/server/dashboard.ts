import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';

/** Where `npm run build:web` puts the page: web/dist at the repository root (from src/ or dist/). */
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names every file under assets/ by its content hash: a new build means new names.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The page itself names the current assets, so a browser must never keep an old one.
const NOT_CACHED = 'no-store';

// The page talks only to its own origin: GraphQL over HTTP and over WebSocket on /graphql.
const PAGE_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const NOT_BUILT =
  'The seghub dashboard has not been built.\n\n' +
  'Build it with `npm run build:web` (or `npm run build`, which `npm start` runs), then reload.\n' +
  'The GraphQL API and GraphiQL are at /graphql.\n';

interface BuiltFile {
  file: string;
  stats: Stats;
}

export interface DashboardOptions {
  /** The built page; `DEFAULT_DASHBOARD_DIR` unless given. */
  dir?: string;
  log: Logger;
}

/**
 * Serves the built dashboard at `/` and its files, and hands every other request to `next` (Yoga:
 * /graphql, /healthz, /readyz, /metrics). Only files found by listing the build folder are served,
 * looked up by their exact URL path, so no request path ever reaches the file system.
 */
export function withDashboard(next: RequestListener, { dir = DEFAULT_DASHBOARD_DIR, log }: DashboardOptions) {
  const files = new BuiltFiles(dir);
  return (req: IncomingMessage, res: ServerResponse) => {
    const pathname = pathOf(req.url);
    const ownsPath = pathname === '/' || pathname === '/index.html' || pathname?.startsWith('/assets/');
    if (!ownsPath) {
      next(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Method not allowed\n');
      return;
    }
    files.find(pathname === '/' ? '/index.html' : pathname!).then(
      ({ found, built }) => send(req, res, found, built),
      (error: unknown) => {
        log.error({ err: error, dir }, 'cannot read the dashboard build');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The dashboard could not be read.\n');
      },
    );
  };
}

function send(req: IncomingMessage, res: ServerResponse, found: BuiltFile | undefined, built: boolean): void {
  const head = req.method === 'HEAD';
  if (!found) {
    const [status, text] = built ? [404, 'Not found\n'] : [503, NOT_BUILT];
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NOT_CACHED });
    res.end(head ? undefined : text);
    return;
  }
  const isPage = found.file.endsWith('.html');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(found.file)] ?? 'application/octet-stream',
    'content-length': found.stats.size,
    'cache-control': isPage ? NOT_CACHED : IMMUTABLE,
    'last-modified': found.stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
    ...(isPage && { 'content-security-policy': PAGE_POLICY, 'referrer-policy': 'no-referrer' }),
  });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(found.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * The build folder's files by URL path. Listed again when index.html changed (a new build while
 * seghub runs) or while there is no build yet, so building never needs a restart.
 */
class BuiltFiles {
  /** One listing per build, shared by the requests that arrive while it runs. */
  private listing: { mtimeMs: number; files: Promise<Map<string, BuiltFile>> } | undefined;

  constructor(private readonly dir: string) {}

  /** `built`: whether there is a build at all (no build answers 503, a missing file 404). */
  async find(urlPath: string): Promise<{ found?: BuiltFile; built: boolean }> {
    const page = await stat(path.join(this.dir, 'index.html')).catch(() => undefined);
    if (!page) return { built: false };
    if (this.listing?.mtimeMs !== page.mtimeMs) {
      const listing = { mtimeMs: page.mtimeMs, files: listFiles(this.dir) };
      // A failed listing is tried again by the next request.
      listing.files.catch(() => {
        if (this.listing === listing) this.listing = undefined;
      });
      this.listing = listing;
    }
    return { found: (await this.listing.files).get(urlPath), built: true };
  }
}

async function listFiles(dir: string): Promise<Map<string, BuiltFile>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, BuiltFile>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const urlPath = `/${path.relative(dir, file).split(path.sep).join('/')}`;
    files.set(urlPath, { file, stats: await stat(file) });
  }
  return files;
}

/** The decoded path of a request target, or undefined when it is not a valid one. */
function pathOf(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
  } catch {
    return undefined;
  }
}
