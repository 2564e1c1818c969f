import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';
import type { Authenticator } from './auth/authenticate.js';

/**
 * graphql-ws authentication. The credentials come in `connection_init`
 * (`{ "authorization": "Bearer <token>" }`; browsers cannot set headers on a WebSocket), or else
 * in the upgrade request's Authorization header. Refused: the socket closes with 4401
 * Unauthorized, which graphql-ws clients treat as fatal (no reconnect loop with a bad token).
 * A JWT's `exp` bounds the connection: when it passes the socket closes with 4401 and its
 * subscriptions end, so a client reconnects with a fresh token rather than outlive its grant. So
 * does an API token removed from the token file (or given another role) while the socket is open.
 */

const UNAUTHORIZED_CLOSE = 4401;

export async function connectionAuth(
  auth: Authenticator,
  socket: WebSocket,
  request: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  log: Logger,
): Promise<Principal | undefined> {
  const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
  const authorization = typeof fromParams === 'string' ? fromParams : request.headers.authorization;
  const outcome = await auth.authenticate(authorization);
  if (!outcome.ok) {
    log.warn({ reason: outcome.reason }, 'graphql-ws connection refused: not authenticated');
    socket.close(UNAUTHORIZED_CLOSE, `Unauthorized: ${outcome.reason}`.slice(0, 120));
    return undefined;
  }
  if (outcome.expiresAt !== undefined) closeAtExpiry(socket, outcome.expiresAt, log);
  closeWhenRevoked(auth, socket, authorization, outcome.principal, log);
  return outcome.principal;
}

/** Checks the socket's credentials again after every token reload; gone or changed: closed. */
function closeWhenRevoked(
  auth: Authenticator,
  socket: WebSocket,
  authorization: string | undefined,
  principal: Principal,
  log: Logger,
): void {
  const unsubscribe = auth.onTokensChanged(() => {
    auth.authenticate(authorization).then(
      (again) => {
        if (again.ok && again.principal.id === principal.id && again.principal.role === principal.role)
          return;
        log.info(
          { principal: principal.id },
          'graphql-ws connection closed: its token was revoked or changed',
        );
        socket.close(UNAUTHORIZED_CLOSE, 'Unauthorized: token revoked');
      },
      (err: unknown) => log.error({ err }, 'graphql-ws credentials could not be checked again'),
    );
  });
  socket.once('close', unsubscribe);
}

/** Timers cannot wait longer than ~24.8 days; a later `exp` is re-armed when that one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function closeAtExpiry(socket: WebSocket, expiresAt: number, log: Logger): void {
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left > MAX_TIMER_MS) {
      timer = setTimeout(arm, MAX_TIMER_MS);
      return;
    }
    timer = setTimeout(
      () => {
        log.info('graphql-ws connection closed: its token expired');
        socket.close(UNAUTHORIZED_CLOSE, 'Unauthorized: token expired');
      },
      Math.max(0, left),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  arm();
  socket.once('close', () => clearTimeout(timer));
}
