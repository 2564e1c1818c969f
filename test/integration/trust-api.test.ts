import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AddSegmentSignature,
  AddSigningKey,
  RevokeSigningKey,
  TrustSegmentPage,
} from '../support/documents/trust-documents.js';
import { codeOf, type KeyPair, keyPair, statement, trustApiSuite } from '../support/fixtures/trust-api.js';
import { SEAT_BACKENDS } from '../support/harness/seat-backends.js';

/**
 * The keyring and signatures through the GraphQL API (SPEC-FLEET section 3, D7, D10) on both
 * stores, with API tokens per role: keys and signatures of each algorithm are made here with
 * node:crypto, over the statement as the spec writes it. Release and deprecation:
 * trust-api-lifecycle.test.ts.
 */

let keys: Record<'ed' | 'p256' | 'rsa' | 'stranger', KeyPair>;
beforeAll(() => {
  keys = {
    ed: keyPair('ed25519'),
    p256: keyPair('p256'),
    rsa: keyPair('rsa3072'),
    stranger: keyPair('ed25519'),
  };
});

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'trust API: keys and signatures on the $kind store',
  ({ kind }) => {
    let offsetMs = 0;
    const suite = trustApiSuite(
      kind,
      { SIGNATURES_REQUIRED: '2' },
      { clock: () => new Date(Date.now() + offsetMs) },
    );
    afterEach(() => {
      offsetMs = 0;
    });

    it('keeps the keyring for admins (viewers read it) and judges signatures again when a key is revoked', async () => {
      const api = suite.client();
      const revocable = keyPair('p256');
      const refused = await api.call(
        AddSigningKey,
        { publicKeyPem: revocable.pem, label: 'ops' },
        'operator',
      );
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect((await api.keys()).map((k) => k.keyId)).not.toContain(revocable.keyId);

      const notAfter = new Date(Date.now() + 86_400_000).toISOString();
      expect(await api.addKey(revocable, 'release team', notAfter)).toMatchObject({
        __typename: 'AddSigningKeySuccess',
        key: {
          keyId: revocable.keyId,
          algorithm: 'ECDSA_P256_SHA256',
          label: 'release team',
          addedBy: 'ci-admin',
          notAfter,
          revokedAt: null,
        },
      });
      // The same key again is the stored one, label unchanged.
      expect(await api.addKey(revocable, 'renamed')).toMatchObject({ key: { label: 'release team' } });
      expect((await api.keys()).filter((k) => k.keyId === revocable.keyId)).toHaveLength(1);

      const segment = await api.upload('trust-revoke');
      expect((await api.sign(segment, revocable)).data?.addSegmentSignature).toMatchObject({
        __typename: 'AddSegmentSignatureSuccess',
        segment: {
          signatures: [{ keyId: revocable.keyId, valid: true, reason: null, addedBy: 'ci-operator' }],
        },
      });

      const byOperator = await api.call(
        RevokeSigningKey,
        { keyId: revocable.keyId, reason: 'x' },
        'operator',
      );
      expect(codeOf(byOperator)).toBe('FORBIDDEN');
      const revoked = await api.call(
        RevokeSigningKey,
        { keyId: revocable.keyId, reason: 'laptop lost' },
        'admin',
      );
      expect(revoked.data?.revokeSigningKey).toMatchObject({
        __typename: 'RevokeSigningKeySuccess',
        key: { keyId: revocable.keyId, revokedBy: 'ci-admin', revokeReason: 'laptop lost' },
      });
      expect((await api.keys()).find((k) => k.keyId === revocable.keyId)?.revokedAt).toEqual(
        expect.any(String),
      );

      const after = await api.segment(segment.id);
      expect(after.signatures).toMatchObject([
        {
          keyId: revocable.keyId,
          valid: false,
          reason: expect.stringContaining('revoked'),
          key: { label: 'release team' },
        },
      ]);
      expect((await api.sign(after, revocable)).data?.addSegmentSignature).toMatchObject({
        __typename: 'KeyRevokedError',
        code: 'KEY_REVOKED',
        keyId: revocable.keyId,
      });
      expect((await api.segment(segment.id)).signatures).toHaveLength(1);

      const unknown = await api.call(RevokeSigningKey, { keyId: 'ab'.repeat(32), reason: 'x' }, 'admin');
      expect(unknown.data?.revokeSigningKey).toMatchObject({
        __typename: 'KeyNotFoundError',
        code: 'KEY_NOT_FOUND',
      });
    });

    it('refuses RSA below 3072 bits and what is no key with INVALID_KEY, adding nothing', async () => {
      const api = suite.client();
      const before = await api.keys();
      expect(await api.addKey(keyPair('rsa2048'), 'weak')).toMatchObject({
        __typename: 'InvalidKeyError',
        code: 'INVALID_KEY',
      });
      const junk = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
      const garbage = await api.call(AddSigningKey, { publicKeyPem: junk, label: 'junk' }, 'admin');
      expect(garbage.data?.addSigningKey).toMatchObject({
        __typename: 'InvalidKeyError',
        code: 'INVALID_KEY',
      });
      expect(await api.keys()).toEqual(before);
    });

    it('verifies a signature of each algorithm made outside seghub, and refuses wrong ones recording nothing', async () => {
      const api = suite.client();
      for (const [key, label] of [
        [keys.ed, 'ed'],
        [keys.p256, 'p256'],
        [keys.rsa, 'rsa'],
      ] as const) {
        expect(await api.addKey(key, label)).toMatchObject({ __typename: 'AddSigningKeySuccess' });
      }
      const segment = await api.upload('trust-algorithms');
      const other = await api.upload('trust-algorithms-other');
      expect(segment).toMatchObject({ lifecycle: 'DRAFT', signatureStatus: 'UNSIGNED', signatures: [] });
      expect(codeOf(await api.sign(segment, keys.ed, 'viewer'))).toBe('FORBIDDEN');

      // Another segment's statement, a truncated signature, an unknown key: refused, nothing recorded.
      const signed = (key: KeyPair, signature: string) =>
        api.call(AddSegmentSignature, { id: segment.id, keyId: key.keyId, signature }, 'operator');
      const wrong = await signed(keys.ed, keys.ed.sign(statement(other)));
      expect(wrong.data?.addSegmentSignature).toMatchObject({
        __typename: 'InvalidSignatureError',
        code: 'INVALID_SIGNATURE',
      });
      const cut = await signed(keys.p256, keys.p256.sign(statement(segment)).slice(0, 40));
      expect(cut.data?.addSegmentSignature).toMatchObject({ code: 'INVALID_SIGNATURE' });
      expect((await api.sign(segment, keys.stranger)).data?.addSegmentSignature).toMatchObject({
        __typename: 'KeyNotFoundError',
        code: 'KEY_NOT_FOUND',
        keyId: keys.stranger.keyId,
      });
      expect((await api.segment(segment.id)).signatures).toEqual([]);

      for (const key of [keys.ed, keys.p256, keys.rsa]) {
        expect((await api.sign(segment, key)).data?.addSegmentSignature.__typename).toBe(
          'AddSegmentSignatureSuccess',
        );
      }
      const judged = await api.segment(segment.id);
      expect(judged.signatureStatus).toBe('VALID');
      expect(judged.signatures.map((s) => [s.key?.algorithm, s.valid]).sort()).toEqual([
        ['ECDSA_P256_SHA256', true],
        ['ED25519', true],
        ['RSA_PSS_SHA256', true],
      ]);
      // A page judges each of its segments against one read of the keyring.
      const page = await api.call(TrustSegmentPage, { nameContains: 'trust-algorithms' }, 'viewer');
      expect(
        page.data?.segments.edges.map(({ node }) => [
          node.name,
          node.signatureStatus,
          node.signatures.length,
        ]),
      ).toEqual([
        ['trust-algorithms', 'VALID', 3],
        ['trust-algorithms-other', 'UNSIGNED', 0],
      ]);
      // The bytes are there for other instances to verify (Ed25519 signs deterministically).
      const ed = judged.signatures.find((s) => s.keyId === keys.ed.keyId);
      expect(ed?.signature).toBe(keys.ed.sign(statement(segment)));
    });
    it('refuses a signature by a key past its notAfter (KEY_EXPIRED), keeping the ones it made before', async () => {
      const api = suite.client();
      const expiring = keyPair('ed25519');
      const notAfter = new Date(Date.now() + 3_600_000).toISOString();
      expect(await api.addKey(expiring, 'expiring', notAfter)).toMatchObject({ key: { notAfter } });
      const before = await api.upload('trust-expiry-before');
      const after = await api.upload('trust-expiry-after');
      expect((await api.sign(before, expiring)).data?.addSegmentSignature.__typename).toBe(
        'AddSegmentSignatureSuccess',
      );

      offsetMs = 2 * 3_600_000;
      expect((await api.sign(after, expiring)).data?.addSegmentSignature).toMatchObject({
        __typename: 'KeyExpiredError',
        code: 'KEY_EXPIRED',
        keyId: expiring.keyId,
        notAfter,
      });
      expect((await api.segment(after.id)).signatures).toEqual([]);
      expect((await api.segment(before.id)).signatures).toMatchObject([
        { keyId: expiring.keyId, valid: true },
      ]);
    });
  },
);
