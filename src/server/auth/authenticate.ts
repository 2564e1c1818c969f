import type { Logger } from '../../logger.js';
import { OPEN_MODE_PRINCIPAL, type Principal } from '../../model/principal.js';
import { createJwtVerifier, JwtRejectedError } from './jwt.js';
import { type TokenFileWatch, watchTokenFile } from './token-file.js';

export type AuthOutcome =
  | { readonly ok: true; readonly principal: Principal; readonly expiresAt?: number }
  | { readonly ok: false; readonly reason: string };

/** Turns the credentials of a request (HTTP header or graphql-ws `connection_init`) into a principal. */
export interface Authenticator {
  /** False in open mode: nothing configured (or AUTH_DISABLED), every caller is admin. */
  readonly enforced: boolean;
  /** What is configured, for the start-up log line. */
  readonly summary: Record<string, unknown>;
  /** `authorization` is the header's value, `Bearer <token>`. */
  authenticate(authorization: string | null | undefined): Promise<AuthOutcome>;
  /** Calls `listener` whenever the API tokens were reloaded; the return value unsubscribes. */
  onTokensChanged(listener: () => void): () => void;
  /** Stops following the token file. */
  close(): void;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Three base64url parts: a JWT rather than an API token. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** How callers prove who they are; nothing configured (or `disabled`) is open mode. */
export interface AuthSettings {
  readonly tokensFile?: string;
  /** Polls the token file for changes this often (0: read once). */
  readonly tokensReloadMs: number;
  readonly jwtSecret?: string;
  /** PEM text of an RS256 or ES256 public key. */
  readonly jwtPublicKey?: string;
  readonly disabled: boolean;
}

export async function createAuthenticator(auth: AuthSettings, log: Logger): Promise<Authenticator> {
  const configured = Boolean(auth.tokensFile || auth.jwtSecret || auth.jwtPublicKey);
  if (auth.disabled || !configured) {
    return {
      enforced: false,
      summary: { mode: 'open', disabled: auth.disabled },
      authenticate: async () => ({ ok: true, principal: OPEN_MODE_PRINCIPAL }),
      onTokensChanged: () => () => {},
      close: () => {},
    };
  }
  const tokens: TokenFileWatch | undefined = auth.tokensFile
    ? await watchTokenFile(auth.tokensFile, { intervalMs: auth.tokensReloadMs, log })
    : undefined;
  const verifyJwt = createJwtVerifier({ secret: auth.jwtSecret, publicKey: auth.jwtPublicKey });
  return {
    enforced: true,
    summary: {
      mode: 'enforced',
      apiTokens: tokens?.table().size ?? 0,
      jwt: { hs256: Boolean(auth.jwtSecret), publicKey: Boolean(auth.jwtPublicKey) },
    },
    async authenticate(authorization) {
      if (!authorization) return { ok: false, reason: 'credentials required: Authorization: Bearer <token>' };
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' };
      const principal = tokens?.table().find(token);
      if (principal) return { ok: true, principal };
      if (verifyJwt && JWT_SHAPE.test(token)) {
        try {
          const { principal: subject, expiresAt } = await verifyJwt(token);
          return { ok: true, principal: subject, expiresAt };
        } catch (error) {
          if (error instanceof JwtRejectedError) return { ok: false, reason: error.message };
          throw error;
        }
      }
      return { ok: false, reason: 'invalid token' };
    },
    onTokensChanged: (listener) => tokens?.onReload(listener) ?? (() => {}),
    close: () => tokens?.close(),
  };
}
