import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import type { RecordKind } from '../records/kinds.js';
import { runKeySource } from './key-source.js';
import { type OwnsName, ownsKeys } from './ownership.js';
import { type Reconcile, type ReconcileObservation, runWorkers } from './run-workers.js';
import { WorkQueue } from './work-queue.js';

export interface RecordReconcilerOptions {
  store: KvStore;
  workers: number;
  resyncMs: number;
  /** The term: aborting stops the source and the workers. */
  signal: AbortSignal;
  logger: Logger;
  observe?: (observation: ReconcileObservation) => void;
}

export interface ReconcilerSpec<R> {
  name: string;
  /** The records it looks after, and how a key names one. */
  kind: RecordKind<string, R>;
  /** Records that need no work are skipped without queueing. */
  wants: (record: R) => boolean;
  /** The segment name an id belongs to: what ownership is judged by. */
  nameOf: (id: string) => string | undefined;
  /** Sharded mode: the names this member owns this term (absent: all). */
  owns?: OwnsName;
  reconcile: Reconcile<string>;
}

/** One reconciler: its own queue (duplicate keys collapse, failures back off per key) and workers. */
export async function runRecordReconciler<R>(options: RecordReconcilerOptions, spec: ReconcilerSpec<R>) {
  const queue = new WorkQueue<string>();
  const { owns } = spec;
  const owned = owns ? ownsKeys(owns, spec.nameOf) : undefined;
  await Promise.all([
    runKeySource(options.store, spec.kind.prefix, {
      onKey: (key, kv) => {
        // A key that is gone or no longer wanted needs no work; a reconcile already running for it
        // reads the record again before each write.
        if (kv === undefined) return;
        const id = spec.kind.idOfKey(key);
        if (id !== undefined) queue.add(id);
      },
      filter: (kv) => {
        try {
          if (owned) {
            // Another member's key: not this member's to look at (decoding it would be wasted).
            const id = spec.kind.idOfKey(kv.key);
            if (id === undefined || !owned(id)) return false;
          }
          return spec.wants(spec.kind.decode(kv.key, kv.value));
        } catch {
          return false; // unreadable records are reported by whoever reads them; nothing to do
        }
      },
      resyncMs: options.resyncMs,
      signal: options.signal,
      logger: options.logger,
    }),
    runWorkers(queue, spec.reconcile, {
      workers: options.workers,
      signal: options.signal,
      logger: options.logger,
      name: spec.name,
      ...(options.observe ? { observe: options.observe } : {}),
      ...(owned ? { owns: owned } : {}),
    }),
  ]);
}
