import { Etcd3 } from 'etcd3';
import type { KvStore, WatchMessage } from '../../src/kv/kv.js';

/**
 * What seghub writes to etcd, measured from the store itself: a watch over a process's whole prefix
 * sees every transaction (one message per revision) with every key and value it put. Bytes are
 * key (with the prefix, as etcd stores it) plus value, the payload etcd keeps per revision; etcd's
 * own overhead (bbolt pages, the index, the raft log) comes on top and is what `dbSize` shows.
 */
export interface StoreTotals {
  /** Transactions (revisions). */
  txns: number;
  /** Keys put or deleted, as a watcher receives them: one event each. */
  events: number;
  puts: number;
  deletes: number;
  /** Key + value bytes of every put. */
  bytes: number;
  /** The largest transaction (key + value bytes of its puts) and the largest value. */
  maxTxnBytes: number;
  maxValueBytes: number;
  /** Bytes by the key's first path segment (`installs`, `install-logs`, `seats`, ...). */
  bytesByFamily: Record<string, number>;
}

export function emptyTotals(): StoreTotals {
  return {
    txns: 0,
    events: 0,
    puts: 0,
    deletes: 0,
    bytes: 0,
    maxTxnBytes: 0,
    maxValueBytes: 0,
    bytesByFamily: {},
  };
}

/** Adds one revision's events to `totals`; returns the bytes it put. */
export function addMessage(
  totals: StoreTotals,
  message: Extract<WatchMessage, { kind: 'events' }>,
  prefixBytes: number,
): number {
  let txnBytes = 0;
  totals.txns++;
  for (const e of message.events) {
    totals.events++;
    if (e.type !== 'put') {
      totals.deletes++;
      continue;
    }
    totals.puts++;
    const value = Buffer.byteLength(e.kv.value);
    const bytes = prefixBytes + Buffer.byteLength(e.kv.key) + value;
    txnBytes += bytes;
    totals.maxValueBytes = Math.max(totals.maxValueBytes, value);
    const family = e.kv.key.split('/')[0] || '(root)';
    totals.bytesByFamily[family] = (totals.bytesByFamily[family] ?? 0) + bytes;
  }
  totals.bytes += txnBytes;
  totals.maxTxnBytes = Math.max(totals.maxTxnBytes, txnBytes);
  return txnBytes;
}

/**
 * Meters everything written under the store's prefix from `start()` until `stop()`. `onMessage`
 * sees each revision as it comes (a case ends its timing on one).
 */
export async function meterStore(
  store: KvStore,
  prefix: string,
  onMessage: (message: Extract<WatchMessage, { kind: 'events' }>, txnBytes: number) => void = () => {},
) {
  const totals = emptyTotals();
  const watch = store.watch('');
  await watch.ready;
  const prefixBytes = Buffer.byteLength(prefix);
  const loop = (async () => {
    for await (const message of watch) {
      if (message.kind !== 'events') throw new Error('the meter watch was compacted');
      onMessage(message, addMessage(totals, message, prefixBytes));
    }
  })();
  return {
    totals,
    async stop(): Promise<StoreTotals> {
      await watch.close();
      await loop;
      return totals;
    },
  };
}

/** etcd's own view: its revision and the size of its database file (bbolt), allocated and in use. */
export async function etcdStatus(endpoints: string[]) {
  const etcd = new Etcd3({ hosts: endpoints });
  try {
    const status = await etcd.maintenance.status();
    return {
      revision: Number(status.header.revision),
      dbSize: Number(status.dbSize),
      dbSizeInUse: Number((status as { dbSizeInUse?: string }).dbSizeInUse ?? status.dbSize),
    };
  } finally {
    etcd.close();
  }
}

/** Sums `bytesByFamily` into a short text, largest first. */
export function familiesText(byFamily: Record<string, number>): string {
  return Object.entries(byFamily)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${Math.round(v / 1024)} KiB`)
    .join(', ');
}
