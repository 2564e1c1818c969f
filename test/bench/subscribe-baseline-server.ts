import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';

/**
 * The subscribe-1k baseline, in its own process as seghub is: a plain `ws` server that broadcasts
 * the payloads seghub sent, at the pace seghub sent them, to every connected client. Each payload's
 * `updatedAt` is set to the moment of its broadcast (the baseline's "store write"), and it is
 * serialised once for all clients, as a plain broadcast would.
 */
type PlayCommand = { cmd: 'play'; payloads: Array<{ at: number; data: unknown }> };

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('listening', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});

process.on('message', (command: PlayCommand) => {
  void play(command.payloads).then(() => process.send?.({ played: true }));
});
process.on('disconnect', () => process.exit(0));

async function play(payloads: PlayCommand['payloads']): Promise<void> {
  let previous = payloads[0]?.at ?? 0;
  for (const { at, data } of payloads) {
    // The recorded pace of seghub's events: a schedule to reproduce, not a condition to wait for.
    if (at > previous) await sleep(at - previous);
    previous = at;
    const log = (data as { installLogUpdated: Record<string, unknown> }).installLogUpdated;
    const stamped = { installLogUpdated: { ...log, updatedAt: new Date().toISOString() } };
    const frame = JSON.stringify({ id: 'bench', type: 'next', payload: { data: stamped } });
    for (const client of server.clients) client.send(frame);
  }
  const complete = JSON.stringify({ id: 'bench', type: 'complete' });
  for (const client of server.clients) client.send(complete);
}
