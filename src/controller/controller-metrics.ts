import { Gauge, Histogram, type Registry } from 'prom-client';
import type { ReconcileObservation } from './run-workers.js';

export interface ControllerMetrics {
  /** 1 while this process leads the controller. */
  readonly leader: Gauge;
  readonly observe: (observation: ReconcileObservation) => void;
}

/**
 * `seghub_controller_leader` and `seghub_reconcile_duration_seconds{controller, outcome}`: a rising
 * error outcome rate is the first sign that a platform or the store is in trouble.
 */
export function controllerMetrics(registry: Registry): ControllerMetrics {
  const leader = new Gauge({
    name: 'seghub_controller_leader',
    help: '1 while this process leads the controller, 0 otherwise',
    registers: [registry],
  });
  leader.set(0);
  const duration = new Histogram({
    name: 'seghub_reconcile_duration_seconds',
    help: 'Reconciles by controller and outcome (success, requeue, error)',
    labelNames: ['controller', 'outcome'] as const,
    buckets: [0.001, 0.01, 0.1, 1, 10, 60, 600],
    registers: [registry],
  });
  return {
    leader,
    observe: ({ name, outcome, durationMs }) =>
      duration.observe({ controller: name, outcome }, durationMs / 1000),
  };
}
