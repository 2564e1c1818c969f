import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Registry } from 'prom-client';

export interface MetricsOptions {
  /** From `createMetricsRegistry` (../metrics.ts): the app's own, not prom-client's global one. */
  registry: Registry;
}

/** Request counts and durations by operation name and type, served at `GET /metrics`. */
export function useMetrics({ registry }: MetricsOptions) {
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
