import { z } from 'zod';
import { absent, type KvStore, unchangedSince } from '../kv/kv.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * Open upload sessions (SPEC-FLEET section 4, D12), `upload-sessions/<id>`. The record says what is
 * being sent and by whom, and when the session was last used (for the idle TTL). How far the bytes
 * got, and the hash state, are kept beside the partial file instead (`storage/session-file.ts`),
 * written in the same step as the bytes they describe.
 */

const sessionSchema = z.object({
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  /** Lowercase hex; absent when the client declared none. */
  sha256: z.string().optional(),
  /** The principal that created it (its id): the per-principal bound counts these. */
  owner: z.string(),
  createdAt: z.iso.datetime(),
  /** Any use (create, tus request, renew) moves it; idle past the TTL, the session is removed. */
  lastUsedAt: z.iso.datetime(),
});
export type UploadSessionRecord = z.infer<typeof sessionSchema>;
const codec = jsonCodec(sessionSchema, 'upload session');

export interface StoredUploadSession {
  readonly id: string;
  readonly record: UploadSessionRecord;
  readonly modRevision: number;
}

/** Sessions read per page when listing (a listing happens per create and per sweep). */
const PAGE = 500;

export class UploadSessionRecords {
  constructor(private readonly kv: KvStore) {}

  async get(id: string): Promise<StoredUploadSession | undefined> {
    const kv = await this.kv.get(keys.uploadSession(id));
    return kv && { id, record: codec.decode(kv.key, kv.value), modRevision: kv.modRevision };
  }

  /** Creates the record; false when the id is taken (ids are random, so never in practice). */
  async create(id: string, record: UploadSessionRecord): Promise<boolean> {
    const key = keys.uploadSession(id);
    const result = await this.kv.txn({
      compare: [absent(key)],
      success: [{ type: 'put', key, value: codec.encode(record) }],
    });
    return result.succeeded;
  }

  /** Moves `lastUsedAt` forward; false when the session is gone. Concurrent touches may both win: the later time is close enough. */
  async touch(id: string, at: Date): Promise<boolean> {
    const current = await this.get(id);
    if (!current) return false;
    const key = keys.uploadSession(id);
    const next = { ...current.record, lastUsedAt: at.toISOString() };
    const result = await this.kv.txn({
      compare: [unchangedSince(key, current.modRevision)],
      success: [{ type: 'put', key, value: codec.encode(next) }],
    });
    return result.succeeded || (await this.get(id)) !== undefined;
  }

  /**
   * Removes the record if it is as read (`modRevision`), or unconditionally without one. True when
   * this call removed it: of two completions or an expiry racing, one wins.
   */
  async remove(id: string, modRevision?: number): Promise<boolean> {
    const key = keys.uploadSession(id);
    const result = await this.kv.txn({
      compare: modRevision === undefined ? [] : [unchangedSince(key, modRevision)],
      success: [{ type: 'delete', key }],
    });
    const op = result.results[0];
    return result.succeeded && op?.type === 'delete' && op.deleted > 0;
  }

  /** Every open session. */
  async all(): Promise<StoredUploadSession[]> {
    const sessions: StoredUploadSession[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(keys.uploadSessions, { limit: PAGE, startAfter });
      for (const kv of page.kvs) {
        const id = kv.key.slice(keys.uploadSessions.length);
        sessions.push({ id, record: codec.decode(kv.key, kv.value), modRevision: kv.modRevision });
      }
      if (!page.more) return sessions;
      startAfter = page.kvs.at(-1)?.key;
    }
  }
}
