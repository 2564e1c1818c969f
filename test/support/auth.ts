import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { Role } from '../../src/graphql/context.js';

/** A fresh API token per role, and the token file (hashes only) that admits them. */
export async function writeTokenFile(dir: string, roles: readonly Role[] = ['viewer', 'operator', 'admin']) {
  const tokens = Object.fromEntries(
    roles.map((role) => [role, `st_${role}_${randomBytes(16).toString('hex')}`]),
  );
  const lines = [
    '# seghub API tokens: <role> <sha256 of the token> <label>',
    '',
    ...roles.map((role) => `${role} ${sha256Hex(tokens[role]!)} ci-${role}`),
  ];
  const file = path.join(dir, 'tokens.txt');
  await writeFile(file, `${lines.join('\n')}\n`);
  return { file, tokens: tokens as Record<Role, string> };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface JwtClaims {
  sub?: string;
  role?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  notBefore?: number;
}

/** An HS256 token signed with `secret`. */
export function hs256(secret: string, claims: JwtClaims): Promise<string> {
  return sign(claims, 'HS256', new TextEncoder().encode(secret));
}

/** A P-256 key pair: the PEM public key for AUTH_JWT_PUBLIC_KEY, and a signer of ES256 tokens. */
export function es256KeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (claims: JwtClaims) => sign(claims, 'ES256', privateKey),
  };
}

function sign(claims: JwtClaims, alg: string, key: KeyObject | Uint8Array): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims.role === undefined ? {} : { role: claims.role })
    .setProtectedHeader({ alg })
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? 300));
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.notBefore !== undefined) jwt.setNotBefore(now + claims.notBefore);
  return jwt.sign(key);
}
