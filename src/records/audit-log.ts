import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { ROLES } from '../model/principal.js';
import { GroupCommit } from '../util/group-commit.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * The audit trail in the store: who ran which mutation, with what arguments, and how it ended.
 * Entries are written once and never changed; retention deletes the oldest in small batches.
 */

export const AUDIT_OUTCOMES = ['SUCCESS', 'ERROR', 'UNKNOWN'] as const;

const auditEntrySchema = z.object({
  at: z.string(),
  actor: z.object({ id: z.string(), role: z.enum(ROLES) }),
  operationName: z.string().nullable(),
  field: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** UNKNOWN: it ran, but a later field of the operation failed outright and its result was lost. */
  outcome: z.enum(AUDIT_OUTCOMES),
  /** The success type, or the error type of the result union. */
  resultType: z.string().nullable(),
  /** The error's code (a result union member's, or a top-level one such as FORBIDDEN). */
  errorCode: z.string().nullable(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export interface StoredAuditEntry extends AuditEntry {
  readonly id: string;
}

const codec = jsonCodec(auditEntrySchema, 'audit entry');

/** 10^13 ms: the inverted time keeps 13 digits until the year 2286. */
const TIME_CEILING_MS = 9_999_999_999_999;
/** Deletions per prune pass: well under etcd's 128 operations per transaction. */
const PRUNE_BATCH = 100;
/** Entries per store write when concurrent mutations share one: well under etcd's 128 too. */
const WRITE_BATCH = 100;
/** After a pass that left nothing aged out, the next one waits this long (entries age by the clock). */
const PRUNE_IDLE_MS = 60_000;
const SEQ_CEILING = 0xffffffff;

export class AuditLog {
  private pruning: Promise<void> | undefined;
  private pruneAfter = 0;
  /** Entries of concurrent mutations share one store write. */
  private readonly writes = new GroupCommit<{ key: string; value: string }>(
    (entries) =>
      this.store.txn({ compare: [], success: entries.map((e) => ({ type: 'put', ...e })) }).then(() => {}),
    WRITE_BATCH,
  );
  private sequence = 0;

  constructor(
    private readonly store: KvStore,
    private readonly retentionMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Writes one entry; then, at most one prune pass at a time, drops what has aged out. A pass that
   * caught up holds the next one off for PRUNE_IDLE_MS: a busy server does not list the trail on
   * every write, and an entry outlives its retention by at most that much.
   */
  async append(entry: AuditEntry): Promise<string> {
    const at = Date.parse(entry.at);
    // Within one millisecond, this process's later entries sort first too; the random part keeps
    // two processes' entries apart.
    const seq = (SEQ_CEILING - (this.sequence++ % SEQ_CEILING)).toString(16).padStart(8, '0');
    const id = `${invertedTime(at)}-${seq}${randomBytes(2).toString('hex')}`;
    await this.writes.submit({ key: keys.auditEntry(id), value: codec.encode(entry) });
    if (this.now() < this.pruneAfter) return id;
    this.pruning ??= this.prune().then(
      (removed) => {
        this.pruning = undefined;
        if (removed < PRUNE_BATCH) this.pruneAfter = this.now() + PRUNE_IDLE_MS;
      },
      (err: unknown) => {
        this.pruning = undefined;
        // The next write tries again; an old entry kept a little longer harms no one.
        this.log.warn({ err }, 'audit retention pass failed');
      },
    );
    return id;
  }

  /** Newest first: `first` entries after the entry `after`; `remaining`: how many follow `after`. */
  async page(options: {
    first: number;
    after?: string;
  }): Promise<{ entries: StoredAuditEntry[]; more: boolean; remaining: number }> {
    const { kvs, more, count } = await this.store.range(keys.audit, {
      limit: options.first,
      startAfter: options.after === undefined ? undefined : keys.auditEntry(options.after),
    });
    return {
      entries: kvs.map((kv) => ({ id: kv.key.slice(keys.audit.length), ...codec.decode(kv.key, kv.value) })),
      more,
      remaining: count,
    };
  }

  /** Entries kept: the store counts the range; one key is read, no value. */
  async count(): Promise<number> {
    return (await this.store.range(keys.audit, { limit: 1, keysOnly: true })).count;
  }

  /**
   * Deletes up to one batch of entries older than the retention period; answers how many. Bounded
   * work per write: as each write adds one entry and a pass removes up to a hundred, the trail
   * converges on its retention however far behind it was.
   */
  async prune(): Promise<number> {
    const cutoff = `${keys.audit}${invertedTime(this.now() - this.retentionMs)}`;
    const { kvs } = await this.store.range(keys.audit, {
      startAfter: cutoff,
      limit: PRUNE_BATCH,
      keysOnly: true,
    });
    if (kvs.length === 0) return 0;
    await this.store.txn({ compare: [], success: kvs.map((kv) => ({ type: 'delete', key: kv.key })) });
    return kvs.length;
  }

  /** Resolves once a prune pass started by `append` has ended (for tests and shutdown). */
  async settled(): Promise<void> {
    await this.pruning;
  }
}

function invertedTime(ms: number): string {
  return String(TIME_CEILING_MS - Math.max(0, Math.min(ms, TIME_CEILING_MS))).padStart(13, '0');
}
