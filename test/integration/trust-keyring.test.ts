import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/domain/trust/keyring.js';
import { KEY_ALGORITHMS, type KeyAlgorithm, type SigningKey } from '../../src/domain/trust/trust-types.js';
import { keyPairPerAlgorithm } from '../support/fixtures/signing-keys.js';
import {
  codeOf,
  hoursAfterStart,
  openTrustDomain,
  TRUST_START,
  type TrustDomain,
} from '../support/fixtures/trust-domain.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

const ALGORITHMS = KEY_ALGORITHMS;
const START = TRUST_START;
const hours = hoursAfterStart;
const pair = keyPairPerAlgorithm();

/** The keyring (SPEC-FLEET section 3) on the store. */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('the keyring on the $kind store', ({ kind }) => {
  let backend: Backend;
  let domain: TrustDomain;
  let clock = START;

  beforeAll(async () => {
    backend = await startBackend(kind);
    domain = await openTrustDomain(await backend.openStore(), () => clock);
  }, 60_000);

  afterAll(async () => {
    await domain?.close();
    await backend?.dispose();
  });

  beforeEach(async () => {
    clock = START;
    await domain.clear();
  });

  const addKey = (algorithm: KeyAlgorithm, notAfter?: Date) =>
    domain.keyring.add(pair(algorithm).publicKeyPem, `${algorithm} signer`, notAfter, 'admin-1');

  describe('the keyring', () => {
    it('adds each algorithm with its key id, label, expiry and who added it; lists and gets them', async () => {
      const added: SigningKey[] = [];
      for (const algorithm of ALGORITHMS) added.push(await addKey(algorithm, hours(24 * 365)));
      for (const [i, key] of added.entries()) {
        const algorithm = ALGORITHMS[i]!;
        const der = pair(algorithm).publicKey.export({ type: 'spki', format: 'der' });
        expect(key).toMatchObject({
          keyId: createHash('sha256').update(der).digest('hex'),
          algorithm,
          label: `${algorithm} signer`,
          publicKeyPem: pair(algorithm).publicKeyPem,
          addedAt: START.toISOString(),
          addedBy: 'admin-1',
          notAfter: hours(24 * 365).toISOString(),
        });
        expect(key.revokedAt).toBeUndefined();
        expect(await domain.keyring.get(key.keyId)).toMatchObject({ keyId: key.keyId, label: key.label });
      }
      expect((await domain.keyring.list()).map((k) => k.keyId).sort()).toEqual(
        added.map((k) => k.keyId).sort(),
      );
      expect(await domain.keyring.get('0'.repeat(64))).toBeUndefined();
      expect(await domain.keyring.get('../segments/x')).toBeUndefined();
    });

    it('returns the stored key when the same key is added again, in another PEM form, label unchanged', async () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
      const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const first = await domain.keyring.add(spki, 'release team', undefined, 'admin-1');
      clock = hours(1);
      const again = await domain.keyring.add(
        publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        'someone else',
        hours(48),
        'admin-2',
      );
      expect(again).toEqual(first);
      expect(await domain.keyRecords.count()).toBe(1);
    });

    it('refuses bad keys and bad input, writing nothing', async () => {
      const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
      const pem = (k: typeof rsa2048) => k.export({ type: 'spki', format: 'pem' }).toString();
      const good = pair('ED25519').publicKeyPem;
      expect(await codeOf(domain.keyring.add(pem(rsa2048), 'x', undefined, 'a'))).toBe('INVALID_KEY');
      expect(await codeOf(domain.keyring.add(pem(p384), 'x', undefined, 'a'))).toBe('INVALID_KEY');
      expect(
        await codeOf(
          domain.keyring.add(
            '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----',
            'x',
            undefined,
            'a',
          ),
        ),
      ).toBe('INVALID_KEY');
      expect(await codeOf(domain.keyring.add(good, 'x', hours(-1), 'a'))).toBe('INVALID_INPUT');
      expect(await codeOf(domain.keyring.add(good, 'x', START, 'a'))).toBe('INVALID_INPUT');
      expect(await codeOf(domain.keyring.add(good, '   ', undefined, 'a'))).toBe('INVALID_INPUT');
      expect(await codeOf(domain.keyring.add(good, 'x'.repeat(201), undefined, 'a'))).toBe('INVALID_INPUT');
      expect(await domain.keyRecords.count()).toBe(0);
    });

    it('refuses a key past MAX_SIGNING_KEYS (revoked keys count), but returns a key it holds', async () => {
      const small = new Keyring({ records: domain.keyRecords, maxKeys: 2, now: () => clock });
      const ed = await small.add(pair('ED25519').publicKeyPem, 'a', undefined, 'admin');
      await small.add(pair('ECDSA_P256_SHA256').publicKeyPem, 'b', undefined, 'admin');
      await small.revoke(ed.keyId, 'rotated', 'admin');
      expect(await codeOf(small.add(pair('RSA_PSS_SHA256').publicKeyPem, 'c', undefined, 'admin'))).toBe(
        'TOO_MANY_SIGNING_KEYS',
      );
      expect((await small.add(pair('ED25519').publicKeyPem, 'a', undefined, 'admin')).keyId).toBe(ed.keyId);
      expect(await domain.keyRecords.count()).toBe(2);
    });

    it('revokes keeping the record with when, who and why; a second revocation changes nothing', async () => {
      const key = await addKey('ED25519');
      clock = hours(2);
      const revoked = await domain.keyring.revoke(key.keyId, '  key leaked  ', 'admin-2');
      const { modRevision: _, ...fields } = key as SigningKey & { modRevision: number };
      expect(revoked).toMatchObject({
        ...fields,
        revokedAt: hours(2).toISOString(),
        revokedBy: 'admin-2',
        revokeReason: 'key leaked',
      });
      clock = hours(3);
      expect(await domain.keyring.revoke(key.keyId, 'again', 'admin-3')).toEqual(revoked);
      expect(await domain.keyring.get(key.keyId)).toEqual(revoked);
      // Adding it again does not trust it again.
      expect(await addKey('ED25519')).toEqual(revoked);
      expect(await codeOf(domain.keyring.revoke('f'.repeat(64), 'why', 'admin'))).toBe('KEY_NOT_FOUND');
      expect(await codeOf(domain.keyring.revoke(key.keyId, ' ', 'admin'))).toBe('INVALID_INPUT');
    });
  });
});
