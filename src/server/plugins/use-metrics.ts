import { createCounter, type FillLabelsFnParams, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { metricsRefusal, metricsText } from '../metrics.js';

export interface MetricsOptions {
  /** From `createMetricsRegistry` (../metrics.ts): the app's own, not prom-client's global one. */
  registry: Registry;
  /** Serve `GET /metrics` on this server (false when `METRICS_PORT` gives it its own). */
  serve: boolean;
  /** `METRICS_TOKEN`: when set, `/metrics` wants `Authorization: Bearer <token>`. */
  token?: string;
}

/** Distinct operation names given a label of their own; later names count as `other`. */
export const MAX_OPERATION_NAME_LABELS = 100;
const MAX_OPERATION_NAME_LENGTH = 64;

/**
 * Request counts and durations by operation type, HTTP method and status, served at `GET /metrics`.
 * Every label comes from a bounded set: no URL (it carries query strings, secrets among them), no
 * error path, and operation names (chosen by clients) only on the operation count (one line per
 * name, where a histogram would cost fifteen), which sees only operations that passed
 * authentication (checked before the body is read) and validation; the first
 * `MAX_OPERATION_NAME_LABELS` names get a series each, later ones count as `other`.
 */
export function useMetrics({ registry, serve, token }: MetricsOptions): Plugin {
  const names = new OperationNames();
  // `labels.operationName: false` keeps names off every other metric, and so out of `params` too:
  // the name is read from the operation the document holds.
  const labels = (params: FillLabelsFnParams, context: { params?: { operationName?: string | null } }) => ({
    operationName: names.label(
      params.document && getOperationAST(params.document, context?.params?.operationName)?.name?.value,
    ),
    operationType: params.operationType ?? 'unknown',
  });
  const labelNames = ['operationName', 'operationType'];
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        usePrometheus({
          registry,
          endpoint: false,
          skipIntrospection: true,
          labels: { operationName: false, url: false, path: false },
          metrics: {
            graphql_envelop_request: createCounter({
              registry,
              counter: { name: 'graphql_envelop_request', help: 'GraphQL operations run', labelNames },
              fillLabelsFn: labels,
              phases: ['execute', 'subscribe'],
            }),
            graphql_envelop_request_duration: true,
            graphql_envelop_error_result: true,
            graphql_envelop_phase_execute: true,
            graphql_envelop_phase_subscribe: true,
            graphql_yoga_http_duration: true,
          },
        }),
      );
    },
    async onRequest({ url, request, fetchAPI, endResponse }) {
      if (!serve || url.pathname !== '/metrics') return;
      const refusal = metricsRefusal(request.headers.get('authorization'), token);
      const { status, headers, body } = refusal ?? (await metricsText(registry));
      endResponse(new fetchAPI.Response(body, { status, headers }));
    },
  };
}

/** The first names seen keep their own label; the set never grows past its cap. */
class OperationNames {
  private readonly seen = new Set<string>();

  label(name: string | undefined): string {
    if (!name) return 'Anonymous';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= MAX_OPERATION_NAME_LABELS || name.length > MAX_OPERATION_NAME_LENGTH)
      return 'other';
    this.seen.add(name);
    return name;
  }
}
