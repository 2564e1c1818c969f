import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may use the API. A browser names the page's origin in `Origin`; seghub's
 * own pages (the dashboard, GraphiQL) share its host, and `CORS_ORIGINS` lists any others. A
 * request without `Origin` comes from a program (curl, a Node client, graphql-ws in Node), not from
 * a page of another site, and is let through: CSRF prevention and authentication cover it.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed.map((o) => o.toLowerCase()));
  }

  /** Whether `origin` may call the API; `host` is the request's Host header. */
  admits(origin: string | null | undefined, host: string | null | undefined): boolean {
    if (!origin) return true;
    return this.isListed(origin) || sameHost(origin, host);
  }

  /** Origins named in `CORS_ORIGINS`: the only ones answered with CORS headers. */
  isListed(origin: string): boolean {
    return this.allowed.has(origin.toLowerCase());
  }

  /** For the WebSocket upgrade, which browsers send cross-site without any CORS check. */
  admitsUpgrade(req: IncomingMessage): boolean {
    return this.admits(req.headers.origin, req.headers.host);
  }
}

function sameHost(origin: string, host: string | null | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false; // `Origin: null` (a sandboxed page, a file) or garbage
  }
}
