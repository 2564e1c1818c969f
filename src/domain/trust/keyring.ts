import { InvalidInputError, KeyNotFoundError, TooManySigningKeysError } from '../../model/errors.js';
import { ConflictError, ContendedWriteError } from '../../records/conflict-error.js';
import type { SigningKeyRecords, StoredSigningKey } from '../../records/signing-key-records.js';
import { parsePublicKey } from './public-key.js';
import type { KeyringReader, SigningKey } from './trust-types.js';

export const MAX_KEY_LABEL_LENGTH = 200;
export const MAX_REVOKE_REASON_LENGTH = 500;
/** Writers racing on one key record: after this many lost compares the write gives up (STORE_UNAVAILABLE). */
const MAX_WRITE_ATTEMPTS = 5;
const KEY_ID = /^[0-9a-f]{64}$/;

export interface KeyringOptions {
  records: SigningKeyRecords;
  /** MAX_SIGNING_KEYS, revoked keys included. */
  maxKeys: number;
  now?: () => Date;
}

/**
 * The trusted public keys (SPEC-FLEET section 3). A key is identified by the SHA-256 of its SPKI
 * DER, so adding the same key again, in any PEM form, finds the one stored. Revoking keeps the
 * record: the signatures it made are judged against it from then on.
 */
export class Keyring implements KeyringReader {
  private readonly now: () => Date;

  constructor(private readonly options: KeyringOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Every key, revoked ones included, oldest first. */
  async list(): Promise<SigningKey[]> {
    const all = await this.options.records.list();
    return all.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.keyId.localeCompare(b.keyId));
  }

  /** Undefined for an unknown key id (and for anything that is not a key id at all). */
  async get(keyId: string): Promise<SigningKey | undefined> {
    return KEY_ID.test(keyId) ? this.options.records.get(keyId) : undefined;
  }

  /**
   * Trusts a public key. The same key again returns the stored record as it is (its label, expiry
   * and revocation unchanged: a revoked key cannot be trusted again by adding it).
   * INVALID_KEY, INVALID_INPUT (label, a `notAfter` already past), TOO_MANY_SIGNING_KEYS.
   */
  async add(
    publicKeyPem: string,
    label: string,
    notAfter: Date | undefined,
    principalId: string,
  ): Promise<SigningKey> {
    const cleanLabel = checkText(label, 'label', MAX_KEY_LABEL_LENGTH);
    const now = this.now();
    if (notAfter !== undefined && !(notAfter.getTime() > now.getTime())) {
      throw new InvalidInputError(`notAfter ${notAfter.toISOString()} is not in the future`, 'notAfter');
    }
    const parsed = parsePublicKey(publicKeyPem);
    const existing = await this.options.records.get(parsed.keyId);
    if (existing) return existing;
    if ((await this.options.records.count()) >= this.options.maxKeys) {
      throw new TooManySigningKeysError(this.options.maxKeys);
    }
    const record = {
      keyId: parsed.keyId,
      algorithm: parsed.algorithm,
      label: cleanLabel,
      publicKeyPem: parsed.publicKeyPem,
      addedAt: now.toISOString(),
      addedBy: principalId,
      ...(notAfter ? { notAfter: notAfter.toISOString() } : {}),
    };
    try {
      return await this.options.records.put(record, 0);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Someone added the same key at the same moment: theirs is the stored one.
      const stored = await this.options.records.get(parsed.keyId);
      if (stored) return stored;
      throw error;
    }
  }

  /**
   * Revokes a key: every signature it made turns invalid (SPEC-FLEET section 3). A key already
   * revoked stays as it was revoked first. KEY_NOT_FOUND, INVALID_INPUT (reason).
   */
  async revoke(keyId: string, reason: string, principalId: string): Promise<SigningKey> {
    const cleanReason = checkText(reason, 'reason', MAX_REVOKE_REASON_LENGTH);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.stored(keyId);
      if (current.revokedAt) return current;
      const { modRevision, ...record } = current;
      const next = {
        ...record,
        revokedAt: this.now().toISOString(),
        revokedBy: principalId,
        revokeReason: cleanReason,
      };
      try {
        return await this.options.records.put(next, modRevision);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ContendedWriteError(`signing key ${keyId} could not be revoked: it kept changing`);
  }

  private async stored(keyId: string): Promise<StoredSigningKey> {
    const key = KEY_ID.test(keyId) ? await this.options.records.get(keyId) : undefined;
    if (!key) throw new KeyNotFoundError(keyId);
    return key;
  }
}

function checkText(text: string, field: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InvalidInputError(`${field} must not be empty`, field);
  if (trimmed.length > max) throw new InvalidInputError(`${field} is longer than ${max} characters`, field);
  return trimmed;
}
