import { type ExecutionResult, print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { InstallLogFieldsFragment } from '../generated/graphql.js';
import { InstallLogUpdated } from '../support/documents/install-documents.js';
import {
  addSeats,
  followInstallLog,
  installOk,
  lastSeatStates,
  syncedSegment,
} from '../support/fixtures/installs.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * Many subscribers on one install log share one follower, one execution and one serialisation per
 * event (bench subscribe-1k). What each of them receives must not change: the same events as a lone
 * subscriber would get, a complete first event for a late one, its own operation id on each message.
 */
describe('install log fan-out', () => {
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const clients: Client[] = [];
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');

  beforeAll(async () => {
    app = await startSegmentApp({ INSTALL_POLL_MS: '50' });
    seats = await addSeats(app.url, 12);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await app?.stop();
  });

  const client = () => {
    const created = wsClient(app.url);
    clients.push(created);
    return created;
  };

  it('sends every subscriber the same events, a late one a complete first event, each under its own id', async () => {
    const segment = await syncedSegment(app.url, 'fan-out');
    platform().tasks.setBehaviour({ durationMs: 1500 });
    // SDP refuses StartTask until every subscriber is in: all of them see the install from its start.
    platform().faults.set({ errorRate: { StartTask: 1 } });
    const record = await installOk(
      app.url,
      segment.id,
      seats.map((seat) => seat.id),
    );
    const firsts = new Set<string>();
    let late: Promise<InstallLogFieldsFragment[]> | undefined;
    const a = followInstallLog(client(), record.id, (_log, index) => {
      firsts.add('a');
      // Joins while the install runs, once a few events have gone by.
      if (index === 3) late = followInstallLog(client(), record.id);
    });
    const b = followInstallLog(client(), record.id, () => firsts.add('b'));
    const percentOnly = percents(client(), record.id, () => firsts.add('percent-only'));
    // An id that would end the message early if it were not escaped: the payload must still land in
    // `payload` alone (messages are framed by hand, ws-direct.ts).
    const hostileId = 'x","type":"complete","payload":{"data":null}}';
    const raw = rawSubscriber(app.url, hostileId, record.id, () => firsts.add('raw'));
    await waitFor(() => firsts.size === 4, { message: 'every subscriber has its first event' });
    platform().faults.clear();

    const [fromA, fromB, fromPercentOnly, fromRaw] = await Promise.all([a, b, percentOnly, raw]);
    expect(fromA.at(-1)).toMatchObject({ status: 'SUCCEEDED', percent: 100 });
    expect(fromA.length).toBeGreaterThan(4);
    expect(fromB).toEqual(fromA);
    expect(fromRaw.ids).toEqual(new Set([hostileId]));
    expect(fromRaw.logs).toEqual(fromA);
    expect(fromPercentOnly).toEqual(fromA.map((log) => log.percent));

    const fromLate = await (late as Promise<InstallLogFieldsFragment[]>);
    expect(fromLate.length).toBeGreaterThan(1);
    // Its first event has every seat, as of the event it joined at; then it is in step with the rest.
    const joinedAt = fromA.length - fromLate.length;
    expect(fromLate[0]?.changedSeats).toHaveLength(seats.length);
    expect(fromLate[0]).toMatchObject({ percent: fromA[joinedAt]?.percent, status: fromA[joinedAt]?.status });
    expect(fromLate.slice(1)).toEqual(fromA.slice(joinedAt + 1));
    expect(lastSeatStates(fromLate)).toEqual(lastSeatStates(fromA));
  });
});

/** `percent` only: a different document, so a result of its own. */
function percents(client: Client, recordId: string, onEvent: () => void): Promise<number[]> {
  const seen: number[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe(
      {
        query: 'subscription P($id: ID!) { installLogUpdated(recordId: $id) { percent } }',
        variables: { id: recordId },
      },
      {
        next: (result: ExecutionResult<Record<string, unknown>>) => {
          const log = result.data?.installLogUpdated as { percent: number } | undefined;
          if (!log) return reject(new Error(JSON.stringify(result.errors)));
          seen.push(log.percent);
          onEvent();
        },
        error: reject,
        complete: () => resolve(seen),
      },
    );
  });
}

/** The graphql-transport-ws protocol by hand, keeping each message's id as sent. */
function rawSubscriber(url: string, id: string, recordId: string, onEvent: () => void) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const logs: InstallLogFieldsFragment[] = [];
  const ids = new Set<string>();
  return new Promise<{ logs: InstallLogFieldsFragment[]; ids: Set<string> }>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return reject(new Error('a binary message'));
      const message = JSON.parse(String(raw)) as { type: string; id?: string; payload?: ExecutionResult };
      if (message.type === 'connection_ack') {
        const payload = { query: print(InstallLogUpdated), variables: { recordId } };
        socket.send(JSON.stringify({ type: 'subscribe', id, payload }));
      } else if (message.type === 'next') {
        ids.add(message.id as string);
        const data = message.payload?.data as { installLogUpdated: InstallLogFieldsFragment } | undefined;
        if (!data) return reject(new Error(`an event without data: ${String(raw)}`));
        logs.push(data.installLogUpdated);
        onEvent();
      } else if (message.type === 'complete') {
        socket.close();
        resolve({ logs, ids });
      } else reject(new Error(`unexpected message ${String(raw)}`));
    });
  });
}
