import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { segmentStatement } from '../../src/domain/trust/signature-statement.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../../src/domain/trust/trust-types.js';
import type { StoredSegment } from '../../src/records/segment-records.js';
import { generateTestKey, keyPairPerAlgorithm } from '../support/fixtures/signing-keys.js';
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

/** Signatures (SPEC-FLEET section 3, D10) on the store, written through SegmentService.modify. */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('segment signatures on the $kind store', ({ kind }) => {
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

  const statementOf = (s: StoredSegment) => segmentStatement(s.record);
  const addKey = (algorithm: KeyAlgorithm, notAfter?: Date) =>
    domain.keyring.add(pair(algorithm).publicKeyPem, `${algorithm} signer`, notAfter, 'admin-1');

  /** The call is refused with `code` and the segment record is exactly as before. */
  async function refusedUnchanged(s: StoredSegment, call: Promise<unknown>, code: string) {
    expect(await codeOf(call)).toBe(code);
    const after = await domain.records.get(s.id);
    expect(after?.modRevision).toBe(s.modRevision);
    expect(after?.record).toEqual(s.record);
  }

  describe('signatures', () => {
    it.each(ALGORITHMS)(
      '%s: a signature over the statement is stored and judged VALID',
      async (algorithm) => {
        const s = await domain.segment('radar-display/3.5.1');
        const key = await addKey(algorithm);
        const signature = pair(algorithm).sign(statementOf(s));
        clock = hours(1);
        const signed = await domain.signatures().add(s.id, key.keyId, signature, 'op-1');
        expect(signed.modRevision).toBeGreaterThan(s.modRevision);
        expect(signed.record.signatures).toEqual([
          { keyId: key.keyId, signature, signedAt: hours(1).toISOString(), addedBy: 'op-1' },
        ]);
        expect((await domain.records.get(s.id))?.record.signatures).toEqual(signed.record.signatures);
        const judged = await domain.signatures().judge(signed);
        expect(judged).toMatchObject({ status: 'VALID', validKeys: 1, meetsPolicy: true });
        expect(judged.signatures[0]).toMatchObject({
          keyId: key.keyId,
          valid: true,
          key: { label: key.label },
        });
        expect(await domain.signatures().judge(signed.record)).toEqual(judged);
      },
    );

    it("refuses a signature over another segment's statement, and a truncated one, recording nothing", async () => {
      const s = await domain.segment('radar-display/3.5.1');
      const other = await domain.segment('radar-display/3.5.2');
      const key = await addKey('ECDSA_P256_SHA256');
      const signs = pair('ECDSA_P256_SHA256');
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, key.keyId, signs.sign(statementOf(other)), 'op'),
        'INVALID_SIGNATURE',
      );
      const full = Buffer.from(signs.sign(statementOf(s)), 'base64');
      const truncated = full.subarray(0, full.length - 4).toString('base64');
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, key.keyId, truncated, 'op'),
        'INVALID_SIGNATURE',
      );
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, key.keyId, 'not base64!', 'op'),
        'INVALID_SIGNATURE',
      );
    });

    it('refuses a revoked, an expired and an unknown key, recording nothing', async () => {
      const s = await domain.segment('radar-display/3.5.1');
      const revoked = await addKey('ED25519');
      await domain.keyring.revoke(revoked.keyId, 'leaked', 'admin');
      const expiring = await addKey('RSA_PSS_SHA256', hours(1));
      clock = hours(2);
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, revoked.keyId, pair('ED25519').sign(statementOf(s)), 'op'),
        'KEY_REVOKED',
      );
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, expiring.keyId, pair('RSA_PSS_SHA256').sign(statementOf(s)), 'op'),
        'KEY_EXPIRED',
      );
      const stranger = generateTestKey('ED25519');
      const unknownId = createHash('sha256')
        .update(stranger.publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex');
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, unknownId, stranger.sign(statementOf(s)), 'op'),
        'KEY_NOT_FOUND',
      );
      await refusedUnchanged(
        s,
        domain.signatures().add(s.id, 'not-a-key-id', stranger.sign(statementOf(s)), 'op'),
        'KEY_NOT_FOUND',
      );
    });

    it('keeps a signature made before the key expired valid; refuses new ones after', async () => {
      const s = await domain.segment('radar-display/3.5.1');
      const key = await addKey('ED25519', hours(1));
      const signed = await domain
        .signatures(1)
        .add(s.id, key.keyId, pair('ED25519').sign(statementOf(s)), 'op');
      clock = hours(5);
      expect(await domain.signatures(1).judge(signed)).toMatchObject({ status: 'VALID', meetsPolicy: true });
      const other = await domain.segment('radar-display/3.5.2');
      await refusedUnchanged(
        other,
        domain.signatures().add(other.id, key.keyId, pair('ED25519').sign(statementOf(other)), 'op'),
        'KEY_EXPIRED',
      );
    });

    it('SIGNATURES_REQUIRED=2 needs two distinct keys: the same key twice counts once', async () => {
      const s = await domain.segment('radar-display/3.5.1');
      const ed = await addKey('ED25519');
      const ec = await addKey('ECDSA_P256_SHA256');
      const required2 = domain.signatures(2);
      const first = await required2.add(s.id, ed.keyId, pair('ED25519').sign(statementOf(s)), 'op-1');
      expect(await required2.judge(first)).toMatchObject({
        status: 'INSUFFICIENT',
        validKeys: 1,
        meetsPolicy: false,
      });
      // ECDSA signatures differ each time: a second one by the same key replaces the first.
      const ecFirst = pair('ECDSA_P256_SHA256').sign(statementOf(s));
      const ecSecond = pair('ECDSA_P256_SHA256').sign(statementOf(s));
      expect(ecSecond).not.toBe(ecFirst);
      await required2.add(s.id, ec.keyId, ecFirst, 'op-1');
      clock = hours(1);
      const both = await required2.add(s.id, ec.keyId, ecSecond, 'op-2');
      expect(both.record.signatures?.map((x) => [x.keyId, x.signature, x.addedBy])).toEqual([
        [ed.keyId, first.record.signatures![0]!.signature, 'op-1'],
        [ec.keyId, ecSecond, 'op-2'],
      ]);
      expect(await required2.judge(both)).toMatchObject({ status: 'VALID', validKeys: 2, meetsPolicy: true });
      // Adding the very same signature again writes nothing.
      expect((await required2.add(s.id, ec.keyId, ecSecond, 'op-3')).modRevision).toBe(both.modRevision);
    });

    it('revoking a key turns its signatures invalid with the reason; signedBy finds the segments', async () => {
      const a = await domain.segment('radar-display/3.5.1');
      const b = await domain.segment('radar-display/3.5.2');
      await domain.segment('sonar/1.0.0');
      const key = await addKey('ED25519');
      const other = await addKey('ECDSA_P256_SHA256');
      await domain.signatures().add(a.id, key.keyId, pair('ED25519').sign(statementOf(a)), 'op');
      await domain.signatures().add(b.id, key.keyId, pair('ED25519').sign(statementOf(b)), 'op');
      await domain.signatures().add(b.id, other.keyId, pair('ECDSA_P256_SHA256').sign(statementOf(b)), 'op');
      const ids = async (keyId: string) => (await domain.signatures().signedBy(keyId)).map((s) => s.id);
      expect(await ids(key.keyId)).toEqual([a.id, b.id].sort().reverse());
      expect(await ids(other.keyId)).toEqual([b.id]);
      await domain.keyring.revoke(key.keyId, 'laptop stolen', 'admin');
      const judgedA = await domain.signatures(1).judge((await domain.records.get(a.id))!);
      expect(judgedA).toMatchObject({ status: 'INSUFFICIENT', validKeys: 0, meetsPolicy: false });
      expect(judgedA.signatures[0]!.reason).toContain('laptop stolen');
      expect(await domain.signatures(0).judge((await domain.records.get(a.id))!)).toMatchObject({
        status: 'INVALID',
      });
      expect(await domain.signatures(1).judge((await domain.records.get(b.id))!)).toMatchObject({
        status: 'VALID',
        validKeys: 1,
      });
    });

    it('refuses past MAX_SIGNATURES_PER_SEGMENT, a deleting segment and a missing one', async () => {
      const s = await domain.segment('radar-display/3.5.1');
      const ed = await addKey('ED25519');
      const ec = await addKey('ECDSA_P256_SHA256');
      const limited = domain.signatures(0, 1);
      const signed = await limited.add(s.id, ed.keyId, pair('ED25519').sign(statementOf(s)), 'op');
      await refusedUnchanged(
        signed,
        limited.add(s.id, ec.keyId, pair('ECDSA_P256_SHA256').sign(statementOf(s)), 'op'),
        'TOO_MANY_SIGNATURES',
      );
      const deleting = await domain.segment('radar-display/3.5.2', { deleteStatus: 'PROCESSING' });
      await refusedUnchanged(
        deleting,
        domain.signatures().add(deleting.id, ed.keyId, pair('ED25519').sign(statementOf(deleting)), 'op'),
        'SEGMENT_DELETING',
      );
      expect(await codeOf(domain.signatures().add('radar-display/9.9.9', ed.keyId, 'AAAA', 'op'))).toBe(
        'SEGMENT_NOT_FOUND',
      );
    });

    it('signs in every lifecycle state but deletion (a RELEASED or DEPRECATED segment may gain signers)', async () => {
      const key = await addKey('ED25519');
      for (const [i, lifecycle] of (['TESTED', 'RELEASED', 'DEPRECATED'] as const).entries()) {
        const s = await domain.segment(`radar-display/4.0.${i}`, { lifecycle });
        const signed = await domain
          .signatures()
          .add(s.id, key.keyId, pair('ED25519').sign(statementOf(s)), 'op');
        expect(signed.record).toMatchObject({ lifecycle, signatures: [{ keyId: key.keyId }] });
      }
    });
  });
});
