import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { Logger } from '../logger.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import { campaign, type Leadership, whileLeading } from '../store/election.js';
import { keys, segmentIdOfKey } from '../store/keyspace.js';
import type { KvStore } from '../store/kv.js';
import { decodeSegmentRecord } from '../store/segment-record.js';
import { backoffDelay } from '../util/backoff.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { runKeySource } from './key-source.js';
import { runWorkers } from './run-workers.js';
import { createSegmentSyncReconciler, needsCreateSync } from './segment-sync-reconciler.js';
import { WorkQueue } from './work-queue.js';

/**
 * The controller: one per store, wherever it runs. Every seghub process campaigns; the leader runs
 * the reconcilers, the others wait to take over. Its writes are fenced by its leadership, so a
 * leader that lost its lease (a long pause, a partition) cannot overwrite its successor's work.
 */

const CONTROLLER_ELECTION = 'controller';

export interface ControllerOptions {
  store: KvStore;
  segments: SegmentService;
  clients: SdpClients;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Reconciles running at once. */
  workers: number;
  /** Every record is looked at again this often, whatever the watch said. */
  resyncMs: number;
  /** A crashed leader is replaced after at most this long. */
  leaseTtlSeconds: number;
}

export interface Controller {
  /** Stops reconciling, waits for running reconciles, and hands leadership over at once. */
  stop(): Promise<void>;
}

export function startController(options: ControllerOptions): Controller {
  const identity = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ component: 'controller', identity });
  const stopping = new AbortController();

  const loop = (async () => {
    for (let failures = 0; !stopping.signal.aborted; ) {
      let leadership: Leadership;
      try {
        leadership = await campaign(options.store, CONTROLLER_ELECTION, identity, {
          ttlSeconds: options.leaseTtlSeconds,
          signal: stopping.signal,
        });
      } catch (err) {
        if (stopping.signal.aborted) return;
        const wait = backoffDelay(failures++, { baseMs: 500, maxMs: 10_000 });
        log.warn({ err, nextDelayMs: wait }, 'campaign for controller leadership failed');
        await delay(wait, undefined, { signal: stopping.signal }).catch(() => {});
        continue;
      }
      failures = 0;
      log.info('leading: reconcilers started');
      options.metrics?.leader.set(1);
      await lead(options, leadership, AbortSignal.any([leadership.signal, stopping.signal]), log);
      options.metrics?.leader.set(0);
      if (stopping.signal.aborted) {
        await leadership
          .resign()
          .catch((err) => log.warn({ err }, 'resigning failed; the lease will expire'));
      } else {
        log.warn({ reason: String(leadership.signal.reason) }, 'leadership lost: reconcilers stopped');
      }
    }
  })();

  return {
    async stop() {
      if (stopping.signal.aborted) return loop;
      stopping.abort(new Error('controller stopping'));
      await loop;
      log.info('controller stopped');
    },
  };
}

/** One term of leadership: sources feed the queue, workers drain it, until the term ends. */
async function lead(options: ControllerOptions, leadership: Leadership, term: AbortSignal, log: Logger) {
  const queue = new WorkQueue<string>();
  const reconcile = createSegmentSyncReconciler({
    segments: options.segments,
    clients: options.clients,
    logger: options.logger,
    guard: [whileLeading(leadership)],
  });
  await Promise.all([
    runKeySource(options.store, keys.segments, {
      onKey: (key) => {
        const id = segmentIdOfKey(key);
        if (id !== undefined) queue.add(id);
      },
      filter: (kv) => {
        try {
          return needsCreateSync(decodeSegmentRecord(kv.key, kv.value));
        } catch {
          return false; // unreadable records are reported by whoever reads them; nothing to sync
        }
      },
      resyncMs: options.resyncMs,
      signal: term,
      logger: log,
    }),
    runWorkers(queue, reconcile, {
      workers: options.workers,
      signal: term,
      logger: log,
      name: 'segment-sync',
      observe: options.metrics?.observe,
    }),
  ]);
}
