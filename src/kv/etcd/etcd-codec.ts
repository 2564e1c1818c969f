import {
  ClientClosedError,
  EtcdLeaseInvalidError,
  GRPCResourceExhastedError,
  GRPCUnavailableError,
  type IKeyValue,
  isRecoverableError,
} from 'etcd3';
import {
  InvalidRequestError,
  type KeyValue,
  KvError,
  LeaseNotFoundError,
  StoreUnavailableError,
} from '../kv.js';

/**
 * Translation between seghub's KV model (string keys without the deployment prefix, numeric
 * revisions, typed errors) and etcd3's raw gRPC shapes (prefixed Buffers, int64 as strings).
 */

/** A contiguous etcd key range: `[key, rangeEnd)`; an absent `rangeEnd` names the single key. */
export interface ByteRange {
  key: Buffer;
  range_end?: Buffer;
}

/** `[0]` as range_end means "to the end of the keyspace" in etcd. */
const END_OF_KEYSPACE = Buffer.from([0]);

export class KeySpace {
  private readonly prefix: Buffer;

  constructor(prefix: string) {
    this.prefix = Buffer.from(prefix, 'utf8');
  }

  key(key: string): Buffer {
    return Buffer.concat([this.prefix, Buffer.from(key, 'utf8')]);
  }

  /** Every key starting with `prefix` (below the deployment prefix). */
  prefixRange(prefix: string): ByteRange & { range_end: Buffer } {
    const start = this.key(prefix);
    if (start.length === 0) return { key: END_OF_KEYSPACE, range_end: END_OF_KEYSPACE };
    return { key: start, range_end: rangeEndForPrefix(start) };
  }

  /** Keys under `prefix` strictly after `after`: the next page of a cursor-paginated range. */
  rangeAfter(prefix: string, after: string): ByteRange & { range_end: Buffer } {
    const whole = this.prefixRange(prefix);
    // The smallest key greater than `after` is `after` followed by a zero byte.
    const next = Buffer.concat([this.key(after), END_OF_KEYSPACE]);
    return { key: Buffer.compare(next, whole.key) > 0 ? next : whole.key, range_end: whole.range_end };
  }

  strip(key: Buffer): string {
    if (!key.subarray(0, this.prefix.length).equals(this.prefix)) {
      throw new KvError(`etcd returned key ${key.toString()} outside the store prefix`);
    }
    return key.subarray(this.prefix.length).toString('utf8');
  }
}

/** The first key after every key that starts with `prefix`. */
function rangeEndForPrefix(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return END_OF_KEYSPACE;
}

/** etcd sends int64 as decimal strings; seghub's revisions stay far below 2^53. */
export function revision(value: string | number | undefined | null): number {
  return value === undefined || value === null || value === '' ? 0 : Number(value);
}

export function toKeyValue(kv: IKeyValue, keys: KeySpace): KeyValue {
  const result: KeyValue = {
    key: keys.strip(kv.key),
    value: kv.value ? kv.value.toString('utf8') : '',
    createRevision: revision(kv.create_revision),
    modRevision: revision(kv.mod_revision),
    version: revision(kv.version),
  };
  if (kv.lease && kv.lease !== '0') result.lease = kv.lease;
  return result;
}

/** Every endpoint failed moments ago, so the call was not even attempted. */
export class EndpointDownError extends Error {
  override name = 'EndpointDownError';
}

/**
 * grpc-js ends a connection failure with ". Resolution note: <note>" even when it has no note, so
 * `/readyz` and logs showed a dangling "Resolution note:". The empty tail is dropped; a real note stays.
 */
export function etcdMessage(error: Error): string {
  return error.message.replace(/\.? Resolution note: *$/, '');
}

/** Maps etcd3's error zoo onto the store's typed errors, keeping the original as `cause`. */
export function toStoreError(error: unknown, operation: string): Error {
  if (error instanceof KvError) return error;
  if (!(error instanceof Error)) return new KvError(`etcd ${operation} failed: ${String(error)}`);
  const message = etcdMessage(error);
  if (error instanceof EndpointDownError) {
    return new StoreUnavailableError(`etcd ${operation}: ${message}`, { cause: error });
  }
  if (error instanceof EtcdLeaseInvalidError || /requested lease not found/.test(error.message)) {
    return new LeaseNotFoundError(`etcd ${operation}: lease not found`, { cause: error });
  }
  if (
    /etcdserver: (duplicate key given in txn request|key is not provided|too many operations in txn request|request is too large)|larger than max/.test(
      error.message,
    )
  ) {
    return new InvalidRequestError(`etcd ${operation}: ${message}`, { cause: error });
  }
  if (error instanceof ClientClosedError) {
    return new KvError(`etcd ${operation}: the store is closed`, { cause: error });
  }
  // etcd3 tags transport and server-overload failures (unavailable, deadline, reset streams,
  // "etcdserver: request timed out", leader changes) as recoverable: the store may answer later.
  if (isRecoverableError(error)) {
    return new StoreUnavailableError(`etcd ${operation}: ${message}`, { cause: error });
  }
  return new KvError(`etcd ${operation}: ${message}`, { cause: error });
}

/** Worth another attempt for a read: the request had no effect whatever happened. */
export function isRetryableRead(error: unknown): boolean {
  return (
    error instanceof GRPCUnavailableError ||
    error instanceof GRPCResourceExhastedError ||
    error instanceof EndpointDownError
  );
}

/**
 * Worth another attempt even for a write: gRPC never sent it, because no connection to the chosen
 * endpoint existed. A write that failed after being sent may have been applied and is not retried.
 */
export function isNeverSent(error: unknown): boolean {
  return (
    error instanceof EndpointDownError ||
    (error instanceof GRPCUnavailableError && /No connection established/.test(error.message))
  );
}
