import type { ConvergeService } from '../domain/desired-versions/converge-service.js';
import type { GroupService, MembershipEvent } from '../domain/groups/group-service.js';
import type { WriteGuard } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import {
  activeNameInstallKind,
  activeRolloutKind,
  desiredVersionKind,
  seatListNameKind,
} from '../records/kinds.js';
import { runKeySource } from './key-source.js';
import type { OwnsName } from './ownership.js';
import { type ReconcileObservation, type ReconcileResult, runWorkers } from './run-workers.js';
import { WorkQueue } from './work-queue.js';

/**
 * Converge (D4), keyed by segment name: a name is looked at whenever one of its desired versions
 * is set, a seat joins a group that desires a version of it (labels, a new seat, a changed
 * selector), a seat list of one of its versions changes (a seat lost the version), or an install of
 * it ends; at any group change (a freeze may have ended); and at every resync. Each pass is
 * `ConvergeService.converge`, which reads everything again.
 */

export interface ConvergeDeps {
  converge: ConvergeService;
  groups: GroupService;
  logger: Logger;
  guard: WriteGuard;
  /** How long to wait before looking at a running batch again. */
  pollMs: number;
  resyncMs: number;
  workers: number;
  /** Sharded mode: the names this member owns this term (absent: all). */
  owns?: OwnsName;
}

function createConvergeReconciler(deps: ConvergeDeps) {
  const log = deps.logger.child({ component: 'converge' });
  return async function reconcile(name: string): Promise<ReconcileResult> {
    const outcome = await deps.converge.converge(name, deps.guard, deps.pollMs);
    if (outcome.action === 'started') log.info({ name, ...outcome }, 'converge batch started');
    else if (outcome.action === 'blocked')
      log.warn({ name, error: outcome.error }, 'converge cannot start a batch');
    return outcome.againInMs === undefined ? undefined : { requeueAfterMs: outcome.againInMs };
  };
}

/** The leader's converge for its term. */
export async function runConverge(
  store: KvStore,
  deps: ConvergeDeps,
  options: { signal: AbortSignal; observe?: (o: ReconcileObservation) => void },
): Promise<void> {
  const { signal } = options;
  const queue = new WorkQueue<string>();
  /** group → the names it desires a version of; kept from the desired-version keys. */
  const byGroup = new Map<string, Set<string>>();
  const names = new Map<string, number>();
  const track = (group: string, name: string, present: boolean) => {
    const held = byGroup.get(group) ?? new Set<string>();
    if (present === held.has(name)) return;
    if (present) held.add(name);
    else held.delete(name);
    byGroup.set(group, held);
    names.set(name, (names.get(name) ?? 0) + (present ? 1 : -1));
    if ((names.get(name) ?? 0) <= 0) names.delete(name);
  };
  const addGroup = (group: string) => {
    for (const name of byGroup.get(group) ?? []) queue.add(name);
  };
  const onMembership = (event: MembershipEvent) => {
    // Seats that leave a group keep what they run: only joins need work.
    // A group change may also be a freeze ending (D8), which frees seats converge of any name waits
    // for: group changes are rare, so every name is looked at again.
    if (event.kind === 'seat') for (const group of event.joined) addGroup(group);
    else for (const name of names.keys()) queue.add(name);
  };
  const unsubscribe = deps.groups.onMembershipChange(onMembership);
  const source = { signal, logger: deps.logger };
  try {
    await Promise.all([
      runKeySource(store, desiredVersionKind.prefix, {
        ...source,
        onKey: (key, kv) => {
          const at = desiredVersionKind.idOfKey(key);
          if (!at) return;
          track(at.group, at.name, kv !== undefined);
          if (kv) queue.add(at.name);
        },
        resyncMs: deps.resyncMs,
      }),
      // A name's install ended (its marker went): its drift may have changed, or a batch is done.
      runKeySource(store, activeNameInstallKind.prefix, {
        ...source,
        onKey: (key) => {
          const name = activeNameInstallKind.idOfKey(key);
          if (name !== undefined && names.has(name)) queue.add(name);
        },
        resyncMs: 0,
      }),
      // A rollout of a name ended (its marker went): converge, held while it ran (D4), looks again.
      runKeySource(store, activeRolloutKind.prefix, {
        ...source,
        onKey: (key, kv) => {
          const name = activeRolloutKind.idOfKey(key);
          if (kv === undefined && name !== undefined && names.has(name)) queue.add(name);
        },
        resyncMs: 0,
      }),
      runKeySource(store, seatListNameKind.prefix, {
        ...source,
        onKey: (key) => {
          const name = seatListNameKind.idOfKey(key);
          if (name !== undefined && names.has(name)) queue.add(name);
        },
        resyncMs: 0,
      }),
      runWorkers(queue, createConvergeReconciler(deps), {
        workers: deps.workers,
        signal,
        logger: deps.logger,
        name: 'converge',
        observe: options.observe,
        ...(deps.owns ? { owns: deps.owns } : {}),
      }),
    ]);
  } finally {
    unsubscribe();
  }
}
