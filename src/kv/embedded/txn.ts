import {
  type Compare,
  InvalidRequestError,
  type KeyValue,
  LeaseNotFoundError,
  MAX_REQUEST_BYTES,
  MAX_TXN_OPS,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type WatchEvent,
} from '../kv.js';
import type { KvState } from './kv-state.js';
import type { Change } from './records.js';

export interface TxnOutcome {
  succeeded: boolean;
  results: TxnOpResult[];
  /** What to log; empty when the transaction changed nothing. */
  changes: Change[];
  events: WatchEvent[];
}

/**
 * Runs a transaction against `state` as revision `state.revision + 1`, mutating it. Everything
 * that can refuse the request is checked before the first mutation, so a throw leaves the state
 * untouched. Later ops see the writes of earlier ones, as in etcd.
 */
export function runTxn(state: KvState, request: TxnRequest): TxnOutcome {
  checkShape(request);
  const succeeded = request.compare.every((c) => compareHolds(state.get(c.key), c));
  const ops = (succeeded ? request.success : request.failure) ?? [];
  validateOps(state, ops);

  const rev = state.revision + 1;
  const results: TxnOpResult[] = [];
  const changes: Change[] = [];
  const events: WatchEvent[] = [];
  for (const op of ops) {
    switch (op.type) {
      case 'get': {
        const kv = state.get(op.key);
        results.push({ type: 'get', kv: kv && { ...kv } });
        break;
      }
      case 'put':
        events.push(state.put(op.key, op.value, op.lease, rev));
        changes.push(op.lease === undefined ? { type: 'put', key: op.key, value: op.value } : { ...op });
        results.push({ type: 'put' });
        break;
      case 'delete':
        results.push({ type: 'delete', deleted: deleteKeys(state, [op.key], rev, changes, events) });
        break;
      case 'deletePrefix': {
        const keys = state.keysWithPrefix(op.prefix);
        results.push({ type: 'deletePrefix', deleted: deleteKeys(state, keys, rev, changes, events) });
        break;
      }
    }
  }
  if (changes.length > 0) state.revision = rev;
  return { succeeded, results, changes, events };
}

function deleteKeys(
  state: KvState,
  keys: readonly string[],
  rev: number,
  changes: Change[],
  events: WatchEvent[],
): number {
  let deleted = 0;
  for (const key of keys) {
    const event = state.delete(key, rev);
    if (!event) continue;
    deleted++;
    events.push(event);
    changes.push({ type: 'delete', key });
  }
  return deleted;
}

/** A missing key compares as revisions/version 0; a value compare on a missing key never holds (etcd). */
function compareHolds(kv: KeyValue | undefined, compare: Compare): boolean {
  if (compare.target === 'value') {
    if (!kv) return false;
    return compare.op === '=' ? kv.value === compare.value : kv.value !== compare.value;
  }
  const actual = kv ? kv[compare.target] : 0;
  switch (compare.op) {
    case '=':
      return actual === compare.value;
    case '!=':
      return actual !== compare.value;
    case '<':
      return actual < compare.value;
    case '>':
      return actual > compare.value;
  }
}

/**
 * etcd refuses a branch that writes one key twice or puts a key that a delete of the same branch
 * covers, since one revision cannot order them; the embedded store refuses the same so code that
 * works here works there.
 */
function validateOps(state: KvState, ops: readonly TxnOp[]): void {
  const putKeys = new Set<string>();
  for (const op of ops) {
    if (op.type === 'deletePrefix') continue;
    checkKey(op.key);
    if (op.type !== 'put') continue;
    if (putKeys.has(op.key)) throw new InvalidRequestError(`duplicate key in txn: ${JSON.stringify(op.key)}`);
    putKeys.add(op.key);
    if (op.lease !== undefined && !state.leases.has(op.lease)) {
      throw new LeaseNotFoundError(`lease ${op.lease} not found`);
    }
  }
  for (const op of ops) {
    const covered =
      op.type === 'delete'
        ? putKeys.has(op.key)
        : op.type === 'deletePrefix' && [...putKeys].some((k) => k.startsWith(op.prefix));
    if (covered) throw new InvalidRequestError('txn puts a key that it also deletes');
  }
}

const COMPARE_OPS = new Set(['=', '!=', '<', '>']);
const REVISION_TARGETS = new Set(['createRevision', 'modRevision', 'version']);

/**
 * Refuses malformed requests up front (from untyped callers): a bad value must neither reach the
 * log, where replay would reject it, nor fail half-way through applying a transaction.
 */
function checkShape(request: TxnRequest): void {
  const { compare, success, failure } = request ?? {};
  if (
    !Array.isArray(compare) ||
    !Array.isArray(success) ||
    (failure !== undefined && !Array.isArray(failure))
  ) {
    throw new InvalidRequestError('txn needs compare and success arrays');
  }
  for (const c of compare) {
    checkKey(c?.key);
    const valid =
      c.target === 'value'
        ? typeof c.value === 'string' && (c.op === '=' || c.op === '!=')
        : REVISION_TARGETS.has(c.target) && COMPARE_OPS.has(c.op) && typeof c.value === 'number';
    if (!valid) throw new InvalidRequestError(`invalid compare on ${JSON.stringify(c.key)}`);
  }
  for (const op of [...success, ...(failure ?? [])]) {
    const valid =
      op?.type === 'deletePrefix'
        ? typeof op.prefix === 'string'
        : (op?.type === 'get' || op?.type === 'delete' || op?.type === 'put') && typeof op.key === 'string';
    if (!valid) throw new InvalidRequestError(`invalid txn op ${JSON.stringify(op)}`);
    if (
      op.type === 'put' &&
      (typeof op.value !== 'string' || !['string', 'undefined'].includes(typeof op.lease))
    ) {
      throw new InvalidRequestError(`put of ${JSON.stringify(op.key)} needs a string value and lease`);
    }
  }
  checkLimits(request);
}

/** etcd's defaults (`kv.ts`): the embedded store refuses what etcd would. */
function checkLimits({ compare, success, failure = [] }: TxnRequest): void {
  if (compare.length > MAX_TXN_OPS || success.length > MAX_TXN_OPS || failure.length > MAX_TXN_OPS) {
    throw new InvalidRequestError(`too many operations in txn request (etcd allows ${MAX_TXN_OPS} a branch)`);
  }
  let bytes = 0;
  for (const c of compare)
    bytes += Buffer.byteLength(c.key) + (c.target === 'value' ? Buffer.byteLength(c.value) : 8);
  for (const op of [...success, ...failure]) {
    if (op.type === 'deletePrefix') bytes += Buffer.byteLength(op.prefix);
    else bytes += Buffer.byteLength(op.key) + (op.type === 'put' ? Buffer.byteLength(op.value) : 0);
  }
  if (bytes > MAX_REQUEST_BYTES) {
    throw new InvalidRequestError(`request is too large: ${bytes} bytes (etcd allows ${MAX_REQUEST_BYTES})`);
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0)
    throw new InvalidRequestError('key must be a non-empty string');
}
