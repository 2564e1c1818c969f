import { describe, expect, it } from 'vitest';
import { judgeSignatures } from '../../../src/domain/trust/signature-status.js';
import type { SigningKey } from '../../../src/domain/trust/trust-types.js';
import type { StoredSignature } from '../../../src/records/segment-trust-schema.js';

const id = (n: number) => n.toString(16).padStart(64, '0');
const key = (n: number, more: Partial<SigningKey> = {}): SigningKey => ({
  keyId: id(n),
  algorithm: 'ED25519',
  label: `key ${n}`,
  publicKeyPem: 'pem',
  addedAt: '2026-01-01T00:00:00.000Z',
  addedBy: 'admin',
  ...more,
});
const sig = (n: number, signature = `sig-${n}`): StoredSignature => ({
  keyId: id(n),
  signature,
  signedAt: '2026-02-01T00:00:00.000Z',
  addedBy: 'op',
});
const keysOf = (...keys: SigningKey[]) => new Map(keys.map((k) => [k.keyId, k]));

describe('judgeSignatures', () => {
  it('UNSIGNED without signatures, meeting the policy only when none is required', () => {
    expect(judgeSignatures([], new Map(), 0)).toMatchObject({
      status: 'UNSIGNED',
      validKeys: 0,
      meetsPolicy: true,
    });
    expect(judgeSignatures([], new Map(), 1)).toMatchObject({ status: 'UNSIGNED', meetsPolicy: false });
  });

  it('VALID with one valid key when none is required', () => {
    const judged = judgeSignatures([sig(1)], keysOf(key(1)), 0);
    expect(judged).toMatchObject({ status: 'VALID', validKeys: 1, required: 0, meetsPolicy: true });
    expect(judged.signatures[0]).toMatchObject({ keyId: id(1), valid: true, key: { label: 'key 1' } });
    expect(judged.signatures[0]!.reason).toBeUndefined();
  });

  it('counts one key once: two signatures by one key do not meet SIGNATURES_REQUIRED=2, two keys do', () => {
    const one = judgeSignatures([sig(1, 'a'), sig(1, 'b')], keysOf(key(1), key(2)), 2);
    expect(one).toMatchObject({ status: 'INSUFFICIENT', validKeys: 1, required: 2, meetsPolicy: false });
    const two = judgeSignatures([sig(1), sig(2)], keysOf(key(1), key(2)), 2);
    expect(two).toMatchObject({ status: 'VALID', validKeys: 2, meetsPolicy: true });
  });

  it('a revoked key invalidates its signature, saying so; below the policy that is INSUFFICIENT', () => {
    const revoked = key(2, { revokedAt: '2026-03-01T00:00:00.000Z', revokeReason: 'laptop lost' });
    const judged = judgeSignatures([sig(1), sig(2)], keysOf(key(1), revoked), 2);
    expect(judged).toMatchObject({ status: 'INSUFFICIENT', validKeys: 1, meetsPolicy: false });
    expect(judged.signatures[1]).toMatchObject({ valid: false, key: { keyId: id(2) } });
    expect(judged.signatures[1]!.reason).toMatch(/revoked at 2026-03-01T00:00:00.000Z: laptop lost/);
  });

  it('an unknown key invalidates its signature, saying so', () => {
    const judged = judgeSignatures([sig(1), sig(3)], keysOf(key(1)), 1);
    expect(judged).toMatchObject({ status: 'VALID', validKeys: 1, meetsPolicy: true });
    expect(judged.signatures[1]).toMatchObject({ valid: false });
    expect(judged.signatures[1]!.key).toBeUndefined();
    expect(judged.signatures[1]!.reason).toMatch(/not in the keyring/);
  });

  it('INVALID when nothing is required and no signature is valid; INSUFFICIENT when some are required', () => {
    const revoked = key(1, { revokedAt: '2026-03-01T00:00:00.000Z' });
    expect(judgeSignatures([sig(1), sig(2)], keysOf(revoked), 0)).toMatchObject({
      status: 'INVALID',
      validKeys: 0,
      meetsPolicy: true,
    });
    expect(judgeSignatures([sig(1)], keysOf(revoked), 1)).toMatchObject({
      status: 'INSUFFICIENT',
      meetsPolicy: false,
    });
  });

  it('an expired key keeps its signatures valid (expiry is judged when signing)', () => {
    const expired = key(1, { notAfter: '2026-01-15T00:00:00.000Z' });
    expect(judgeSignatures([sig(1)], keysOf(expired), 1)).toMatchObject({
      status: 'VALID',
      meetsPolicy: true,
    });
  });
});
