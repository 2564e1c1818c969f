import type { GroupService, MembershipEvent } from '../domain/groups/group-service.js';
import type { WriteGuard } from '../domain/segments/segment-service.js';
import type { PromotionService } from '../domain/trust/promotion-service.js';
import { lifecycleOf } from '../domain/trust/trust-types.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { installKind, seatListNameKind, segmentChangeKeys, segmentKind } from '../records/kinds.js';
import { runKeySource } from './key-source.js';
import { nameOfSegmentId, type OwnsName, ownsKeys } from './ownership.js';
import { type ReconcileObservation, runWorkers } from './run-workers.js';
import { WorkQueue } from './work-queue.js';

/**
 * The promotion gate (SPEC-FLEET section 3), keyed by segment id: a DRAFT segment is judged when
 * its record changes, when its seat list changes (it now runs on more or fewer seats), when one of
 * its install records changes (a step started or ended, maybe with failed seats), when the test
 * group's membership may have changed (a seat relabelled, the group created, changed or deleted),
 * at the end of its soak (the time its judgement asked for), and at every resync.
 */

export interface PromotionReconcilerDeps {
  promotion: PromotionService;
  /** Membership changes of the test group. */
  groups: Pick<GroupService, 'onMembershipChange'>;
  logger: Logger;
  guard: WriteGuard;
  resyncMs: number;
  workers: number;
  /** Sharded mode: the segment names this member owns this term (absent: all). */
  owns?: OwnsName;
}

/** A delayed look further away than this is taken at this time instead (timers cap at ~24.8 days). */
const MAX_WAIT_MS = 24 * 3_600_000;

/** The leader's promotion gate for its term. */
export async function runPromotion(
  store: KvStore,
  deps: PromotionReconcilerDeps,
  options: { signal: AbortSignal; observe?: (o: ReconcileObservation) => void },
): Promise<void> {
  const { signal } = options;
  const log = deps.logger.child({ component: 'promotion' });
  const queue = new WorkQueue<string>();
  /** The DRAFT segments, kept from their records: other sources queue only these. */
  const drafts = new Set<string>();
  const addIfDraft = (id: string | undefined) => {
    if (id !== undefined && drafts.has(id)) queue.add(id);
  };
  const addAll = () => {
    for (const id of drafts) queue.add(id);
  };
  const touchesTestGroup = (event: MembershipEvent) =>
    event.kind === 'resync' ||
    (event.kind === 'group'
      ? event.group === deps.promotion.testGroup
      : [...event.joined, ...event.left].includes(deps.promotion.testGroup));
  const unsubscribe = deps.groups.onMembershipChange((event) => {
    if (touchesTestGroup(event)) addAll();
  });
  const source = { signal, logger: deps.logger };
  try {
    await Promise.all([
      runKeySource(store, segmentKind.prefix, {
        ...source,
        onKey: (key, kv) => {
          const id = segmentKind.idOfKey(key);
          if (id === undefined) return;
          if (kv) drafts.add(id);
          else drafts.delete(id);
          if (kv) queue.add(id);
        },
        filter: (kv) => {
          try {
            return judgedByGate(segmentKind.decode(kv.key, kv.value));
          } catch {
            return false; // an unreadable record is reported by whoever reads it
          }
        },
        resyncMs: deps.resyncMs,
      }),
      runKeySource(store, seatListNameKind.prefix, {
        ...source,
        onKey: (key) => addIfDraft(segmentChangeKeys.seatListOwner(key)),
        resyncMs: 0,
      }),
      runKeySource(store, installKind.prefix, {
        ...source,
        onKey: (key) => addIfDraft(segmentOfInstall(installKind.idOfKey(key))),
        resyncMs: 0,
      }),
      runWorkers(
        queue,
        async (id: string) => {
          const outcome = await deps.promotion.judge(id, deps.guard);
          if (outcome.action === 'tested') log.info({ segment: id }, 'promotion: segment is TESTED');
          return outcome.againInMs === undefined
            ? undefined
            : { requeueAfterMs: Math.min(Math.max(1, outcome.againInMs), MAX_WAIT_MS) };
        },
        {
          workers: deps.workers,
          signal,
          logger: deps.logger,
          name: 'promotion',
          observe: options.observe,
          ...(deps.owns ? { owns: ownsKeys(deps.owns, nameOfSegmentId) } : {}),
        },
      ),
    ]);
  } finally {
    unsubscribe();
  }
}

/** The records the gate judges (`PromotionService.judge` checks again before it writes). */
function judgedByGate(record: Parameters<typeof lifecycleOf>[0] & { deleteStatus: string }): boolean {
  return lifecycleOf(record) === 'DRAFT' && record.deleteStatus === 'NONE';
}

/** `<segmentId>/<seq>` → the segment id. */
function segmentOfInstall(recordId: string | undefined): string | undefined {
  const cut = recordId?.lastIndexOf('/') ?? -1;
  return cut > 0 ? recordId?.slice(0, cut) : undefined;
}
