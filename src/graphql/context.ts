import type { Services } from '../domain/services.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';

/** Per-request (or per-subscription) context handed to every resolver. */
export interface GraphQLContext {
  readonly principal: Principal;
  readonly log: Logger;
  readonly services: Services;
  /** The HTTP request (absent for graphql-ws operations); its signal aborts when the client goes away. */
  readonly request?: Request;
}
