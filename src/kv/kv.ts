/**
 * The key-value layer every other part of seghub uses. Its semantics are etcd's v3 semantics,
 * so that the embedded store (the default for `npm start`) and etcd (production) are interchangeable:
 *
 * - The store has one revision counter. Every transaction that changes at least one key increments
 *   it by exactly one; all changes of that transaction carry the new revision. Reads and writes that
 *   change nothing leave it alone.
 * - Keys are strings, ordered by their UTF-8 bytes. Keys passed here never include the deployment
 *   prefix (`ETCD_PREFIX`): an implementation adds and strips it.
 * - Values are strings (seghub stores JSON; the record codecs live in `records/`).
 */

import type { UnavailableMark } from '../util/unavailable.js';

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created the key (since it was last absent). */
  createRevision: number;
  /** Revision of the latest write to the key. */
  modRevision: number;
  /** Writes since creation: 1 right after creation. */
  version: number;
  /** Lease the key is attached to; the key is deleted when the lease expires. */
  lease?: string;
}

export interface RangeOptions {
  /** At most this many keys (0 or absent: no limit). */
  limit?: number;
  /** Only keys strictly greater than this one: the cursor of the previous page. */
  startAfter?: string;
  /** Omit values (kvs carry `value: ''`). */
  keysOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** True when the limit cut the result: more keys follow the last one returned. */
  more: boolean;
  /** Number of keys in the requested range, ignoring `limit`. */
  count: number;
  /** Store revision at which the read was served. */
  revision: number;
}

export type Compare =
  | {
      key: string;
      target: 'createRevision' | 'modRevision' | 'version';
      op: '=' | '!=' | '<' | '>';
      value: number;
    }
  | { key: string; target: 'value'; op: '=' | '!='; value: string };

export type TxnOp =
  | { type: 'get'; key: string }
  | { type: 'put'; key: string; value: string; lease?: string }
  | { type: 'delete'; key: string }
  | { type: 'deletePrefix'; prefix: string };

/** One result per op of the branch that ran, in order. */
export type TxnOpResult =
  | { type: 'get'; kv: KeyValue | undefined }
  | { type: 'put' }
  | { type: 'delete'; deleted: number }
  | { type: 'deletePrefix'; deleted: number };

export interface TxnRequest {
  /** All must hold for `success` to run; otherwise `failure` runs. A missing key has revisions 0. */
  compare: Compare[];
  success: TxnOp[];
  failure?: TxnOp[];
}

export interface TxnResult {
  succeeded: boolean;
  /** Store revision after the transaction. */
  revision: number;
  results: TxnOpResult[];
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  | { type: 'delete'; key: string; modRevision: number; prevKv?: KeyValue };

export type WatchMessage =
  /** The changes of one revision (one transaction), in the order the transaction made them. */
  | { kind: 'events'; revision: number; events: WatchEvent[] }
  /**
   * The requested start revision is no longer kept. The watch ends after this message; the
   * consumer re-reads what it needs and watches again from the revision of that read + 1.
   */
  | { kind: 'compacted'; compactRevision: number };

export interface WatchOptions {
  /** Deliver every change with revision >= this (inclusive). Absent: changes after the watch starts. */
  fromRevision?: number;
  /** Attach the previous key-value to each event (needed to know what a delete removed). */
  prevKv?: boolean;
  /** Aborting ends the iteration, as `close()` does. */
  signal?: AbortSignal;
}

/**
 * A watch on every key under a prefix. Messages arrive in revision order; no revision is delivered
 * twice and none is skipped, even across a lost connection (the implementation reconnects and
 * resumes from the last delivered revision + 1 on its own).
 */
export interface Watch extends AsyncIterable<WatchMessage> {
  /** Resolves once the watch is registered with the store (changes from now on will be seen). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface Lease {
  readonly id: string;
  readonly ttlSeconds: number;
  /** Aborted when the lease is gone: revoked, expired, or keep-alive failed for longer than the TTL. */
  readonly signal: AbortSignal;
  /** Ends the lease now; its keys are deleted. */
  revoke(): Promise<void>;
  /** Stops keeping the lease alive without revoking it (it expires after its TTL). */
  release(): void;
}

export interface KvStore {
  /** Which implementation this is, for logs and /readyz. */
  readonly kind: 'etcd' | 'embedded';
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix` (`''`: every key), in key order. */
  range(prefix: string, options?: RangeOptions): Promise<RangeResult>;
  put(key: string, value: string, options?: { lease?: string }): Promise<{ revision: number }>;
  delete(key: string): Promise<{ deleted: number; revision: number }>;
  deletePrefix(prefix: string): Promise<{ deleted: number; revision: number }>;
  txn(request: TxnRequest): Promise<TxnResult>;
  watch(prefix: string, options?: WatchOptions): Watch;
  /** Grants a lease that is kept alive until revoked or released. */
  grantLease(ttlSeconds: number): Promise<Lease>;
  /** Discards history before `revision`; watches from earlier revisions then get `compacted`. */
  compact(revision: number): Promise<void>;
  /** Proves the store answers; rejects with `StoreUnavailableError` within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<{ revision: number }>;
  /** Ends watches, revokes nothing (leases expire on their own), releases connections and files. */
  close(): Promise<void>;
}

/** Base of the store's own errors. */
export class KvError extends Error {
  override name = 'KvError';
}

/** The store cannot be reached now; the operation may succeed later. */
export class StoreUnavailableError extends KvError implements UnavailableMark {
  override name = 'StoreUnavailableError';
  readonly unavailable = 'STORE_UNAVAILABLE';
}

/** The request is malformed in a way etcd refuses (empty key, duplicate keys in a txn, a TTL below 1, ...). */
export class InvalidRequestError extends KvError {
  override name = 'InvalidRequestError';
}

/** The operation referred to a lease that does not exist (expired or revoked). */
export class LeaseNotFoundError extends KvError {
  override name = 'LeaseNotFoundError';
}

/** Compare that holds only while `key` does not exist: the create-if-absent guard. */
/**
 * etcd's defaults, which the embedded store enforces too (`embedded/txn.ts`), so that a write too
 * large for production fails in every test run: at most 128 operations in a transaction's compare,
 * success and failure lists each (`--max-txn-ops`), and 1.5 MiB per request (`--max-request-bytes`).
 */
export const MAX_TXN_OPS = 128;
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export function absent(key: string): Compare {
  return { key, target: 'createRevision', op: '=', value: 0 };
}

/** Compare that holds only while `key` is unchanged since it was read at `modRevision`. */
export function unchangedSince(key: string, modRevision: number): Compare {
  return { key, target: 'modRevision', op: '=', value: modRevision };
}
