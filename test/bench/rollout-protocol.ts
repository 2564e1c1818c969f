/** Messages between the bench and its rollout subscriber process (`rollout-clients.ts`). */

export type RolloutClientCommand = { url: string; rolloutId: string; count: number };

export type RolloutClientReport =
  /** Every subscriber has its first event (the rollout as it was): `at` is `Date.now()`. */
  | { kind: 'ready'; at: number }
  /**
   * Every subscription completed (the rollout reached a final state). `received`: per subscriber,
   * each event (the first included) as `[Date.now() at receipt, rolloutKey of the event]`, in order.
   */
  | { kind: 'done'; received: Array<Array<[number, string]>> }
  | { kind: 'error'; message: string };

/** The part of a rollout the bench compares: what `rolloutUpdated` selects and the head holds alike. */
export interface RolloutShape {
  state: string;
  currentWave: number;
  summary: Record<string, number>;
  waves: ReadonlyArray<{ state: string; succeeded: number; failed: number }>;
  events: ReadonlyArray<{ kind: string; message: string }>;
}

const SUMMARY_FIELDS = [
  'total',
  'pending',
  'running',
  'succeeded',
  'failed',
  'timedOut',
  'rolledBack',
  'notReverted',
  'skipped',
] as const;

/**
 * A key that tells heads apart as far as a subscriber can see them: a subscriber's event and the
 * head write it came from (seen by the bench's own watch) have the same key. Heads that differ only
 * in fields the API does not show (the live counts of a running step) share one.
 */
export function rolloutKey(r: RolloutShape): string {
  const last = r.events.at(-1);
  return JSON.stringify([
    r.state,
    r.currentWave,
    SUMMARY_FIELDS.map((f) => r.summary[f] ?? 0),
    r.waves.map((w) => [w.state, w.succeeded, w.failed]),
    r.events.length,
    last ? [last.kind, last.message] : null,
  ]);
}

export function isRolloutReport(message: unknown): message is RolloutClientReport {
  return typeof message === 'object' && message !== null && 'kind' in message;
}
