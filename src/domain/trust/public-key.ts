import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidKeyError } from '../../model/errors.js';
import type { KeyAlgorithm } from './trust-types.js';

/** RSA keys shorter than this are refused (SPEC-FLEET section 3). */
export const MIN_RSA_BITS = 3072;
/** A PEM public key of any accepted kind is far shorter (RSA 16384: ~2.8 KB); this bounds the parse. */
export const MAX_PUBLIC_KEY_PEM_LENGTH = 16 * 1024;

export interface ParsedPublicKey {
  /** Hex SHA-256 of the key's SPKI DER. */
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  /** The key as SPKI PEM, whatever form (SPKI or PKCS#1) it came in. */
  readonly publicKeyPem: string;
  readonly key: KeyObject;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);

/**
 * Reads a public key an admin adds to the keyring. Only node:crypto parses it; seghub then decides
 * whether it is one of the three accepted kinds. Every refusal is INVALID_KEY with the reason.
 */
export function parsePublicKey(pem: string): ParsedPublicKey {
  return describePublicKey(readPem(pem));
}

/** Key id, algorithm and SPKI PEM of a public key already read (the sign script derives it). */
export function describePublicKey(key: KeyObject): ParsedPublicKey {
  const algorithm = algorithmOf(key);
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    keyId: createHash('sha256').update(der).digest('hex'),
    algorithm,
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    key,
  };
}

/** Which accepted algorithm a public key verifies with; INVALID_KEY for every other key. */
export function algorithmOf(key: KeyObject): KeyAlgorithm {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'ed25519':
      return 'ED25519';
    case 'ec':
      if (details.namedCurve === 'prime256v1') return 'ECDSA_P256_SHA256';
      throw new InvalidKeyError(
        `an EC key on curve ${details.namedCurve ?? 'unknown'}; only P-256 (prime256v1) is accepted`,
      );
    case 'rsa':
    case 'rsa-pss':
      return rsaAlgorithm(type, details);
    default:
      throw new InvalidKeyError(
        `a ${type ?? 'unknown'} key; accepted are Ed25519, ECDSA P-256 and RSA of at least ${MIN_RSA_BITS} bits`,
      );
  }
}

function rsaAlgorithm(type: string, details: NonNullable<KeyObject['asymmetricKeyDetails']>): KeyAlgorithm {
  const bits = details.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new InvalidKeyError(`an RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
  }
  // An RSA-PSS key may pin its hash and salt; seghub verifies SHA-256 with any salt length (D10),
  // which a pinned key refuses to do. The plain RSA form of the same key works.
  if (type === 'rsa-pss' && (details.hashAlgorithm || details.mgf1HashAlgorithm || details.saltLength)) {
    throw new InvalidKeyError(
      'an RSA-PSS key restricted to fixed parameters; give the key as a plain RSA public key',
    );
  }
  return 'RSA_PSS_SHA256';
}

function readPem(pem: string): KeyObject {
  if (pem.length > MAX_PUBLIC_KEY_PEM_LENGTH) {
    throw new InvalidKeyError(`longer than ${MAX_PUBLIC_KEY_PEM_LENGTH} characters; not a public key PEM`);
  }
  const labels = [...pem.matchAll(PEM_BLOCK)].map((match) => match[1]!);
  if (labels.length === 0) throw new InvalidKeyError('no PEM block ("-----BEGIN PUBLIC KEY-----") found');
  if (labels.length > 1)
    throw new InvalidKeyError(`${labels.length} PEM blocks; give exactly one public key`);
  const label = labels[0]!;
  if (label.includes('PRIVATE')) {
    throw new InvalidKeyError(
      'this is a private key: add its public key (openssl pkey -pubout) and keep this one secret',
    );
  }
  if (!PUBLIC_LABELS.has(label)) {
    throw new InvalidKeyError(`a "${label}" PEM block; expected "PUBLIC KEY"`);
  }
  // Pasted keys come indented, with CRLF or blank lines; OpenSSL's reader takes none of that.
  const lines = pem.split(/\r?\n/).map((line) => line.trim());
  const clean = `${lines.filter((line) => line.length > 0).join('\n')}\n`;
  try {
    return createPublicKey({ key: clean, format: 'pem' });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidKeyError(`the PEM does not hold a readable public key (${detail})`);
  }
}
