import type { ChildProcess } from 'node:child_process';
import { addSeats, installOk, syncedSegment } from '../../support/fixtures/installs.js';
import type { BenchEnv } from '../env.js';
import { forkHelper, nextMessage, stopHelper } from '../processes.js';
import { atMost, type BenchResult, result } from '../report.js';
import { summarize } from '../stats.js';
import { type ClientCommand, type ClientReport, isReport } from '../subscribe-protocol.js';

/**
 * Processes the subscribers are split between. One process parsing a thousand 9 KiB messages per
 * event spent 55–75 ms of CPU on it, so the last subscriber's latency was mostly that one thread's
 * queue (the baseline's p99 fell from 78 to 60 ms with two); a thousand dashboards are a thousand
 * machines.
 */
const SUBSCRIBER_PROCESSES = 2;

/**
 * `count` graphql-ws subscribers on one running install's log: p99 of (receive time − the event's
 * `updatedAt`, which the controller stamps as it writes the log), against the same payloads at the
 * same pace broadcast by a plain `ws` server to as many plain clients. The subscribers live in
 * processes of their own (`subscribe-clients.ts`), the same ones for both sides.
 */
export async function subscribeCase(env: BenchEnv): Promise<BenchResult> {
  const count = env.quick ? 50 : 1000;
  const seatCount = env.quick ? 20 : 100;
  const rounds = env.quick ? 1 : 3;
  const sim = await env.startSim('subscribe', {
    SDP_SIM_DEVICE_MS: env.quick ? '3000' : '10000',
    SDP_SIM_DEVICE_JITTER: '0.5',
    // Holds each install back while the subscribers connect, so most of its events are live ones.
    SDP_SIM_LATENCY_MS: `StartTask=${env.quick ? 1000 : 10_000}`,
  });
  const seghub = await env.startSeghub('subscribe', sim, { INSTALL_POLL_MS: '250' });
  const clients = Array.from({ length: SUBSCRIBER_PROCESSES }, () => forkHelper('subscribe-clients'));
  const server = forkHelper('subscribe-baseline-server');
  const seghubMs: number[] = [];
  const baselineMs: number[] = [];
  let events = 0;
  try {
    const { port } = await nextMessage(server, (m): m is { port: number } => hasKey(m, 'port'));
    const seats = await addSeats(seghub.url, seatCount, 'console');
    for (let r = 0; r < rounds; r++) {
      const segment = await syncedSegment(seghub.url, `bench-subscribe-${r}`);
      const record = await installOk(
        seghub.url,
        segment.id,
        seats.map((s) => s.id),
      );
      const live = await session(clients, { cmd: 'graphql', url: seghub.url, recordId: record.id, count });
      const graphql = await live.done;
      for (const ms of graphql.latencies) seghubMs.push(ms);
      events += graphql.payloads.length;
      if (!graphql.payloads.length)
        throw new Error('no install log event arrived after the subscribers were live');

      const plain = await session(clients, { cmd: 'plain', url: `ws://127.0.0.1:${port}`, count });
      const played = nextMessage(server, (m): m is { played: true } => hasKey(m, 'played'));
      server.send({ cmd: 'play', payloads: graphql.payloads });
      await played;
      for (const ms of (await plain.done).latencies) baselineMs.push(ms);
    }
  } finally {
    await Promise.all(clients.map(stopHelper));
    await stopHelper(server);
    await seghub.stop();
    await sim.stop();
  }
  const s = summarize(seghubMs);
  const b = summarize(baselineMs);
  return result({
    case: 'subscribe-1k',
    unit: 'ms',
    metric: 'p99',
    seghub: s,
    baseline: b,
    // Timestamps have millisecond resolution: a baseline p99 under 1 ms counts as 1 ms.
    checks: [atMost('p99', s.p99, 100, ' ms'), atMost('ratio', s.p99 / Math.max(1, b.p99), 3)],
    extra: {
      subscribers: count,
      subscriberProcesses: SUBSCRIBER_PROCESSES,
      seats: seatCount,
      liveEvents: events,
    },
  });
}

/**
 * Sends a command to the subscriber processes, its `count` subscribers split between them; resolves
 * once every one is live, with their joint end: all latencies, and the first process's payloads.
 */
async function session(clients: ChildProcess[], command: ClientCommand) {
  const { count } = command;
  const next = (client: ChildProcess) => nextMessage(client, isReport).then(unwrap);
  const share = (i: number) =>
    Math.floor((count * (i + 1)) / clients.length) - Math.floor((count * i) / clients.length);
  const ready = clients.map((client) => next(client));
  for (const [i, client] of clients.entries()) client.send({ ...command, count: share(i) });
  await Promise.all(ready);
  const ends = clients.map((client) => next(client) as Promise<Extract<ClientReport, { kind: 'done' }>>);
  const done = Promise.all(ends).then((reports) => ({
    latencies: reports.flatMap((r) => r.latencies),
    payloads: reports[0]?.payloads ?? [],
  }));
  return { done };
}

function unwrap(report: ClientReport): ClientReport {
  if (report.kind === 'error') throw new Error(`subscriber process: ${report.message}`);
  return report;
}

function hasKey(message: unknown, key: string): boolean {
  return typeof message === 'object' && message !== null && key in message;
}
