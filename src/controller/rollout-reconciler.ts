import { needsRolloutWork, type RolloutEngine } from '../domain/rollouts/rollout-engine.js';
import type { WriteGuard } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { installKind, rolloutKind, seatGroupKeys, signingKeyKeys } from '../records/kinds.js';
import { runKeySource } from './key-source.js';
import { type OwnsName, ownsKeys } from './ownership.js';
import { type ReconcileObservation, runWorkers } from './run-workers.js';
import { WorkQueue } from './work-queue.js';

/**
 * Rollouts (SPEC-FLEET section 2), keyed by rollout id: a rollout is looked at when its head
 * changes (an operator acted, a pass wrote), when one of its install records changes (a step
 * started or ended), when a seat group changes (a freeze ends), at the time its last pass asked for (a soak check, a window, a retry, the
 * next poll of a running step), and at every resync.
 */

export interface RolloutReconcilerDeps {
  engine: RolloutEngine;
  logger: Logger;
  guard: WriteGuard;
  /** How often a running step's install log is read (`INSTALL_POLL_MS`). */
  pollMs: number;
  resyncMs: number;
  workers: number;
  /** Sharded mode: the segment names this member owns this term (absent: all). */
  owns?: OwnsName;
}

/** The leader's rollouts for its term. */
export async function runRollouts(
  store: KvStore,
  deps: RolloutReconcilerDeps,
  options: { signal: AbortSignal; observe?: (o: ReconcileObservation) => void },
): Promise<void> {
  const { signal } = options;
  const log = deps.logger.child({ component: 'rollouts' });
  const queue = new WorkQueue<string>();
  const source = { signal, logger: deps.logger };
  /** Rollout id → segment name, from the heads: what ownership is judged by (sharded mode). */
  const names = new Map<string, string>();
  await Promise.all([
    runKeySource(store, rolloutKind.prefix, {
      ...source,
      onKey: (key, kv) => {
        const id = rolloutKind.idOfKey(key);
        if (id === undefined) return;
        if (!kv) {
          names.delete(id);
          return;
        }
        if (deps.owns) names.set(id, rolloutKind.decode(key, kv.value).name);
        queue.add(id);
      },
      filter: (kv) => {
        try {
          return needsRolloutWork(rolloutKind.decode(kv.key, kv.value));
        } catch {
          return false; // an unreadable head is reported by whoever reads it
        }
      },
      resyncMs: deps.resyncMs,
    }),
    runKeySource(store, installKind.prefix, {
      ...source,
      onKey: (key, kv) => {
        if (!kv) return;
        const rolloutId = installKind.decode(key, kv.value).origin?.rolloutId;
        if (rolloutId !== undefined) queue.add(rolloutId);
      },
      filter: (kv) => {
        try {
          return installKind.decode(kv.key, kv.value).origin?.rolloutId !== undefined;
        } catch {
          return false;
        }
      },
      resyncMs: 0,
    }),
    // A group changed (frozen, thawed, relabelled): a rollout paused by a freeze may go on (D8). A
    // signing key changed (revoked): a running rollout to a protected group may have to pause.
    ...[seatGroupKeys.prefix, signingKeyKeys.prefix].map((prefix) =>
      runKeySource(store, prefix, {
        ...source,
        onKey: () => {
          deps.engine.activeIds().then(
            (ids) => {
              for (const id of ids) queue.add(id);
            },
            (err: unknown) => log.warn({ err, prefix }, 'active rollouts could not be listed after a change'),
          );
        },
        resyncMs: 0,
      }),
    ),
    runWorkers(
      queue,
      async (id: string) => {
        const outcome = await deps.engine.reconcile(id, deps.guard, deps.pollMs);
        if (outcome.action !== 'following' && outcome.action !== 'final' && outcome.action !== 'gone')
          log.info({ rollout: id, action: outcome.action }, 'rollout pass');
        return outcome.againInMs === undefined ? undefined : { requeueAfterMs: outcome.againInMs };
      },
      {
        workers: deps.workers,
        signal,
        logger: deps.logger,
        name: 'rollout',
        observe: options.observe,
        ...(deps.owns ? { owns: ownsKeys(deps.owns, (id: string) => names.get(id)) } : {}),
      },
    ),
  ]);
}
