import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { DesiredVersionService } from '../domain/desired-versions/desired-version-service.js';
import type { FreezeGuard } from '../domain/groups/freeze-guard.js';
import type { GroupService } from '../domain/groups/group-service.js';
import type { ReleaseGuard } from '../domain/groups/release-guard.js';
import type { InstallService } from '../domain/installs/install-service.js';
import { RolloutEngine } from '../domain/rollouts/rollout-engine.js';
import type { RolloutTrust } from '../domain/rollouts/rollout-engine-deps.js';
import { RolloutEvents } from '../domain/rollouts/rollout-events.js';
import { RolloutService } from '../domain/rollouts/rollout-service.js';
import type { SeatService } from '../domain/seats/seat-service.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { RolloutRecords } from '../records/rollout-records.js';
import type { StoredSegment } from '../records/segment-records.js';
import { SegmentSeats } from '../records/segment-seats.js';
import type { Lifecycle } from './lifecycle.js';
import { rolloutMetrics } from './rollout-metrics.js';

interface RolloutParts {
  segments: SegmentService;
  installs: InstallService;
  seats: SeatService;
  groups: GroupService;
  desired: DesiredVersionService;
  freezes: FreezeGuard;
  releaseGuard: ReleaseGuard;
  /** Asked before every forward step of a rollout (SPEC-FLEET section 3). */
  trust: RolloutTrust;
  /** D11: re-hashes the stored file when a rollout is created. */
  checkFile: (segment: StoredSegment) => Promise<StoredSegment>;
}

/**
 * Staged rollouts (SPEC-FLEET section 2): the service the API calls, the feed behind
 * `rolloutUpdated`, and the engine the controller runs. A rollout holds its group (GROUP_IN_USE)
 * until it has ended.
 */
export async function startRolloutServices(
  lifecycle: Lifecycle,
  store: KvStore,
  parts: RolloutParts,
  config: Pick<Config, 'rollouts' | 'install'>,
  { logger, clock, registry }: { logger: Logger; clock?: () => Date; registry: Registry },
) {
  const records = new RolloutRecords(store);
  const segmentSeats = new SegmentSeats(store);
  const now = clock ?? (() => new Date());
  const rollouts = new RolloutService({
    records,
    installs: parts.installs,
    desired: parts.desired,
    segments: parts.segments,
    segmentSeats,
    groups: parts.groups,
    releaseGuard: parts.releaseGuard,
    checkFile: parts.checkFile,
    freezes: parts.freezes,
    selfApproval: config.rollouts.selfApproval,
    defaults: {
      seatTimeoutSeconds: Math.ceil(config.install.timeoutMs / 1000),
      retryBaseSeconds: config.rollouts.retryBaseSeconds,
    },
    now,
  });
  const rolloutEngine = new RolloutEngine({
    records,
    installs: parts.installs,
    segments: parts.segments,
    segmentSeats,
    seats: parts.seats,
    desired: parts.desired,
    freezes: parts.freezes,
    trust: parts.trust,
    soakCheckMs: config.rollouts.soakCheckMs,
    maxSeatsInFlight: config.rollouts.maxSeatsInFlight,
    inFlightWaitMs: config.install.pollMs,
    historyKeep: config.rollouts.historyKeep,
    now,
  });
  const rolloutEvents = await lifecycle.start(
    'rollout events',
    () => new RolloutEvents(store, rollouts, logger.child({ component: 'rollout-events' })),
    (e) => e.close(),
  );
  parts.groups.addInUseCheck(async (group) => {
    const active = await rollouts.activeForGroup(group);
    return active === undefined ? undefined : `rollout ${active} targets it and has not ended`;
  });
  parts.segments.addInUseCheck((segmentId) => rollouts.segmentUse(segmentId));
  rolloutMetrics(rollouts, registry, now);
  return { rollouts, rolloutEvents, rolloutEngine };
}
