import { z } from 'zod';
import { absent, type KeyValue, type KvStore, unchangedSince } from '../kv/kv.js';
import { ConflictError } from './conflict-error.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/** The algorithms a trusted key verifies with (SPEC-FLEET section 3); `trust-types.ts` names them too. */
export const SIGNING_KEY_ALGORITHMS = ['ED25519', 'ECDSA_P256_SHA256', 'RSA_PSS_SHA256'] as const;

const isoTime = z.iso.datetime();

/**
 * `signing-keys/<keyId>`: a trusted public key. A revoked key stays, with who revoked it and why:
 * the signatures it made are judged against it (they turn invalid, and say why).
 */
const signingKeySchema = z.object({
  /** Hex SHA-256 of the key's SPKI DER. */
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  algorithm: z.enum(SIGNING_KEY_ALGORITHMS),
  label: z.string().min(1),
  /** SPKI PEM as seghub exported it (whatever form it was added in). */
  publicKeyPem: z.string().min(1),
  addedAt: isoTime,
  /** The principal that added it. */
  addedBy: z.string().min(1),
  notAfter: isoTime.optional(),
  revokedAt: isoTime.optional(),
  revokedBy: z.string().optional(),
  revokeReason: z.string().optional(),
});

export type SigningKeyRecord = z.infer<typeof signingKeySchema>;
const signingKeyCodec = jsonCodec(signingKeySchema, 'signing key');

export interface StoredSigningKey extends SigningKeyRecord {
  readonly modRevision: number;
}

function toStored(kv: KeyValue): StoredSigningKey {
  return { ...signingKeyCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
}

/** The keyring's records. Few (MAX_SIGNING_KEYS) and rarely written, so reads go to the store. */
export class SigningKeyRecords {
  constructor(private readonly kv: KvStore) {}

  async get(keyId: string): Promise<StoredSigningKey | undefined> {
    const kv = await this.kv.get(keys.signingKey(keyId));
    return kv && toStored(kv);
  }

  /** Every key, revoked ones included, in key id order. */
  async list(): Promise<StoredSigningKey[]> {
    const { kvs } = await this.kv.range(keys.signingKeys);
    return kvs.map(toStored);
  }

  async count(): Promise<number> {
    return (await this.kv.range(keys.signingKeys, { limit: 1, keysOnly: true })).count;
  }

  /**
   * Creates the key, or replaces it if it is still at `expectedRevision` (0: must not exist).
   * ConflictError when another writer got there first.
   */
  async put(record: SigningKeyRecord, expectedRevision: number): Promise<StoredSigningKey> {
    const key = keys.signingKey(record.keyId);
    const result = await this.kv.txn({
      compare: [expectedRevision === 0 ? absent(key) : unchangedSince(key, expectedRevision)],
      success: [{ type: 'put', key, value: signingKeyCodec.encode(record) }],
    });
    if (!result.succeeded) throw new ConflictError(`signing key ${record.keyId} changed meanwhile`);
    return { ...record, modRevision: result.revision };
  }
}
