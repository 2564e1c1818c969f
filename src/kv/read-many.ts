import { type KeyValue, type KvStore, MAX_TXN_OPS } from './kv.js';

/** Below this many keys, batched gets; at or above it, a range may be cheaper (see `readMany`). */
const RANGE_MIN_KEYS = 512;
/** A full range is chosen while the prefix holds at most this many keys per key asked for. */
const RANGE_MAX_SPARSENESS = 4;
const RANGE_PAGE = 2000;
/** Batches of gets in flight at once: enough to hide round trips, few enough not to flood etcd. */
const PARALLEL_BATCHES = 4;

/**
 * The key-values of `keys` (each under `prefix`), absent keys left out. Few keys are fetched as
 * transactions of up to 128 gets each (one round trip per 128 keys); many keys, when they make up
 * a good share of the prefix, by one paged range over the prefix, which reads 10,000 seats in a
 * handful of requests instead of ~80.
 */
export async function readMany(
  kv: KvStore,
  prefix: string,
  keys: readonly string[],
): Promise<Map<string, KeyValue>> {
  const wanted = [...new Set(keys)];
  if (wanted.length >= RANGE_MIN_KEYS) {
    const { count } = await kv.range(prefix, { limit: 1, keysOnly: true });
    if (count <= wanted.length * RANGE_MAX_SPARSENESS) return rangeFiltered(kv, prefix, new Set(wanted));
  }
  return getBatched(kv, wanted);
}

async function rangeFiltered(
  kv: KvStore,
  prefix: string,
  wanted: Set<string>,
): Promise<Map<string, KeyValue>> {
  const found = new Map<string, KeyValue>();
  let startAfter: string | undefined;
  for (;;) {
    const page = await kv.range(prefix, { limit: RANGE_PAGE, startAfter });
    for (const entry of page.kvs) if (wanted.has(entry.key)) found.set(entry.key, entry);
    if (!page.more || page.kvs.length === 0) return found;
    startAfter = page.kvs.at(-1)!.key;
  }
}

async function getBatched(kv: KvStore, keys: readonly string[]): Promise<Map<string, KeyValue>> {
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += MAX_TXN_OPS) batches.push(keys.slice(i, i + MAX_TXN_OPS));
  const found = new Map<string, KeyValue>();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      for (const entry of await getInOneTxn(kv, batch)) found.set(entry.key, entry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  return found;
}

async function getInOneTxn(kv: KvStore, keys: readonly string[]): Promise<KeyValue[]> {
  if (keys.length === 1) {
    const entry = await kv.get(keys[0]!);
    return entry ? [entry] : [];
  }
  const { results } = await kv.txn({ compare: [], success: keys.map((key) => ({ type: 'get', key })) });
  return results.flatMap((result) => (result.type === 'get' && result.kv ? [result.kv] : []));
}
