import type { StoredSignature } from '../../records/segment-trust-schema.js';
import type { SignatureJudgement, SignatureStatus, SignatureView, SigningKey } from './trust-types.js';

/**
 * How a segment's stored signatures stand now (SPEC-FLEET section 3). Each one verified when it was
 * added, so what can change is its key: unknown to the keyring (removed by hand) or revoked turns
 * it invalid. An expired key does not: expiry is judged when a signature is added (D10).
 * Signatures count once per key, so one key cannot meet SIGNATURES_REQUIRED=2 alone.
 */
export function judgeSignatures(
  signatures: readonly StoredSignature[],
  keysById: ReadonlyMap<string, SigningKey>,
  required: number,
): SignatureJudgement {
  const views = signatures.map((signature) => viewOf(signature, keysById.get(signature.keyId)));
  const validKeys = new Set(views.filter((view) => view.valid).map((view) => view.keyId)).size;
  return {
    status: statusOf(views.length, validKeys, required),
    validKeys,
    required,
    meetsPolicy: validKeys >= required,
    signatures: views,
  };
}

function viewOf(signature: StoredSignature, key: SigningKey | undefined): SignatureView {
  const { keyId, signature: bytes, signedAt, addedBy } = signature;
  const base = { keyId, signature: bytes, signedAt, addedBy };
  if (!key) return { ...base, valid: false, reason: `key ${keyId} is not in the keyring` };
  if (key.revokedAt) {
    const why = key.revokeReason ? `: ${key.revokeReason}` : '';
    return { ...base, key, valid: false, reason: `key "${key.label}" was revoked at ${key.revokedAt}${why}` };
  }
  return { ...base, key, valid: true };
}

function statusOf(signatures: number, validKeys: number, required: number): SignatureStatus {
  if (signatures === 0) return 'UNSIGNED';
  if (validKeys >= Math.max(1, required)) return 'VALID';
  if (validKeys < required) return 'INSUFFICIENT';
  return 'INVALID';
}
