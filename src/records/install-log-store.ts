import type { KvStore, TxnOp } from '../kv/kv.js';
import {
  emptyChunks,
  type InstallLogSummary,
  type LogChunk,
  logChunkCodec,
  logSummaryCodec,
} from './install-log-schema.js';
import { keys } from './keyspace.js';

/** The store side of install logs (see `install-log-schema.ts`); records write them in their transactions. */

/** A log as read, with the summary's revision: log writes compare it, so two writers never interleave. */
export interface StoredLog {
  readonly recordId: string;
  readonly summary: InstallLogSummary;
  /** In chunk order. */
  readonly chunks: LogChunk[];
  readonly summaryRevision: number;
}

/** A log write: the new summary, the chunks that changed, and the revision the summary had when read. */
export interface LogWrite {
  readonly summaryRevision: number;
  readonly summary: InstallLogSummary;
  readonly chunks: ReadonlyMap<number, LogChunk>;
}

/** A record's log, or undefined when it has none. */
export async function readInstallLog(store: KvStore, id: string): Promise<StoredLog | undefined> {
  const { kvs } = await store.range(keys.installLog(id));
  const summaryKey = keys.installLogSummary(id);
  const summaryKv = kvs.find((kv) => kv.key === summaryKey);
  if (!summaryKv) return undefined;
  const summary = logSummaryCodec.decode(summaryKv.key, summaryKv.value);
  // A chunk no poll has written yet holds seats that are all still PENDING (see `InstallRecords.create`).
  const chunks = emptyChunks(summary.total);
  const chunkPrefix = keys.installLogChunks(id);
  for (const kv of kvs) {
    const n = kv.key.startsWith(chunkPrefix) ? Number(kv.key.slice(chunkPrefix.length)) : -1;
    if (n >= 0 && n < chunks.length) chunks[n] = logChunkCodec.decode(kv.key, kv.value);
  }
  return { recordId: id, summary, chunks, summaryRevision: summaryKv.modRevision };
}

export function logChunkOps(id: string, chunks: ReadonlyMap<number, LogChunk>): TxnOp[] {
  return [...chunks].map(([n, chunk]) => ({
    type: 'put',
    key: keys.installLogChunk(id, n),
    value: logChunkCodec.encode(chunk),
  }));
}

/** The summary goes after the chunks: a watcher that sees it knows the chunks written with it came before. */
export function summaryOp(id: string, summary: InstallLogSummary): TxnOp {
  return { type: 'put', key: keys.installLogSummary(id), value: logSummaryCodec.encode(summary) };
}
