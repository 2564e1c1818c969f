import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { Services } from '../domain/services.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { DomainError, InvalidSelectorError } from '../model/errors.js';
import { OPEN_MODE_PRINCIPAL, type Principal } from '../model/principal.js';
import type { Authenticator } from './auth/authenticate.js';
import { requestPrincipal } from './auth/request-principal.js';
import { GRAPHIQL_OPTIONS, renderGraphiQLPage } from './graphiql.js';
import type { ReadinessProbe, ReadinessState } from './health.js';
import { OriginPolicy } from './origin.js';
import { useAudit } from './plugins/use-audit.js';
import { useMetrics } from './plugins/use-metrics.js';
import { useQueryLimits } from './plugins/use-query-limits.js';
import { useReadiness } from './plugins/use-readiness.js';
import { createRequestGate, DEFAULT_REQUEST_LIMITS, type RequestLimits } from './plugins/use-request-gate.js';
import { useSharedResults } from './plugins/use-shared-results.js';
import { unavailableError, useUnavailable } from './plugins/use-unavailable.js';
import { useUpload } from './plugins/use-upload.js';
import type { UploadSlots } from './upload-slots.js';

export type ServerContext = { req: IncomingMessage; res: ServerResponse };

export interface YogaOptions {
  schema: GraphQLSchema;
  log: Logger;
  /** The audit plugin's logger, a sibling of `log` (a child of it would carry `component` twice). */
  auditLog?: Logger;
  registry: Registry;
  probes: readonly ReadinessProbe[];
  readiness: ReadinessState;
  services: Services;
  maxUploadBytes: number;
  /** Absent: open mode, every caller is admin. */
  authenticator?: Authenticator;
  /** Request limits, browser origins and `/metrics` (docs/operations.md, Limits); defaults when absent. */
  http?: HttpServing;
  plugins?: Plugin[];
}

export interface HttpServing {
  limits: RequestLimits;
  /** `slots`: shared with /uploads (tus), so MAX_CONCURRENT_UPLOADS counts both. */
  uploads: { maxConcurrent: number; idleTimeoutMs: number; slots?: UploadSlots };
  origins: OriginPolicy;
  /** `serve: false` when `/metrics` has a port of its own. */
  metrics: { serve: boolean; token?: string };
}

const DEFAULT_HTTP: HttpServing = {
  limits: DEFAULT_REQUEST_LIMITS,
  uploads: { maxConcurrent: 32, idleTimeoutMs: 120_000 },
  origins: new OriginPolicy([]),
  metrics: { serve: true },
};

export function createYogaServer(options: YogaOptions) {
  const { schema, log, registry, probes, readiness, services, maxUploadBytes, plugins = [] } = options;
  const { authenticator, http = DEFAULT_HTTP } = options;
  const graphqlEndpoint = '/graphql';
  const gate = createRequestGate({
    graphqlEndpoint,
    limits: http.limits,
    origins: http.origins,
    authenticator: authenticator?.enforced ? authenticator : undefined,
    registry,
    log,
  });
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Uploads go through our streaming parser (plugins/use-upload.ts); Yoga's own would buffer whole files.
    multipart: false,
    maxRequestBodySize: false,
    // Same-origin unless CORS_ORIGINS lists the page's origin; other origins get no CORS headers.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && http.origins.isListed(origin)
        ? { origin: [origin], credentials: true, methods: ['GET', 'POST'], maxAge: 600 }
        : false;
    },
    // Served whole by seghub (no CDN), with subscriptions over graphql-ws: graphiql.ts.
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL: renderGraphiQLPage,
    logging: yogaLogger(log),
    maskedErrors: {
      // Unexpected errors reach the client as "Unexpected error."; the operator sees the real one.
      maskError(error, message, isDev) {
        // An expected failure outside a result union (a query's unknown id) keeps its code and words.
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof DomainError) {
          // A query's bad selector (`seats(selector:)`) says where, as the mutation's error type does.
          const where =
            original instanceof InvalidSelectorError
              ? { position: original.position, expected: original.expected }
              : {};
          return new GraphQLError(original.message, { extensions: { code: original.code, ...where } });
        }
        // The store or SDP is down: a typed, retryable error; the operator sees the cause once per request.
        const unavailable = unavailableError(error);
        if (unavailable) {
          log.warn({ err: original }, `operation failed: ${unavailable.extensions.code}`);
          return unavailable;
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) log.error({ err: error }, 'unexpected error while executing an operation');
        return masked;
      },
    },
    // graphql-ws operations arrive with the principal their connection authenticated as.
    context: async (initial: { request?: Request; req?: IncomingMessage; principal?: Principal }) => {
      const requestLog = log.child({
        requestId: initial.request?.headers.get('x-request-id') ?? randomUUID(),
      });
      const principal =
        initial.principal ??
        gate.principalOf(initial.req) ??
        (authenticator
          ? await requestPrincipal(authenticator, initial.request, requestLog)
          : OPEN_MODE_PRINCIPAL);
      return { principal, services, log: requestLog };
    },
    plugins: [
      useReadiness({ probes, state: readiness }),
      useMetrics({ registry, ...http.metrics }),
      // Before anything reads the body: origin, CSRF, declared size and credentials from the headers.
      gate.plugin,
      useUpload({ maxFileBytes: maxUploadBytes, ...http.uploads, log }),
      useQueryLimits(),
      // Absent only in unit tests of the server alone.
      ...(services.audit ? [useAudit({ audit: services.audit, log: options.auditLog ?? log })] : []),
      useSharedResults(),
      useUnavailable(),
      ...plugins,
    ],
  });
}

export type SeghubYoga = ReturnType<typeof createYogaServer>;

function yogaLogger(log: Logger) {
  return {
    debug: (...args: unknown[]) => log.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => log.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => log.warn({ args }, 'yoga'),
    // Yoga logs every error its masking replaced, at error level; our maskError has already logged
    // each at its own level (unexpected ones as errors, a client's mistakes not as errors).
    error: (...args: unknown[]) =>
      args[0] instanceof Error ? log.debug({ args }, 'yoga') : log.error({ args }, 'yoga'),
  };
}
