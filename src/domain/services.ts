import type { AuditLog } from '../records/audit-log.js';
import type { InstallEvents } from './installs/install-events.js';
import type { InstallService } from './installs/install-service.js';
import type { SeatService } from './seats/seat-service.js';
import type { RemoteSyncService } from './segments/remote-sync-service.js';
import type { SegmentCatalog } from './segments/segment-catalog.js';
import type { SegmentEvents } from './segments/segment-events.js';
import type { SegmentService } from './segments/segment-service.js';

/** The domain services the API calls; one instance per process, shared by every request. */
export interface Services {
  readonly segments: SegmentService;
  /** Lists, versions and seat lists, from the in-memory cache. */
  readonly catalog: SegmentCatalog;
  readonly segmentEvents: SegmentEvents;
  readonly remoteSync: RemoteSyncService;
  readonly seats: SeatService;
  readonly installs: InstallService;
  readonly installEvents: InstallEvents;
  /** The audit trail: written by the audit plugin, read by `auditLog`. */
  readonly audit: AuditLog;
}
