import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { Services } from '../domain/services.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../model/errors.js';
import { OPEN_MODE_PRINCIPAL, type Principal } from '../model/principal.js';
import type { Authenticator } from './auth/authenticate.js';
import { requestPrincipal } from './auth/request-principal.js';
import type { ReadinessProbe, ReadinessState } from './health.js';
import { useAudit } from './plugins/use-audit.js';
import { useCsrf } from './plugins/use-csrf.js';
import { useMetrics } from './plugins/use-metrics.js';
import { useQueryLimits } from './plugins/use-query-limits.js';
import { useReadiness } from './plugins/use-readiness.js';
import { useSharedResults } from './plugins/use-shared-results.js';
import { useUpload } from './plugins/use-upload.js';

export type ServerContext = { req: IncomingMessage; res: ServerResponse };

export interface YogaOptions {
  schema: GraphQLSchema;
  log: Logger;
  registry: Registry;
  probes: readonly ReadinessProbe[];
  readiness: ReadinessState;
  services: Services;
  maxUploadBytes: number;
  /** Absent: open mode, every caller is admin. */
  authenticator?: Authenticator;
  plugins?: Plugin[];
}

export function createYogaServer(options: YogaOptions) {
  const { schema, log, registry, probes, readiness, services, maxUploadBytes, plugins = [] } = options;
  const { authenticator } = options;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Uploads go through our streaming parser (plugins/use-upload.ts); Yoga's own would buffer whole files.
    multipart: false,
    maxRequestBodySize: false,
    graphiql: { title: 'seghub', subscriptionsProtocol: 'WS' },
    logging: yogaLogger(log),
    maskedErrors: {
      // Unexpected errors reach the client as "Unexpected error."; the operator sees the real one.
      maskError(error, message, isDev) {
        // An expected failure outside a result union (a query's unknown id) keeps its code and words.
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof DomainError) {
          return new GraphQLError(original.message, { extensions: { code: original.code } });
        }
        const masked = maskError(error, message, isDev);
        if (masked !== error) log.error({ err: error }, 'unexpected error while executing an operation');
        return masked;
      },
    },
    // graphql-ws operations arrive with the principal their connection authenticated as.
    context: async (initial: { request?: Request; principal?: Principal }) => {
      const requestLog = log.child({
        requestId: initial.request?.headers.get('x-request-id') ?? randomUUID(),
      });
      const principal =
        initial.principal ??
        (authenticator
          ? await requestPrincipal(authenticator, initial.request, requestLog)
          : OPEN_MODE_PRINCIPAL);
      return { principal, services, log: requestLog };
    },
    plugins: [
      useReadiness({ probes, state: readiness }),
      useMetrics({ registry }),
      // Before CSRF: a refused upload still closes its connection rather than drain the body.
      useUpload({ maxFileBytes: maxUploadBytes }),
      useCsrf(),
      useQueryLimits(),
      // Absent only in unit tests of the server alone.
      ...(services.audit
        ? [useAudit({ audit: services.audit, log: log.child({ component: 'audit' }) })]
        : []),
      useSharedResults(),
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
    error: (...args: unknown[]) => log.error({ args }, 'yoga'),
  };
}
