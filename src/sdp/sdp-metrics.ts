import { Histogram, type Registry } from 'prom-client';
import type { SdpTarget } from '../model/targets.js';

/** Told about every finished SDP call; `code` is the gRPC status name, OK, or LOCAL for this side's failures. */
export type SdpCallObserver = (call: {
  target: SdpTarget;
  method: string;
  code: string;
  seconds: number;
}) => void;

/**
 * `seghub_sdp_call_duration_seconds{target, method, code}`: its `_count` is the call rate by outcome,
 * which is what an operator alerts on when a platform starts failing.
 */
export function sdpCallMetrics(registry: Registry): SdpCallObserver {
  const duration = new Histogram({
    name: 'seghub_sdp_call_duration_seconds',
    help: 'SDP calls by platform, method and outcome (gRPC status name)',
    labelNames: ['target', 'method', 'code'] as const,
    // Unary calls take milliseconds; uploads and downloads of large segments take minutes.
    buckets: [0.005, 0.025, 0.1, 0.5, 2, 10, 60, 300, 1800],
    registers: [registry],
  });
  return ({ target, method, code, seconds }) => duration.observe({ target, method, code }, seconds);
}
