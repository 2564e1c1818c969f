import { DomainError } from './domain-error.js';

/** Expected failures of signed segments and the release lifecycle (SPEC-FLEET section 3, D9–D11). */

/** Release needs TESTED first; `reasons` say what the promotion gate still waits for. */
export class SegmentNotTestedError extends DomainError {
  override name = 'SegmentNotTestedError';
  readonly code = 'SEGMENT_NOT_TESTED';
  constructor(
    readonly segmentId: string,
    readonly reasons: readonly string[],
  ) {
    super(`segment ${segmentId} is not TESTED: ${reasons.join('; ') || 'no test evidence yet'}`);
  }
}

/** A DEPRECATED segment takes no new install or rollout (existing installs stay). */
export class SegmentDeprecatedError extends DomainError {
  override name = 'SegmentDeprecatedError';
  readonly code = 'SEGMENT_DEPRECATED';
  constructor(
    readonly segmentId: string,
    readonly reason: string,
  ) {
    super(`segment ${segmentId} is DEPRECATED: ${reason}`);
  }
}

/** The segment's valid signatures by distinct keys are fewer than SIGNATURES_REQUIRED. */
export class SignatureRequiredError extends DomainError {
  override name = 'SignatureRequiredError';
  readonly code = 'SIGNATURE_REQUIRED';
  constructor(
    readonly segmentId: string,
    readonly required: number,
    readonly valid: number,
  ) {
    super(`segment ${segmentId} has ${valid} valid signature(s) by distinct keys; ${required} required`);
  }
}

/** The signature does not verify over the segment's statement with the key, or is not base64. */
export class InvalidSignatureError extends DomainError {
  override name = 'InvalidSignatureError';
  readonly code = 'INVALID_SIGNATURE';
  constructor(readonly reason: string) {
    super(`invalid signature: ${reason}`);
  }
}

/** Not a public key seghub accepts: Ed25519, ECDSA P-256 or RSA of at least 3072 bits, as PEM. */
export class InvalidKeyError extends DomainError {
  override name = 'InvalidKeyError';
  readonly code = 'INVALID_KEY';
  constructor(readonly reason: string) {
    super(`invalid key: ${reason}`);
  }
}

export class KeyNotFoundError extends DomainError {
  override name = 'KeyNotFoundError';
  readonly code = 'KEY_NOT_FOUND';
  constructor(readonly keyId: string) {
    super(`no signing key has id ${keyId}`);
  }
}

export class KeyRevokedError extends DomainError {
  override name = 'KeyRevokedError';
  readonly code = 'KEY_REVOKED';
  constructor(
    readonly keyId: string,
    readonly revokedAt: string,
  ) {
    super(`signing key ${keyId} was revoked at ${revokedAt}`);
  }
}

/** The key's `notAfter` has passed (expiry is judged at signing time, D10). */
export class KeyExpiredError extends DomainError {
  override name = 'KeyExpiredError';
  readonly code = 'KEY_EXPIRED';
  constructor(
    readonly keyId: string,
    readonly notAfter: string,
  ) {
    super(`signing key ${keyId} expired at ${notAfter}`);
  }
}

/** The stored file no longer hashes to the segment's SHA-256: the segment is blocked everywhere (D11). */
export class FileTamperedError extends DomainError {
  override name = 'FileTamperedError';
  readonly code = 'FILE_TAMPERED';
  constructor(
    readonly segmentId: string,
    readonly reason: string,
  ) {
    super(`the stored file of segment ${segmentId} is not the one uploaded: ${reason}`);
  }
}

/** MAX_SIGNING_KEYS: the keyring is full (revoked keys count: they judge old signatures). */
export class TooManySigningKeysError extends DomainError {
  override name = 'TooManySigningKeysError';
  readonly code = 'TOO_MANY_SIGNING_KEYS';
  constructor(readonly limit: number) {
    super(`seghub holds at most ${limit} signing keys (MAX_SIGNING_KEYS)`);
  }
}

/** MAX_SIGNATURES_PER_SEGMENT: a segment keeps at most this many signatures. */
export class TooManySignaturesError extends DomainError {
  override name = 'TooManySignaturesError';
  readonly code = 'TOO_MANY_SIGNATURES';
  constructor(
    readonly segmentId: string,
    readonly limit: number,
  ) {
    super(`segment ${segmentId} holds at most ${limit} signatures (MAX_SIGNATURES_PER_SEGMENT)`);
  }
}
