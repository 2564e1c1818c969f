import type { InstallEvents } from '../domain/installs/install-events.js';
import type { InstallService } from '../domain/installs/install-service.js';
import type { SeatService } from '../domain/seats/seat-service.js';
import type { RemoteSyncService } from '../domain/segments/remote-sync-service.js';
import type { SegmentCatalog } from '../domain/segments/segment-catalog.js';
import type { SegmentEvents } from '../domain/segments/segment-events.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../records/audit-log.js';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: an API token's label or a JWT's subject, with its role (open mode: admin). */
export interface Principal {
  readonly id: string;
  readonly role: Role;
}

export const OPEN_MODE_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', role: 'admin' });

/** Per-request (or per-subscription) context handed to every resolver. */
export interface GraphQLContext {
  readonly principal: Principal;
  readonly log: Logger;
  readonly services: Services;
  /** The HTTP request (absent for graphql-ws operations); its signal aborts when the client goes away. */
  readonly request?: Request;
}

/** The domain services resolvers call; one instance per process, shared by every request. */
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

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** Roles are ordered: each one may do everything the ones before it may. */
export function hasRole(principal: Principal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}
