import { Gauge, type Registry } from 'prom-client';
import type { RolloutService } from '../domain/rollouts/rollout-service.js';
import { ROLLOUT_STATES } from '../records/rollout-schema.js';

/** States whose time is measured (D5 metrics). */
const WAITS = ['PAUSED', 'WAITING_APPROVAL', 'WAITING_WINDOW'] as const;

interface Snapshot {
  counts: Map<string, number>;
  seconds: Map<string, number>;
}

/**
 * D5 metrics, read from the rollout heads at each scrape (any replica answers the same):
 * `seghub_rollouts{state}` and `seghub_rollout_wait_seconds{state}`, the seconds all rollouts
 * have spent PAUSED and WAITING_* (the waits still running counted up to now). The registry
 * collects both at once; they share one pass over the heads.
 */
export function rolloutMetrics(rollouts: RolloutService, registry: Registry, now: () => Date): void {
  let pending: Promise<Snapshot> | undefined;
  const snapshot = () => {
    pending ??= read(rollouts, now).finally(() => {
      pending = undefined;
    });
    return pending;
  };
  new Gauge({
    name: 'seghub_rollouts',
    help: 'Rollouts by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, count] of (await snapshot()).counts) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'seghub_rollout_wait_seconds',
    help: 'Seconds rollouts have spent PAUSED and WAITING_APPROVAL or WAITING_WINDOW',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, value] of (await snapshot()).seconds) this.set({ state }, value);
    },
  });
}

async function read(rollouts: RolloutService, now: () => Date): Promise<Snapshot> {
  const counts = new Map<string, number>(ROLLOUT_STATES.map((state) => [state, 0]));
  const seconds = new Map<string, number>(WAITS.map((state) => [state, 0]));
  const at = now().getTime();
  for await (const { record } of rollouts.all()) {
    counts.set(record.state, (counts.get(record.state) ?? 0) + 1);
    for (const [state, waited] of Object.entries(record.waitedSeconds ?? {})) {
      seconds.set(state, (seconds.get(state) ?? 0) + waited);
    }
    if (seconds.has(record.state) && record.waitingSince) {
      const running = Math.max(0, (at - Date.parse(record.waitingSince)) / 1000);
      seconds.set(record.state, (seconds.get(record.state) ?? 0) + running);
    }
  }
  return { counts, seconds };
}
