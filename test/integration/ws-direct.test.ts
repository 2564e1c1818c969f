import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FormattedExecutionResult, GraphQLInt, GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Services } from '../../src/domain/services.js';
import { cancellable } from '../../src/graphql/cancellable.js';
import { createAuthenticator } from '../../src/server/auth/authenticate.js';
import { createMetricsRegistry } from '../../src/server/metrics.js';
import { attachGraphQLWs, type GraphQLWsServer } from '../../src/server/ws.js';
import { createYogaServer } from '../../src/server/yoga.js';
import { Broadcast } from '../../src/util/broadcast.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { waitFor } from '../support/harness/wait-for.js';

type Tick = { n: number };
type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;
type TickArgs = { count?: number | null; errorAt?: number | null; failAt?: number | null };

/**
 * graphql-ws subscriptions on shared streams send their plain results directly (ws-direct.ts); what
 * a client sees, and what the server's hooks do, must be what graphql-ws and envelop would do.
 * `ticks` hands every subscriber the same event objects, a few milliseconds apart: `count` of them
 * (forever without one), the result of `errorAt` failing in a resolver, the source failing at `failAt`.
 */
function tickSchema(state: { sourcesOpen: number; subscribes: number; aborts: number }) {
  const events = Array.from({ length: 1000 }, (_, i): Tick => ({ n: i + 1 }));
  const Tick = new GraphQLObjectType<Tick>({
    name: 'Tick',
    fields: { n: { type: GraphQLInt } },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: Tick,
          args: { count: { type: GraphQLInt }, errorAt: { type: GraphQLInt }, failAt: { type: GraphQLInt } },
          subscribe: (_root, args: TickArgs) =>
            cancellable((signal) => {
              // Counted from the subscribe, before the source first runs: a subscription never read.
              state.subscribes++;
              signal.addEventListener('abort', () => state.aborts++, { once: true });
              // A broadcast, as the install log's: its readers are polled by the direct path.
              const source = async function* (stop: AbortSignal): AsyncGenerator<Tick, undefined> {
                state.sourcesOpen++;
                try {
                  for (const event of events.slice(0, args.count ?? events.length)) {
                    await sleep(2, undefined, { signal: stop }).catch(() => undefined);
                    if (stop.aborted) return undefined;
                    if (event.n === args.failAt) throw new Error('tick source lost its upstream at 10.0.0.7');
                    yield event;
                  }
                } finally {
                  state.sourcesOpen--;
                }
                return undefined;
              };
              const ticks = new Broadcast(source, {
                catchUp: (latest) => latest,
                maxBacklog: 1000,
                onClose: () => {},
              });
              return ticks.read(signal);
            }),
          resolve: (event: Tick, args: TickArgs) => ({
            get n() {
              if (event.n === args.errorAt) throw new Error('tick resolver read secret row 42');
              return event.n;
            },
          }),
        },
      },
    }),
  });
}

