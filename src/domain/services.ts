import type { AuditLog } from '../records/audit-log.js';
import type { ControllerMembers } from './controller-members.js';
import type { ConvergeService } from './desired-versions/converge-service.js';
import type { DesiredVersionService } from './desired-versions/desired-version-service.js';
import type { FreezeGuard } from './groups/freeze-guard.js';
import type { GroupService } from './groups/group-service.js';
import type { InstallEvents } from './installs/install-events.js';
import type { InstallService } from './installs/install-service.js';
import type { RolloutEngine } from './rollouts/rollout-engine.js';
import type { RolloutEvents } from './rollouts/rollout-events.js';
import type { RolloutService } from './rollouts/rollout-service.js';
import type { SeatService } from './seats/seat-service.js';
import type { RemoteSyncService } from './segments/remote-sync-service.js';
import type { SegmentCatalog } from './segments/segment-catalog.js';
import type { SegmentEvents } from './segments/segment-events.js';
import type { SegmentService } from './segments/segment-service.js';
import type { Downloads } from './transfers/downloads.js';
import type { TransferTokens } from './transfers/transfer-tokens.js';
import type { UploadSessions } from './transfers/upload-sessions.js';
import type { IntegrityService } from './trust/integrity-service.js';
import type { Keyring } from './trust/keyring.js';
import type { LifecycleService } from './trust/lifecycle-service.js';
import type { PromotionService } from './trust/promotion-service.js';
import type { SignatureService } from './trust/signature-service.js';
import type { TrustGuard } from './trust/trust-guard.js';

/** Signed segments and the release lifecycle (SPEC-FLEET section 3). */
export interface TrustServices {
  /** Trusted public keys: added, revoked, listed. */
  readonly keyring: Keyring;
  /** Signatures on segments: added (checked at once) and judged against the keyring and the policy. */
  readonly signatures: SignatureService;
  /** What may go onto which seats; every install path asks it. */
  readonly guard: TrustGuard;
  /** The tested-before-production gate; `Segment.promotion`. */
  readonly promotion: PromotionService;
  /** Stored files re-hashed against their SHA-256 (D11). */
  readonly integrity: IntegrityService;
  /** markTested, release, deprecate, and the D9 migration. */
  readonly lifecycle: LifecycleService;
}

/** The domain services the API calls; one instance per process, shared by every request. */
export interface Services {
  readonly segments: SegmentService;
  /** Lists, versions and seat lists, from the in-memory cache. */
  readonly catalog: SegmentCatalog;
  readonly segmentEvents: SegmentEvents;
  readonly remoteSync: RemoteSyncService;
  readonly seats: SeatService;
  /** Seat groups: named selectors, membership from the seat cache. */
  readonly groups: GroupService;
  /** Group freezes (D8): which frozen groups hold given seats; installs and converge ask it. */
  readonly freezes: FreezeGuard;
  /** Desired versions per (group, segment name) and their drift (D4). */
  readonly desiredVersions: DesiredVersionService;
  /** One converge pass per segment name; run by the controller. */
  readonly converge: ConvergeService;
  readonly installs: InstallService;
  readonly installEvents: InstallEvents;
  /** Staged rollouts (SPEC-FLEET section 2): what operators create and decide. */
  readonly rollouts: RolloutService;
  /** `rolloutUpdated`: rollout heads as they change in the store. */
  readonly rolloutEvents: RolloutEvents;
  /** One pass over one rollout; run by the controller. */
  readonly rolloutEngine: RolloutEngine;
  /** The audit trail: written by the audit plugin, read by `auditLog`. */
  readonly audit: AuditLog;
  /** Upload and download tokens (SPEC-FLEET D12): issued, used and revoked through the store. */
  readonly transferTokens: TransferTokens;
  /** `Segment.downloadUrl` and what a `/files/` token may read. */
  readonly downloads: Downloads;
  /** Resumable uploads (SPEC-FLEET section 4): sessions, their bytes over tus, their completion. */
  readonly uploadSessions: UploadSessions;
  readonly trust: TrustServices;
  /** `controllerMembers`: the members of sharded mode, their heartbeats and shares. */
  readonly controllerMembers: ControllerMembers;
}
