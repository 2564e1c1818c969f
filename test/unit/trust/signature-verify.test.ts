import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/domain/trust/public-key.js';
import { segmentStatement } from '../../../src/domain/trust/signature-statement.js';
import { verifySignature } from '../../../src/domain/trust/signature-verify.js';
import type { KeyAlgorithm } from '../../../src/domain/trust/trust-types.js';
import { InvalidSignatureError } from '../../../src/model/errors.js';
import { generateTestKey, type TestKeyPair } from '../../support/fixtures/signing-keys.js';

const ALGORITHMS: KeyAlgorithm[] = ['ED25519', 'ECDSA_P256_SHA256', 'RSA_PSS_SHA256'];
const statement = segmentStatement({
  name: 'radar-display',
  version: '3.5.1',
  size: 10,
  sha256: 'a'.repeat(64),
});
const other = segmentStatement({ name: 'radar-display', version: '3.5.2', size: 10, sha256: 'a'.repeat(64) });

function refusal(run: () => unknown): InvalidSignatureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect((error as InvalidSignatureError).code).toBe('INVALID_SIGNATURE');
    return error as InvalidSignatureError;
  }
  throw new Error('the signature was accepted');
}

describe.each(ALGORITHMS)('%s signatures', (algorithm) => {
  let pair: TestKeyPair;
  let key: ReturnType<typeof parsePublicKey>;

  beforeAll(() => {
    pair = generateTestKey(algorithm);
    key = parsePublicKey(pair.publicKeyPem);
  });

  it('verify over the statement they signed, and come back in canonical base64', () => {
    const signature = pair.sign(statement);
    expect(verifySignature(key, statement, signature)).toBe(signature);
    expect(verifySignature(key, statement, `  ${signature}\n`)).toBe(signature);
  });

  it("are refused over another segment's statement", () => {
    expect(refusal(() => verifySignature(key, other, pair.sign(statement))).reason).toContain(
      'does not verify',
    );
  });

  it('are refused truncated, with a byte flipped, or by another key', () => {
    const bytes = Buffer.from(pair.sign(statement), 'base64');
    refusal(() => verifySignature(key, statement, bytes.subarray(0, bytes.length - 8).toString('base64')));
    refusal(() => verifySignature(key, statement, bytes.subarray(0, 3).toString('base64')));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1]! ^= 0x01;
    refusal(() => verifySignature(key, statement, flipped.toString('base64')));
    const stranger = generateTestKey(algorithm);
    refusal(() => verifySignature(key, statement, stranger.sign(statement)));
  });
});

describe('signature encodings', () => {
  const pair = generateTestKey('ED25519');
  const key = parsePublicKey(pair.publicKeyPem);
  const signature = pair.sign(statement);

  it.each([
    ['empty', ''],
    ['not base64', 'not a signature!'],
    ['base64url', signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['unpadded', signature.replace(/=+$/, '')],
    ['with a stray character', `${signature.slice(0, 10)}*${signature.slice(10)}`],
    ['hex instead of base64', Buffer.from(signature, 'base64').toString('hex')],
    ['far too long', 'A'.repeat(8192)],
  ])('refuses a signature that is %s', (_what, text) => {
    refusal(() => verifySignature(key, statement, text));
  });
});

describe('RSA-PSS verification', () => {
  it('accepts any salt length and refuses PKCS#1 v1.5 padding', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const key = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    for (const saltLength of [0, 20, 32, 64, constants.RSA_PSS_SALTLEN_MAX_SIGN]) {
      const signature = sign('sha256', statement, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      expect(verifySignature(key, statement, signature.toString('base64'))).toBeTruthy();
    }
    const pkcs1 = sign('sha256', statement, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
    refusal(() => verifySignature(key, statement, pkcs1.toString('base64')));
  });

  it('refuses an ECDSA signature in IEEE P1363 form (DER is the format)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const p1363 = sign('sha256', statement, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    refusal(() => verifySignature(key, statement, p1363.toString('base64')));
  });
});