describe('graphql-ws results sent directly from a shared stream', () => {
  const state = { sourcesOpen: 0, subscribes: 0, aborts: 0 };
  let server: Server;
  let ws: GraphQLWsServer;
  let registry: Registry;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    const log = pino({ level: 'silent' });
    registry = createMetricsRegistry();
    const yoga = createYogaServer({
      schema: tickSchema(state),
      log,
      registry,
      probes: [],
      readiness: { stopping: false },
      // This schema's resolvers never reach a service.
      services: {} as Services,
      maxUploadBytes: 1024,
    });
    server = createServer(yoga);
    ws = attachGraphQLWs(
      server,
      yoga,
      log,
      await createAuthenticator({ disabled: true, tokensReloadMs: 0 }, log),
      {
        maxMessageBytes: 1024 * 1024,
        maxSubscriptionsPerSocket: 100,
        maxSubscriptionsPerPrincipal: 2000,
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await ws?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const subscribe = (variables: TickArgs, onNext?: (result: Result) => void) => {
    const client = wsClient(url);
    clients.push(client);
    const results: Result[] = [];
    let unsubscribe = () => {};
    const ended = new Promise<{ error?: unknown }>((resolve) => {
      unsubscribe = client.subscribe(
        {
          query:
            'subscription Ticks($count: Int, $errorAt: Int, $failAt: Int) { ticks(count: $count, errorAt: $errorAt, failAt: $failAt) { n } }',
          variables,
        },
        {
          next: (result) => {
            results.push(result);
            onNext?.(result);
          },
          error: (error) => resolve({ error }),
          complete: () => resolve({}),
        },
      );
    });
    return { results, ended, unsubscribe: () => unsubscribe() };
  };
  const ns = (results: Result[]) => results.map((r) => (r.data as { ticks: Tick } | undefined)?.ticks.n);

  it('sends every result to every subscriber in order, completes, and runs the end hooks', async () => {
    const requests = () => subscriptionRequests(registry);
    const before = await requests();
    const subscribers = Array.from({ length: 3 }, () => subscribe({ count: 5 }));
    for (const { ended } of subscribers) expect(await ended).toEqual({});
    for (const { results } of subscribers) {
      expect(ns(results)).toEqual([1, 2, 3, 4, 5]);
      expect(results.every((r) => r.errors === undefined)).toBe(true);
    }
    // The envelop end hooks (here the request counter) ran once per subscription.
    expect(await requests()).toBe(before + 3);
    await waitFor(() => state.sourcesOpen === 0, { message: 'sources closed' });
  });

  it('sends a result with errors masked, through envelop, and the results after it', async () => {
    const { results, ended } = subscribe({ count: 5, errorAt: 3 });
    expect(await ended).toEqual({});
    expect(ns(results)).toEqual([1, 2, null, 4, 5]);
    expect(results[2]?.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
    expect(JSON.stringify(results)).not.toContain('secret');
  });

  it('ends with a masked error when the source fails', async () => {
    const { results, ended } = subscribe({ count: 5, failAt: 3 });
    const { error } = await ended;
    expect(ns(results)).toEqual([1, 2]);
    expect(error).toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
    expect(JSON.stringify(error)).not.toContain('10.0.0.7');
    await waitFor(() => state.sourcesOpen === 0, { message: 'sources closed' });
  });

  it('ends the source at once when the client unsubscribes', async () => {
    let first!: () => void;
    const started = new Promise<void>((resolve) => (first = resolve));
    const endless = subscribe({}, first);
    await started;
    expect(state.sourcesOpen).toBe(1);
    endless.unsubscribe();
    await waitFor(() => state.sourcesOpen === 0, { message: 'the source to end' });
    expect(endless.results.length).toBeGreaterThan(0);
  });

  it('ends the source of a subscription the client completed while it was being set up', async () => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const acknowledged = new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (raw) => {
        if ((JSON.parse(String(raw)) as { type: string }).type === 'connection_ack') resolve();
      });
    });
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await acknowledged;
    const { subscribes, aborts } = state;
    // Both in one go: graphql-ws reads the `complete` while the subscribe is still being set up.
    const query = 'subscription { ticks { n } }';
    socket.send(JSON.stringify({ type: 'subscribe', id: 'early', payload: { query } }));
    socket.send(JSON.stringify({ type: 'complete', id: 'early' }));
    await waitFor(() => state.subscribes > subscribes, { message: 'the subscription to have been set up' });
    await waitFor(() => state.aborts > aborts, { message: 'its source to be ended' });
    socket.close();
  });
});

/** graphql_envelop_request for subscriptions named Ticks, summed over its label sets. */
async function subscriptionRequests(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('graphql_envelop_request')?.get();
  return (metric?.values ?? [])
    .filter((v) => v.labels.operationType === 'subscription' && v.labels.operationName === 'Ticks')
    .reduce((sum, v) => sum + v.value, 0);
}
