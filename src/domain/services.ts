import type { AuditLog } from '../records/audit-log.js';
import type { ConvergeService } from './desired-versions/converge-service.js';
import type { DesiredVersionService } from './desired-versions/desired-version-service.js';
import type { GroupService } from './groups/group-service.js';
import type { InstallEvents } from './installs/install-events.js';
import type { InstallService } from './installs/install-service.js';
import type { SeatService } from './seats/seat-service.js';
import type { RemoteSyncService } from './segments/remote-sync-service.js';
import type { SegmentCatalog } from './segments/segment-catalog.js';
import type { SegmentEvents } from './segments/segment-events.js';
import type { SegmentService } from './segments/segment-service.js';
import type { Downloads } from './transfers/downloads.js';
import type { TransferTokens } from './transfers/transfer-tokens.js';
import type { UploadSessions } from './transfers/upload-sessions.js';

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
  /** Desired versions per (group, segment name) and their drift (D4). */
  readonly desiredVersions: DesiredVersionService;
  /** One converge pass per segment name; run by the controller. */
  readonly converge: ConvergeService;
  readonly installs: InstallService;
  readonly installEvents: InstallEvents;
  /** The audit trail: written by the audit plugin, read by `auditLog`. */
  readonly audit: AuditLog;
  /** Upload and download tokens (SPEC-FLEET D12): issued, used and revoked through the store. */
  readonly transferTokens: TransferTokens;
  /** `Segment.downloadUrl` and what a `/files/` token may read. */
  readonly downloads: Downloads;
  /** Resumable uploads (SPEC-FLEET section 4): sessions, their bytes over tus, their completion. */
  readonly uploadSessions: UploadSessions;
}
