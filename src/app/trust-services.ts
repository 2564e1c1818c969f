import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { GroupService } from '../domain/groups/group-service.js';
import type { InstallService } from '../domain/installs/install-service.js';
import type { SegmentCatalog } from '../domain/segments/segment-catalog.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { TrustServices } from '../domain/services.js';
import type { Downloads } from '../domain/transfers/downloads.js';
import { IntegrityService } from '../domain/trust/integrity-service.js';
import { Keyring } from '../domain/trust/keyring.js';
import { LifecycleService } from '../domain/trust/lifecycle-service.js';
import { PromotionService } from '../domain/trust/promotion-service.js';
import { SignatureService } from '../domain/trust/signature-service.js';
import { refuseTampered, TrustGuard, tamperedReason } from '../domain/trust/trust-guard.js';
import { lifecycleOf } from '../domain/trust/trust-types.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { SegmentDeprecatedError } from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { SegmentSeats } from '../records/segment-seats.js';
import { SigningKeyRecords } from '../records/signing-key-records.js';
import { trustMetrics } from './trust-metrics.js';

/**
 * Signed segments and the release lifecycle (SPEC-FLEET section 3), in two parts: the guard every
 * install path asks (built before the install service), then the services built on installs.
 */

interface CoreParts {
  segments: SegmentService;
  catalog: SegmentCatalog;
  groups: GroupService;
}

export type TrustCore = ReturnType<typeof trustCore>;

/** The keyring, signatures, the guard and file checks: what the install and rollout paths need. */
export function trustCore(
  store: KvStore,
  parts: CoreParts,
  config: Pick<Config, 'trust'>,
  { logger, clock }: { logger: Logger; clock?: () => Date },
) {
  const now = clock && { now: clock };
  const keyring = new Keyring({
    records: new SigningKeyRecords(store),
    maxKeys: config.trust.maxKeys,
    ...now,
  });
  const signatures = new SignatureService({
    segments: parts.segments,
    catalog: parts.catalog,
    keyring,
    required: config.trust.signaturesRequired,
    maxSignatures: config.trust.maxSignaturesPerSegment,
    ...now,
  });
  const guard = new TrustGuard(parts.groups, (segment) => signatures.judge(segment));
  const integrity = new IntegrityService({ segments: parts.segments, logger, ...now });
  return { keyring, signatures, guard, integrity };
}

/** What an operator may not make a group's desired version: deprecated or tampered segments. */
export function refuseUndesirable(segment: StoredSegment): void {
  refuseTampered(segment);
  if (lifecycleOf(segment.record) === 'DEPRECATED')
    throw new SegmentDeprecatedError(segment.id, segment.record.deprecated?.note ?? 'deprecated');
}

interface ServiceParts extends CoreParts {
  installs: InstallService;
  downloads: Downloads;
}

/** Promotion and the lifecycle; downloads of a tampered file are refused from here on. */
export function trustServices(
  store: KvStore,
  core: TrustCore,
  parts: ServiceParts,
  config: Pick<Config, 'trust'>,
  { clock, registry }: { clock?: () => Date; registry: Registry },
): TrustServices {
  const now = clock && { now: clock };
  const segmentSeats = new SegmentSeats(store);
  const promotion = new PromotionService({
    segments: parts.segments,
    groups: parts.groups,
    installs: parts.installs,
    seatsOf: async (segmentId) => (await segmentSeats.get(segmentId)).seats,
    config: {
      testGroup: config.trust.testGroup,
      minSeats: config.trust.minSeats,
      soakMs: config.trust.soakMs,
    },
    ...now,
  });
  const { integrity } = core;
  const lifecycle = new LifecycleService({
    segments: parts.segments,
    promotionView: (record) => promotion.view(record),
    checkFile: (segment) => integrity.checkForRelease(segment),
    judge: (segment) => core.signatures.judge(segment),
    installedSeats: () => segmentSeats.all(),
    ...now,
  });
  parts.downloads.addBlock('FILE_TAMPERED', tamperedReason);
  trustMetrics(parts.catalog, registry);
  return { ...core, promotion, integrity, lifecycle };
}
