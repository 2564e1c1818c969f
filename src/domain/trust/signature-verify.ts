import {
  constants,
  createPublicKey,
  type KeyObject,
  type SignKeyObjectInput,
  sign,
  type VerifyKeyObjectInput,
  verify,
} from 'node:crypto';
import { InvalidSignatureError } from '../../model/errors.js';
import type { KeyAlgorithm } from './trust-types.js';

/**
 * Signing and verifying a statement with node:crypto, the parameters of each algorithm in one
 * place (SPEC-FLEET D10): Ed25519 pure; ECDSA P-256 over SHA-256 with a DER signature; RSA-PSS with
 * SHA-256 and MGF1-SHA256, signed with a 32-byte salt and verified with any salt length.
 */

/** The largest signature of an accepted key is RSA 16384's 2048 bytes (2732 base64 characters). */
export const MAX_SIGNATURE_BASE64_LENGTH = 4096;

/** RSA-PSS salt seghub's signer uses (D10); verification accepts any. */
export const RSA_PSS_SIGN_SALT_LENGTH = 32;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, nothing else (Buffer.from would skip stray characters silently). */
export function decodeSignature(signatureB64: string): Buffer {
  const text = signatureB64.trim();
  if (text.length === 0) throw new InvalidSignatureError('empty');
  if (text.length > MAX_SIGNATURE_BASE64_LENGTH) {
    throw new InvalidSignatureError(`longer than ${MAX_SIGNATURE_BASE64_LENGTH} base64 characters`);
  }
  if (!BASE64.test(text)) throw new InvalidSignatureError('not base64 (standard alphabet, with padding)');
  return Buffer.from(text, 'base64');
}

/**
 * Checks `signatureB64` over `statement` with the key; INVALID_SIGNATURE (with the reason) unless
 * it verifies. Returns the signature in canonical base64, as it is stored.
 */
export function verifySignature(
  key: { readonly algorithm: KeyAlgorithm; readonly publicKeyPem: string },
  statement: Buffer,
  signatureB64: string,
): string {
  const signature = decodeSignature(signatureB64);
  const publicKey = createPublicKey(key.publicKeyPem);
  let ok: boolean;
  try {
    ok = verify(digestOf(key.algorithm), statement, verifyInput(key.algorithm, publicKey), signature);
  } catch (error) {
    // OpenSSL refuses some malformed signatures (a cut DER sequence, a wrong length) by throwing.
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidSignatureError(`malformed for ${key.algorithm} (${detail})`);
  }
  if (!ok) {
    throw new InvalidSignatureError(
      `does not verify with the key over this segment's statement (a different segment, key or algorithm, or damaged)`,
    );
  }
  return signature.toString('base64');
}

/** Signs a statement with a private key of an accepted algorithm (the sign script; tests). */
export function signStatement(privateKey: KeyObject, algorithm: KeyAlgorithm, statement: Buffer): Buffer {
  const input: SignKeyObjectInput =
    algorithm === 'ED25519'
      ? { key: privateKey }
      : algorithm === 'ECDSA_P256_SHA256'
        ? { key: privateKey, dsaEncoding: 'der' }
        : { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SIGN_SALT_LENGTH };
  return sign(digestOf(algorithm), statement, input);
}

/** Ed25519 hashes inside the algorithm: node takes `null` for it. */
function digestOf(algorithm: KeyAlgorithm): string | null {
  return algorithm === 'ED25519' ? null : 'sha256';
}

function verifyInput(algorithm: KeyAlgorithm, key: KeyObject): VerifyKeyObjectInput {
  switch (algorithm) {
    case 'ED25519':
      return { key };
    case 'ECDSA_P256_SHA256':
      return { key, dsaEncoding: 'der' };
    case 'RSA_PSS_SHA256':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
  }
}
