import type { SegmentEvents } from '../domain/segments/segment-events.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { Logger } from '../logger.js';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking. Until authentication lands every caller is the open-mode principal. */
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
  readonly segmentEvents: SegmentEvents;
}

/** Roles are ordered: each one may do everything the ones before it may. */
export function hasRole(principal: Principal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}
