import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Limits of the HTTP server, sized for multi-GiB uploads on slow links (docs/configuration.md). */
export interface HttpTimeouts {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** How much longer than its timer a silent connection stays open (`HTTP_KEEP_ALIVE_GRACE_MS`). */
  readonly keepAliveGraceMs: number;
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
  // With a 'timeout' listener, Node leaves closing a timed-out connection to it (seghub sets no
  // request or response 'timeout' listener, which would take that over).
  server.on('timeout', closeWhenSilent(http.keepAliveGraceMs));
}

/**
 * Closes a connection whose idle timer (keep-alive: `Keep-Alive: timeout` as advertised plus Node's
 * 1 s; or `server.timeout`) ran out, but never one whose client may already be sending a request:
 * - Grace: the timer runs out once, then the connection stays open `graceMs` more. A client times
 *   an idle connection from when it read the last answer, which a loaded client does late (Node's
 *   fetch reuses a connection for the advertised timeout less 2 s, by a timer that fires late too):
 *   in the soak on a loaded machine, requests went out on connections idle 4.7 to 6.3 s against an
 *   advertised 5 s, and met a closed socket (`UND_ERR_SOCKET` "other side closed", or `EPIPE`).
 * - Then one turn of the event loop: Node runs expired timers before it reads sockets
 *   (nodejs/node#43456), so on a busy server a request that arrived in time may still sit unread
 *   as the timer fires, and closing then answers it with a reset. The poll phase reads it first.
 * A connection that received anything meanwhile is serving a new request (Node sets its timers
 * again once the request's headers are in; `headersTimeout` bounds one that never completes).
 */
function closeWhenSilent(graceMs: number) {
  // The bytes a connection had received when its timer ran out and its grace began.
  const graceFrom = new WeakMap<Socket, number>();
  return (socket: Socket): void => {
    const received = socket.bytesRead;
    if (graceMs > 0 && graceFrom.get(socket) !== received) {
      graceFrom.set(socket, received);
      socket.setTimeout(graceMs);
      return;
    }
    setImmediate(() => {
      if (!socket.destroyed && socket.bytesRead === received) socket.destroy();
    });
  };
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
