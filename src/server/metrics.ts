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
