import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { absent, type KvStore, type TxnOp, unchangedSince } from '../kv/kv.js';
import { ROLES } from '../model/principal.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * Transfer tokens in the store (SPEC-FLEET D12): the shared HMAC key, one record per token, and an
 * index per subject. The store holds the state, so any replica verifies, extends and revokes any token.
 */

export const TRANSFER_TOKEN_KINDS = ['UPLOAD', 'DOWNLOAD'] as const;
export type StoredTransferTokenKind = (typeof TRANSFER_TOKEN_KINDS)[number];

const transferTokenSchema = z.object({
  kind: z.enum(TRANSFER_TOKEN_KINDS),
  /** An upload session id, or a segment id for downloads. */
  subject: z.string(),
  /** The principal that asked for the token (audit of its uses); absent when none was named. */
  issuer: z.object({ id: z.string(), role: z.enum(ROLES) }).optional(),
  createdAt: z.string(),
  /** Epoch milliseconds; the token is refused from this instant on. */
  expiresAt: z.number(),
});

export type TransferTokenRecord = z.infer<typeof transferTokenSchema>;

const codec = jsonCodec(transferTokenSchema, 'transfer token');

/** Operations per transaction when deleting: well under etcd's 128. */
const DELETE_BATCH = 100;
/** Records read per page while sweeping. */
const SWEEP_PAGE = 500;
/** Bytes of the HMAC key (SHA-256's block is 64; 32 random bytes is the key strength HMAC-SHA256 gives). */
const KEY_BYTES = 32;

export class TransferTokenRecords {
  constructor(private readonly store: KvStore) {}

  /**
   * The HMAC key every replica signs with: read, or created by the first replica that needs it. Two
   * replicas creating it at once both end up with the one the store kept.
   */
  async signingKey(): Promise<Buffer> {
    const fresh = randomBytes(KEY_BYTES).toString('base64');
    const result = await this.store.txn({
      compare: [absent(keys.transferTokenKey)],
      success: [{ type: 'put', key: keys.transferTokenKey, value: fresh }],
      failure: [{ type: 'get', key: keys.transferTokenKey }],
    });
    if (result.succeeded) return Buffer.from(fresh, 'base64');
    const existing = result.results[0];
    const value = existing?.type === 'get' ? existing.kv?.value : undefined;
    const key = value === undefined ? undefined : Buffer.from(value, 'base64');
    if (!key || key.length < KEY_BYTES) throw new Error(`${keys.transferTokenKey} is unreadable`);
    return key;
  }

  async create(id: string, record: TransferTokenRecord): Promise<void> {
    const result = await this.store.txn({
      compare: [absent(keys.transferToken(id))],
      success: [
        { type: 'put', key: keys.transferToken(id), value: codec.encode(record) },
        { type: 'put', key: keys.transferTokenOfSubject(record.kind, record.subject, id), value: '' },
      ],
    });
    // 128 random bits: a collision means a broken random source, not bad luck.
    if (!result.succeeded) throw new Error(`transfer token ${id} exists already`);
  }

  async get(id: string): Promise<{ record: TransferTokenRecord; modRevision: number } | undefined> {
    const kv = await this.store.get(keys.transferToken(id));
    return kv && { record: codec.decode(kv.key, kv.value), modRevision: kv.modRevision };
  }

  /** Writes a new expiry if the record is unchanged since `modRevision`; false when it changed or went. */
  async setExpiry(id: string, read: { record: TransferTokenRecord; modRevision: number }, expiresAt: number) {
    const result = await this.store.txn({
      compare: [unchangedSince(keys.transferToken(id), read.modRevision)],
      success: [
        { type: 'put', key: keys.transferToken(id), value: codec.encode({ ...read.record, expiresAt }) },
      ],
    });
    return result.succeeded;
  }

  /** Deletes every token of a subject, with its index entries. */
  async revokeSubject(kind: StoredTransferTokenKind, subject: string): Promise<void> {
    const prefix = keys.transferTokensOfSubject(kind, subject);
    for (;;) {
      const { kvs } = await this.store.range(prefix, { keysOnly: true, limit: DELETE_BATCH / 2 });
      if (kvs.length === 0) return;
      const ops: TxnOp[] = kvs.flatMap((kv) => [
        { type: 'delete', key: kv.key },
        { type: 'delete', key: keys.transferToken(kv.key.slice(prefix.length)) },
      ]);
      await this.store.txn({ compare: [], success: ops });
    }
  }

  /**
   * Deletes the records that expired before `nowMs`, with their index entries; answers how many. A
   * record extended between the read and the delete is kept (each delete compares its revision).
   */
  async sweepExpired(nowMs: number): Promise<number> {
    let removed = 0;
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.store.range(keys.transferTokens, { limit: SWEEP_PAGE, startAfter });
      const expired = page.kvs.filter((kv) => codec.decode(kv.key, kv.value).expiresAt <= nowMs);
      for (let i = 0; i < expired.length; i += DELETE_BATCH / 2) {
        removed += await this.deleteIfUnchanged(expired.slice(i, i + DELETE_BATCH / 2));
      }
      if (!page.more) return removed;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  private async deleteIfUnchanged(kvs: { key: string; value: string; modRevision: number }[]) {
    let removed = 0;
    // One transaction per record: a compare failing for one must not keep the others.
    await Promise.all(
      kvs.map(async (kv) => {
        const record = codec.decode(kv.key, kv.value);
        const id = kv.key.slice(keys.transferTokens.length);
        const result = await this.store.txn({
          compare: [unchangedSince(kv.key, kv.modRevision)],
          success: [
            { type: 'delete', key: kv.key },
            { type: 'delete', key: keys.transferTokenOfSubject(record.kind, record.subject, id) },
          ],
        });
        if (result.succeeded) removed++;
      }),
    );
    return removed;
  }
}
