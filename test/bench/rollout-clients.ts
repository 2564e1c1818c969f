import type { Client } from 'graphql-ws';
import { wsClient } from '../support/harness/graphql-client.js';
import {
  type RolloutClientCommand,
  type RolloutClientReport,
  type RolloutShape,
  rolloutKey,
} from './rollout-protocol.js';

/**
 * Subscribers of rollout-10k, in a process of their own (away from seghub's and the bench's event
 * loops): `count` graphql-ws clients, each its own socket, on `rolloutUpdated(id)`. Each event is
 * stamped with `Date.now()` on receipt and keyed (`rolloutKey`), so the bench can match it to the
 * head write its watch saw and take the difference (the first, the rollout as it was, included).
 */
const SUBSCRIPTION =
  'subscription BenchRolloutUpdated($id: ID!) { rolloutUpdated(id: $id) { id state currentWave percent ' +
  'summary { total pending running succeeded failed timedOut rolledBack notReverted skipped } ' +
  'waves { index state succeeded failed startedAt finishedAt } events { at kind message } } }';
const OPEN_BATCH = 50;

const send = (report: RolloutClientReport) => process.send?.(report);

process.on('message', (command: RolloutClientCommand) => {
  subscribers(command).catch((error: unknown) => send({ kind: 'error', message: String(error) }));
});
process.on('disconnect', () => process.exit(0));

async function subscribers(command: RolloutClientCommand): Promise<void> {
  const received: Array<Array<[number, string]>> = [];
  const clients: Client[] = [];
  const firsts: Array<Promise<void>> = [];
  const completions: Array<Promise<void>> = [];
  for (let i = 0; i < command.count; i++) {
    const client = wsClient(command.url, { lazy: false });
    clients.push(client);
    const mine: Array<[number, string]> = [];
    received.push(mine);
    let first!: () => void;
    firsts.push(new Promise<void>((resolve) => (first = resolve)));
    let seen = 0;
    completions.push(
      new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: SUBSCRIPTION, variables: { id: command.rolloutId } },
          {
            next: (result) => {
              const now = Date.now();
              const rollout = (result.data as { rolloutUpdated?: RolloutShape } | undefined)?.rolloutUpdated;
              if (!rollout) return reject(new Error(`rolloutUpdated: ${JSON.stringify(result)}`));
              mine.push([now, rolloutKey(rollout)]);
              // The first event is the rollout as it was when the subscription began.
              if (seen++ === 0) first();
            },
            error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: resolve,
          },
        );
      }),
    );
    if (i % OPEN_BATCH === OPEN_BATCH - 1) await Promise.all(firsts.slice(i + 1 - OPEN_BATCH));
  }
  await Promise.all(firsts);
  send({ kind: 'ready', at: Date.now() });
  await Promise.all(completions);
  await Promise.all(clients.map((c) => c.dispose()));
  send({ kind: 'done', received });
}
