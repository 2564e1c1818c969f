import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per app rather than prom-client's global one, so several apps in one process (the
 * tests, a future multi-tenant runner) do not collide on metric names.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request counts and durations by operation name and type, served at `GET /metrics`. */
export function metricsPlugin(registry: Registry) {
  return usePrometheus({
    registry,
    endpoint: '/metrics',
    skipIntrospection: true,
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_error_result: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_phase_subscribe: true,
      graphql_yoga_http_duration: true,
    },
  });
}
