import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from '../../logger.js';
import type { Principal } from '../../model/principal.js';
import type { Authenticator } from './authenticate.js';

/**
 * The principal of an HTTP request, or a top-level UNAUTHENTICATED error answered with 401 and
 * `WWW-Authenticate: Bearer` (RFC 6750). The reason is safe to show: it never repeats the token.
 */
export async function requestPrincipal(
  authenticator: Authenticator,
  request: Request | undefined,
  log: Logger,
): Promise<Principal> {
  const outcome = await authenticator.authenticate(request?.headers.get('authorization'));
  if (outcome.ok) return outcome.principal;
  log.warn({ reason: outcome.reason }, 'request refused: not authenticated');
  throw unauthenticated(outcome.reason);
}

function unauthenticated(reason: string) {
  return createGraphQLError(`not authenticated: ${reason}`, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="seghub"' } },
    },
  });
}
