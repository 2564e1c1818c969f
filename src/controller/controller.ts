import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConvergeService } from '../domain/desired-versions/converge-service.js';
import type { GroupService } from '../domain/groups/group-service.js';
import type { InstallService, SeatDirectory } from '../domain/installs/install-service.js';
import type { RolloutEngine } from '../domain/rollouts/rollout-engine.js';
import type { RemoteSyncService } from '../domain/segments/remote-sync-service.js';
import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import { campaign, type Leadership, whileLeading } from '../kv/election.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { controllerElection, controllerMembership, installKind, segmentKind } from '../records/kinds.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import { backoffDelay } from '../util/backoff.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { runConverge } from './converge-reconciler.js';
import { createInstallReconciler, needsInstallWork } from './install-reconciler.js';
import { runMember } from './member-loop.js';
import { nameOfInstallId, nameOfSegmentId, type OwnsName } from './ownership.js';
import { runPromotion } from './promotion-reconciler.js';
import { runRecordReconciler } from './record-reconciler.js';
import { runRemoteSync } from './remote-sync-reconciler.js';
import { runRollouts } from './rollout-reconciler.js';
import { createSegmentReconciler, needsSegmentReconcile } from './segment-reconciler.js';
import { type ControllerTrust, migrateLifecycles, runIntegrityPass } from './trust-work.js';

/**
 * The controller: one per store, wherever it runs. Every seghub process campaigns; the leader runs
 * the reconcilers, the others wait to take over. Its writes are fenced by its leadership, so a
 * leader that lost its lease (a long pause, a partition) cannot overwrite its successor's work.
 * In sharded mode (`sharding`) every process is also a controller member (`member-loop.ts`): the
 * work keyed by segment name is shared out among the members, and the leader keeps the singletons.
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
  /** Signed segments (SPEC-FLEET section 3): the D9 migration, the promotion gate, the file checks. */
  trust?: ControllerTrust;
  /** The time install timeouts are judged by (the rollouts' clock; tests inject one). */
  now?: () => Date;
  /**
   * `CONTROLLER_MODE=sharded` (SPEC-FLEET section 6): every replica reconciles the segment names
   * it owns as a member; the elected leader keeps the singletons. Absent: the leader does all.
   */
  sharding?: { memberId: string; memberTtlSeconds: number };
}

export interface Controller {
  /** Stops reconciling, waits for running reconciles, and hands leadership over at once. */
  stop(): Promise<void>;
}

export function startController(options: ControllerOptions): Controller {
  const identity = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ component: 'controller', identity });
  const stopping = new AbortController();

  const leaderLoop = (async () => {
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
  const { sharding } = options;
  const memberLoop =
    sharding &&
    runMember(
      {
        store: options.store,
        keys: controllerMembership,
        memberId: sharding.memberId,
        ttlSeconds: sharding.memberTtlSeconds,
        logger: options.logger,
        maxListeners: maxTermListeners(options),
        signal: stopping.signal,
      },
      (guard, term, owns) => runOwned(options, guard, term, owns, log),
    );
  const loop = Promise.all([leaderLoop, memberLoop]).then(() => undefined);

  return {
    async stop() {
      if (stopping.signal.aborted) return loop;
      stopping.abort(new Error('controller stopping'));
      await loop;
      log.info('controller stopped');
    },
  };
}

const recordOptions = (options: ControllerOptions, signal: AbortSignal, logger: Logger) => ({
  store: options.store,
  workers: options.workers,
  resyncMs: options.resyncMs,
  signal,
  logger,
  ...(options.metrics ? { observe: options.metrics.observe } : {}),
});

// Every SDP call in flight listens on the term: reconcilers × workers of them, legitimately.
const maxTermListeners = (options: ControllerOptions) => Math.max(64, options.workers * 8);

/**
 * One term of leadership: each reconciler's source feeds its queue and workers drain it, until the
 * term ends. In sharded mode the leader keeps only the singletons; the members reconcile the rest.
 */
async function lead(options: ControllerOptions, leadership: Leadership, term: AbortSignal, log: Logger) {
  const guard = [whileLeading(leadership)];
  setMaxListeners(maxTermListeners(options), term);
  if (options.trust) await migrateLifecycles(options.trust.lifecycle, guard, log);
  await Promise.all([
    options.sharding ? undefined : runOwned(options, guard, term, undefined, log),
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
    options.trust &&
      runIntegrityPass(
        options.store,
        options.trust,
        { ...options, guard, now: options.now },
        { signal: term, observe: options.metrics?.observe },
      ),
  ]);
}

/**
 * The work keyed by segment name: everything in leader mode, a member's share in sharded mode
 * (`owns`; `guard` then fences on the member key and the epoch instead of leadership).
 */
async function runOwned(
  options: ControllerOptions,
  guard: WriteGuard,
  term: AbortSignal,
  owns: OwnsName | undefined,
  log: Logger,
) {
  const sharded = owns ? { owns } : {};
  await Promise.all([
    runRecordReconciler(recordOptions(options, term, log), {
      nameOf: nameOfSegmentId,
      ...sharded,
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
    runRecordReconciler(recordOptions(options, term, log), {
      name: 'install',
      kind: installKind,
      wants: needsInstallWork,
      nameOf: nameOfInstallId,
      ...sharded,
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
          ...sharded,
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
          ...sharded,
        },
        { signal: term, observe: options.metrics?.observe },
      ),
    options.trust &&
      runPromotion(
        options.store,
        {
          logger: options.logger,
          guard,
          resyncMs: options.resyncMs,
          promotion: options.trust.promotion,
          groups: options.trust.groups,
          workers: options.workers,
          ...sharded,
        },
        { signal: term, observe: options.metrics?.observe },
      ),
  ]);
}
