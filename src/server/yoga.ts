import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { type GraphQLContext, OPEN_MODE_PRINCIPAL } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { type ReadinessProbe, type ReadinessState, readinessPlugin } from './health.js';
import { metricsPlugin } from './metrics.js';

export type ServerContext = { req: IncomingMessage; res: ServerResponse };

export interface YogaOptions {
  schema: GraphQLSchema;
  log: Logger;
  registry: Registry;
  probes: readonly ReadinessProbe[];
  readiness: ReadinessState;
  plugins?: Plugin[];
}

export function createYogaServer({ schema, log, registry, probes, readiness, plugins = [] }: YogaOptions) {
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: { title: 'seghub', subscriptionsProtocol: 'WS' },
    logging: yogaLogger(log),
    maskedErrors: {
      // Unexpected errors reach the client as "Unexpected error."; the operator sees the real one.
      maskError(error, message, isDev) {
        const masked = maskError(error, message, isDev);
        if (masked !== error) log.error({ err: error }, 'unexpected error while executing an operation');
        return masked;
      },
    },
    context: ({ request }) => ({
      principal: OPEN_MODE_PRINCIPAL,
      log: log.child({ requestId: request?.headers.get('x-request-id') ?? randomUUID() }),
    }),
    plugins: [readinessPlugin(probes, readiness), metricsPlugin(registry), ...plugins],
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
