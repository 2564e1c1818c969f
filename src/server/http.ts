import type { Server } from 'node:http';

/** Limits of the HTTP server, sized for multi-GiB uploads on slow links (docs/configuration.md). */
export interface HttpTimeouts {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

/**
 * Multi-GiB uploads take minutes to hours: the whole-request limit is generous (Node's default of
 * 5 minutes would cut them off) and the idle limit outlasts the longest silent wait (`syncRemote`
 * waits up to 10 minutes for the leader's report; graphql-ws pings every 12 s), while headers must
 * arrive within a minute, so slow or silent clients cannot hold connections for long.
 */
export function applyHttpTimeouts(server: Server, http: HttpTimeouts): void {
  server.requestTimeout = http.requestTimeoutMs;
  server.headersTimeout = http.headersTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.timeout = http.idleTimeoutMs;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets running requests finish within the grace period, then cuts the rest. */
export async function closeHttp(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
