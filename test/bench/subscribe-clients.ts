import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { wsClient } from '../support/harness/graphql-client.js';
import { type ClientCommand, type ClientReport, updatedAtOf } from './subscribe-protocol.js';

/**
 * Subscribers of subscribe-1k (the bench splits them between processes of this kind), away from
 * seghub's and the bench's event loops: `count` graphql-ws clients (each its own socket) or `count` plain ws
 * clients. Each received event is stamped with `Date.now()` here and compared with the time the
 * event itself carries; both sides of the comparison use this same process and code path.
 */
const SUBSCRIPTION =
  'subscription BenchInstallLog($recordId: ID!) { installLogUpdated(recordId: $recordId) { recordId status ' +
  'percent updatedAt summary { total pending running succeeded failed } ' +
  'changedSeats { seatName action state percent error } } }';
const OPEN_BATCH = 100;

const send = (report: ClientReport) => process.send?.(report);

process.on('message', (command: ClientCommand) => {
  const run = command.cmd === 'graphql' ? graphqlSubscribers(command) : plainClients(command);
  run.catch((error: unknown) => send({ kind: 'error', message: String(error) }));
});
process.on('disconnect', () => process.exit(0));

async function graphqlSubscribers(command: Extract<ClientCommand, { cmd: 'graphql' }>): Promise<void> {
  let readyAt = Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const payloads: Array<{ at: number; data: unknown }> = [];
  const clients: Client[] = [];
  const firsts: Array<Promise<void>> = [];
  const completions: Array<Promise<void>> = [];
  for (let i = 0; i < command.count; i++) {
    const client = wsClient(command.url, { lazy: false });
    clients.push(client);
    let first!: () => void;
    firsts.push(new Promise<void>((resolve) => (first = resolve)));
    let seen = 0;
    completions.push(
      new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: SUBSCRIPTION, variables: { recordId: command.recordId } },
          {
            next: (result) => {
              const now = Date.now();
              if (seen++ === 0) return first();
              const written = updatedAtOf(result.data);
              if (written === undefined || written < readyAt) return;
              latencies.push(now - written);
              if (i === 0) payloads.push({ at: now, data: result.data });
            },
            error: reject,
            complete: resolve,
          },
        );
      }),
    );
    // Connecting a thousand sockets at once would measure the accept queue, not the broadcast.
    if (i % OPEN_BATCH === OPEN_BATCH - 1) await Promise.all(firsts.slice(i + 1 - OPEN_BATCH));
  }
  await Promise.all(firsts);
  readyAt = Date.now();
  send({ kind: 'ready', at: readyAt });
  await Promise.all(completions);
  await Promise.all(clients.map((c) => c.dispose()));
  send({ kind: 'done', latencies, payloads });
}

async function plainClients(command: Extract<ClientCommand, { cmd: 'plain' }>): Promise<void> {
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  const completions: Array<Promise<void>> = [];
  for (let i = 0; i < command.count; i += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, command.count - i) }, () => {
      const socket = new WebSocket(command.url);
      sockets.push(socket);
      completions.push(
        new Promise<void>((resolve, reject) => {
          socket.on('message', (raw) => {
            const now = Date.now();
            const message = JSON.parse(String(raw)) as { type: string; payload?: { data?: unknown } };
            if (message.type === 'complete') return resolve();
            const written = updatedAtOf(message.payload?.data);
            if (written !== undefined) latencies.push(now - written);
          });
          socket.on('error', reject);
        }),
      );
      return new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
    });
    await Promise.all(batch);
  }
  send({ kind: 'ready', at: Date.now() });
  await Promise.all(completions);
  for (const socket of sockets) socket.close();
  send({ kind: 'done', latencies, payloads: [] });
}
