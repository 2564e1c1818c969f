import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import type { Logger } from '../../../src/logger.js';
import type { Role } from '../../../src/model/principal.js';
import { startTestApp, testConfig } from './app.js';
import { tempDir } from './temp.js';

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

export type TokenApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * For a suite: a seghub app that admits the tokens of a fresh token file (one per role), started
 * before the suite's tests and stopped after them. `env` adds configuration (a JWT secret, ...).
 */
export function tokenAppSuite(
  label: string,
  options: { env?: Record<string, string>; logger?: Logger } = {},
) {
  let app: TokenApp | undefined;
  let tokens: Record<Role, string> | undefined;
  let remove: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const data = await tempDir(`seghub-${label}`);
    remove = data.remove;
    const file = await writeTokenFile(data.dir);
    tokens = file.tokens;
    const config = testConfig({ DATA_DIR: data.dir, AUTH_TOKENS_FILE: file.file, ...options.env });
    app = await startTestApp(config, options.logger ? { logger: options.logger } : {});
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await remove?.();
  });
  /** The app and its tokens, once the suite's `beforeAll` has run. */
  return { current: () => ({ app: app!, tokens: tokens! }) };
}
