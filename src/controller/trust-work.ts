import type { GroupService } from '../domain/groups/group-service.js';
import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import type { IntegrityService } from '../domain/trust/integrity-service.js';
import type { LifecycleService } from '../domain/trust/lifecycle-service.js';
import type { PromotionService } from '../domain/trust/promotion-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { runIntegrity } from './integrity-reconciler.js';
import type { ReconcileObservation } from './run-workers.js';

/** The leader's share of signed segments (SPEC-FLEET section 3); the promotion gate is owned work. */

export interface ControllerTrust {
  lifecycle: LifecycleService;
  promotion: PromotionService;
  integrity: IntegrityService;
  groups: GroupService;
  /** INTEGRITY_CHECK_INTERVAL_H, in ms. */
  integrityIntervalMs: number;
}

/** The periodic file checks (D11): a singleton in both controller modes. */
export function runIntegrityPass(
  store: KvStore,
  trust: ControllerTrust,
  deps: {
    logger: Logger;
    guard: WriteGuard;
    resyncMs: number;
    segments: SegmentService;
    now?: (() => Date) | undefined;
  },
  options: { signal: AbortSignal; observe?: ((o: ReconcileObservation) => void) | undefined },
) {
  return runIntegrity(
    store,
    {
      logger: deps.logger,
      guard: deps.guard,
      resyncMs: deps.resyncMs,
      integrity: trust.integrity,
      segments: deps.segments,
      intervalMs: trust.integrityIntervalMs,
      ...(deps.now ? { now: deps.now } : {}),
    },
    { signal: options.signal, ...(options.observe ? { observe: options.observe } : {}) },
  );
}

/**
 * D9, at the start of every term: segments stored before lifecycles existed get theirs. A failure
 * is logged and the term goes on (those records read as DRAFT); the next term tries again.
 */
export async function migrateLifecycles(lifecycle: LifecycleService, guard: WriteGuard, log: Logger) {
  try {
    const migrated = await lifecycle.migrate(guard);
    if (migrated > 0) log.info({ migrated }, 'segments given a lifecycle (D9 migration)');
  } catch (err) {
    log.error({ err }, 'the lifecycle migration (D9) failed; the next term tries again');
  }
}
