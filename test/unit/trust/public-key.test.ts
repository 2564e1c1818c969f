import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/domain/trust/public-key.js';
import { InvalidKeyError } from '../../../src/model/errors.js';
import { generateTestKey } from '../../support/fixtures/signing-keys.js';

const spkiSha256 = (pem: string) =>
  createHash('sha256')
    .update(parsePublicKey(pem).key.export({ type: 'spki', format: 'der' }))
    .digest('hex');

function refusal(pem: string): InvalidKeyError {
  try {
    parsePublicKey(pem);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as InvalidKeyError).code).toBe('INVALID_KEY');
    return error as InvalidKeyError;
  }
  throw new Error('the key was accepted');
}

describe('parsePublicKey', () => {
  it.each(['ED25519', 'ECDSA_P256_SHA256', 'RSA_PSS_SHA256'] as const)(
    'accepts %s, with the hex SHA-256 of its SPKI DER as key id',
    (algorithm) => {
      const pair = generateTestKey(algorithm);
      const parsed = parsePublicKey(pair.publicKeyPem);
      const der = pair.publicKey.export({ type: 'spki', format: 'der' });
      expect(parsed).toMatchObject({
        algorithm,
        keyId: createHash('sha256').update(der).digest('hex'),
        publicKeyPem: pair.publicKeyPem,
      });
      expect(parsed.keyId).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('reads an RSA key given as PKCS#1 and stores it as SPKI, with the same id as its SPKI form', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PUBLIC KEY');
    const parsed = parsePublicKey(pkcs1);
    expect(parsed.publicKeyPem).toBe(spki);
    expect(parsed.keyId).toBe(parsePublicKey(spki).keyId);
    expect(parsed.algorithm).toBe('RSA_PSS_SHA256');
  });

  it('accepts an unrestricted RSA-PSS key (its own SPKI, its own id)', () => {
    const { publicKey } = generateKeyPairSync('rsa-pss', { modulusLength: 3072 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(parsePublicKey(pem)).toMatchObject({ algorithm: 'RSA_PSS_SHA256', keyId: spkiSha256(pem) });
  });

  it('reads a pasted PEM: indented, CRLF line ends, blank lines around', () => {
    const pair = generateTestKey('ED25519');
    const pasted = `\r\n${pair.publicKeyPem
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\r\n')}\r\n`;
    expect(parsePublicKey(pasted).publicKeyPem).toBe(pair.publicKeyPem);
  });

  it('refuses RSA below 3072 bits, saying how many it has', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const error = refusal(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(error.reason).toContain('2048 bits');
    expect(error.reason).toContain('3072');
  });

  it.each(['secp384r1', 'secp256k1'])('refuses an EC key on %s', (namedCurve) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve });
    expect(refusal(publicKey.export({ type: 'spki', format: 'pem' }).toString()).reason).toContain(
      namedCurve,
    );
  });

  it.each(['ed448', 'x25519'] as const)('refuses a %s key', (type) => {
    const { publicKey } = generateKeyPairSync(type as 'ed448');
    expect(refusal(publicKey.export({ type: 'spki', format: 'pem' }).toString()).reason).toContain(type);
  });

  it('refuses an RSA-PSS key pinned to other parameters', () => {
    const { publicKey } = generateKeyPairSync('rsa-pss', {
      modulusLength: 3072,
      hashAlgorithm: 'sha512',
      mgf1HashAlgorithm: 'sha512',
    });
    expect(refusal(publicKey.export({ type: 'spki', format: 'pem' }).toString()).reason).toContain(
      'restricted',
    );
  });

  it('refuses a private key, telling how to get its public half', () => {
    expect(refusal(generateTestKey('ED25519').privateKeyPem).reason).toContain('-pubout');
  });

  it.each([
    ['empty', ''],
    ['no PEM block', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9 user@host'],
    ['damaged base64', '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA!!!!\n-----END PUBLIC KEY-----\n'],
    [
      'a truncated key',
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAA5dHh5FTLGSO\n-----END PUBLIC KEY-----\n',
    ],
    [
      'no END line',
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAA5dHh5FTLGSO/mQd4qJKgdG3aS9uRcQbV4pCYZ+UgeU=\n',
    ],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
  ])('refuses a malformed PEM: %s', (_what, pem) => {
    refusal(pem);
  });

  it('refuses two keys in one PEM, and one far too long to be a key', () => {
    const pem = generateTestKey('ED25519').publicKeyPem;
    expect(refusal(pem + pem).reason).toContain('2 PEM blocks');
    expect(refusal(pem + ' '.repeat(20_000)).reason).toContain('longer than');
  });
});
