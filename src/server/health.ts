import { useReadinessCheck } from 'graphql-yoga';

/** Something the service needs before it can do its job: the store, each SDP platform. */
export interface ReadinessProbe {
  readonly name: string;
  /** Resolves with details worth showing an operator; rejects when the dependency is not usable. */
  check(): Promise<Record<string, unknown> | undefined>;
}

export interface ReadinessState {
  /** Set while draining on shutdown so load balancers stop sending new work. */
  stopping: boolean;
}

type ProbeResult =
  | { name: string; ok: true; details?: Record<string, unknown> }
  | { name: string; ok: false; reason: string };

async function runProbe(probe: ReadinessProbe): Promise<ProbeResult> {
  try {
    const details = await probe.check();
    return { name: probe.name, ok: true, ...(details && { details }) };
  } catch (error) {
    return { name: probe.name, ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** `GET /readyz`: 200 when every probe passes, else 503 naming what is wrong. */
export function readinessPlugin(probes: readonly ReadinessProbe[], state: ReadinessState) {
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
