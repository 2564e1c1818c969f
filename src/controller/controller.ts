import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConvergeService } from '../domain/desired-versions/converge-service.js';
import type { GroupService } from '../domain/groups/group-service.js';
import type { InstallService, SeatDirectory } from '../domain/installs/install-service.js';
import type { RolloutEngine } from '../domain/rollouts/rollout-engine.js';
import type { RemoteSyncService } from '../domain/segments/remote-sync-service.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import { campaign, type Leadership, whileLeading } from '../kv/election.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { controllerElection, installKind, type RecordKind, segmentKind } from '../records/kinds.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import { backoffDelay } from '../util/backoff.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { runConverge } from './converge-reconciler.js';
import { createInstallReconciler, needsInstallWork } from './install-reconciler.js';
import { runKeySource } from './key-source.js';
import { runRemoteSync } from './remote-sync-reconciler.js';
import { runRollouts } from './rollout-reconciler.js';
import { type Reconcile, runWorkers } from './run-workers.js';
import { createSegmentReconciler, needsSegmentReconcile } from './segment-reconciler.js';
import { WorkQueue } from './work-queue.js';

/**
 * The controller: one per store, wherever it runs. Every seghub process campaigns; the leader runs
 * the reconcilers, the others wait to take over. Its writes are fenced by its leadership, so a
 * leader that lost its lease (a long pause, a partition) cannot overwrite its successor's work.
 */

/** The election every seghub process of one store campaigns in (its key prefix). */
export const CONTROLLER_ELECTION = controllerElection;

export interface ControllerOptions {
  store: KvStore;
  segments: SegmentService;
  remoteSync: RemoteSyncService;
  installs: InstallService;
  seats: SeatDirectory;
  clients: SdpClients;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** Reconciles running at once. */
  workers: number;
  /** Every record is looked at again this often, whatever the watch said. */
  resyncMs: number;
  /** A crashed leader is replaced after at most this long. */
  leaseTtlSeconds: number;
  install: { pollMs: number; timeoutMs: number; historyKeep: number };
  /** The leader syncs each target with SDP this often (`REMOTE_SYNC_INTERVAL_MS`), and on request. */
  remoteSyncIntervalMs: number;
  /** Keeps seat groups on their desired versions (D4); absent: no converge. */
  converge?: { service: ConvergeService; groups: GroupService };
  /** Drives staged rollouts (SPEC-FLEET section 2); absent: rollouts wait. */
  rollouts?: RolloutEngine;
  /** The time install timeouts are judged by (the rollouts' clock; tests inject one). */
  now?: () => Date;
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

/** One term of leadership: each reconciler's source feeds its queue and workers drain it, until the term ends. */
async function lead(options: ControllerOptions, leadership: Leadership, term: AbortSignal, log: Logger) {
  const guard = [whileLeading(leadership)];
  // Every SDP call in flight listens on the term: reconcilers × workers of them, legitimately.
  setMaxListeners(Math.max(64, options.workers * 8), term);
  await Promise.all([
    runReconciler(options, term, log, {
      name: 'segment',
      kind: segmentKind,
      wants: needsSegmentReconcile,
      reconcile: createSegmentReconciler({
        segments: options.segments,
        clients: options.clients,
        logger: options.logger,
        guard,
      }),
    }),
    runReconciler(options, term, log, {
      name: 'install',
      kind: installKind,
      wants: needsInstallWork,
      reconcile: createInstallReconciler({
        installs: options.installs,
        segments: options.segments,
        seats: options.seats,
        clients: options.clients,
        logger: options.logger,
        guard,
        pollMs: options.install.pollMs,
        timeoutMs: options.install.timeoutMs,
        historyKeep: options.install.historyKeep,
        ...(options.now ? { now: options.now } : {}),
      }),
    }),
    runRemoteSync(
      options.store,
      {
        segments: options.segments,
        remoteSync: options.remoteSync,
        clients: options.clients,
        logger: options.logger,
        guard,
        intervalMs: options.remoteSyncIntervalMs,
      },
      { signal: term, observe: options.metrics?.observe },
    ),
    options.converge &&
      runConverge(
        options.store,
        {
          converge: options.converge.service,
          groups: options.converge.groups,
          logger: options.logger,
          guard,
          pollMs: options.install.pollMs,
          resyncMs: options.resyncMs,
          workers: options.workers,
        },
        { signal: term, observe: options.metrics?.observe },
      ),
    options.rollouts &&
      runRollouts(
        options.store,
        {
          engine: options.rollouts,
          logger: options.logger,
          guard,
          pollMs: options.install.pollMs,
          resyncMs: options.resyncMs,
          workers: options.workers,
        },
        { signal: term, observe: options.metrics?.observe },
      ),
  ]);
}

interface ReconcilerSpec<R> {
  name: string;
  /** The records it looks after, and how a key names one. */
  kind: RecordKind<string, R>;
  /** Records that need no work are skipped without queueing. */
  wants: (record: R) => boolean;
  reconcile: Reconcile<string>;
}

/** One reconciler: its own queue (duplicate keys collapse, failures back off per key) and workers. */
async function runReconciler<R>(
  options: ControllerOptions,
  term: AbortSignal,
  log: Logger,
  spec: ReconcilerSpec<R>,
) {
  const queue = new WorkQueue<string>();
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
          return spec.wants(spec.kind.decode(kv.key, kv.value));
        } catch {
          return false; // unreadable records are reported by whoever reads them; nothing to do
        }
      },
      resyncMs: options.resyncMs,
      signal: term,
      logger: log,
    }),
    runWorkers(queue, spec.reconcile, {
      workers: options.workers,
      signal: term,
      logger: log,
      name: spec.name,
      observe: options.metrics?.observe,
    }),
  ]);
}
