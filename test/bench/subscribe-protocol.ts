/** Messages between the bench and its subscriber process (`subscribe-clients.ts`). */

export type ClientCommand =
  /** Open `count` graphql-ws subscribers to `installLogUpdated(recordId)` at `url`. */
  | { cmd: 'graphql'; url: string; recordId: string; count: number }
  /** Open `count` plain WebSocket clients to `url`. */
  | { cmd: 'plain'; url: string; count: number };

export type ClientReport =
  /** Every subscriber is live (has its first event, or is connected): `at` is `Date.now()`. */
  | { kind: 'ready'; at: number }
  /**
   * All subscriptions completed. `latencies`: per event and subscriber, receive time minus the
   * `updatedAt` the event carries, for events written after `ready`. `payloads` (graphql only):
   * what the first subscriber received after `ready`, with when, for the baseline to replay.
   */
  | { kind: 'done'; latencies: number[]; payloads: Array<{ at: number; data: unknown }> }
  | { kind: 'error'; message: string };

/** The field the latency is computed from, in either kind of payload. */
export function updatedAtOf(data: unknown): number | undefined {
  const log = (data as { installLogUpdated?: { updatedAt?: string } } | undefined)?.installLogUpdated;
  return log?.updatedAt ? Date.parse(log.updatedAt) : undefined;
}

export function isReport(message: unknown): message is ClientReport {
  return typeof message === 'object' && message !== null && 'kind' in message;
}
