import { useReadinessCheck } from 'graphql-yoga';
import type { ReadinessProbe, ReadinessState } from '../health.js';

export interface ReadinessOptions {
  probes: readonly ReadinessProbe[];
  state: ReadinessState;
}

type ProbeResult =
  | { name: string; ok: true; details?: Record<string, unknown> }
  | { name: string; ok: false; reason: string };

/** `GET /readyz`: 200 when every probe passes, else 503 naming what is wrong. */
export function useReadiness({ probes, state }: ReadinessOptions) {
  return useReadinessCheck({
    endpoint: '/readyz',
    check: async ({ fetchAPI }) => {
      const results = state.stopping ? [] : await Promise.all(probes.map(runProbe));
      const ready = !state.stopping && results.every((r) => r.ok);
      const body = { status: ready ? 'ready' : state.stopping ? 'stopping' : 'unavailable', checks: results };
      return new fetchAPI.Response(JSON.stringify(body), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    },
  });
}

async function runProbe(probe: ReadinessProbe): Promise<ProbeResult> {
  try {
    const details = await probe.check();
    return { name: probe.name, ok: true, ...(details && { details }) };
  } catch (error) {
    return { name: probe.name, ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
