import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { isRole, type Principal, ROLES } from '../../model/principal.js';
import { publicKeyAlgorithm } from '../../util/key-algorithm.js';

/**
 * JWTs signed with `AUTH_JWT_SECRET` (HS256) or the private half of `AUTH_JWT_PUBLIC_KEY` (RS256
 * for an RSA key, ES256 for a P-256 key). Each key accepts exactly its own algorithm, so a token
 * cannot pick a weaker one (`none`, or HS256 keyed with the public key's bytes).
 */

export interface JwtKeys {
  readonly secret?: string;
  /** PEM (SPKI or PKCS#1). */
  readonly publicKey?: string;
}

export interface VerifiedJwt {
  readonly principal: Principal;
  /** When the token stops being valid (`exp`), ms since the epoch. */
  readonly expiresAt: number;
}

export class JwtRejectedError extends Error {
  override name = 'JwtRejectedError';
}

/** Small clock differences between the issuer and seghub are not the caller's fault. */
const CLOCK_TOLERANCE_S = 5;

export type JwtVerifier = (token: string) => Promise<VerifiedJwt>;

export function createJwtVerifier(keys: JwtKeys): JwtVerifier | undefined {
  const byAlgorithm = new Map<string, KeyObject>();
  if (keys.secret) byAlgorithm.set('HS256', createSecretKey(Buffer.from(keys.secret, 'utf8')));
  if (keys.publicKey) {
    const key = createPublicKey(keys.publicKey);
    byAlgorithm.set(publicKeyAlgorithm(key), key);
  }
  if (byAlgorithm.size === 0) return undefined;
  return async (token) => {
    const alg = headerAlgorithm(token) ?? 'none';
    const key = byAlgorithm.get(alg);
    if (!key) throw new JwtRejectedError(`tokens signed with ${alg.slice(0, 16)} are not accepted`);
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      const role = payload.role;
      if (!isRole(role)) {
        throw new JwtRejectedError(`token has no valid role claim (one of ${ROLES.join(', ')})`);
      }
      return {
        principal: Object.freeze({ id: String(payload.sub), role }),
        expiresAt: (payload.exp as number) * 1000,
      };
    } catch (error) {
      throw describe(error);
    }
  };
}

function headerAlgorithm(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    throw new JwtRejectedError('malformed token');
  }
}

/** Words for the caller; never the token itself. */
function describe(error: unknown): JwtRejectedError {
  if (error instanceof JwtRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new JwtRejectedError('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new JwtRejectedError(
      error.claim === 'nbf' ? 'token not valid yet' : `token claim ${error.claim} is missing or invalid`,
    );
  }
  return new JwtRejectedError('invalid token');
}
