import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import type { SdpClient } from '../../src/sdp/sdp-client.js';
import { RefreshSegmentSeats, SegmentSeatsUpdated } from '../support/documents/install-documents.js';
import { DeleteSegment } from '../support/documents/segment-delete-documents.js';
import {
  addSeats,
  followInstallLog,
  install,
  installOk,
  installRecord,
  lastSeatStates,
  segmentSeatNames,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import { httpGraphQL, wsClient } from '../support/harness/graphql-client.js';
import { clientFor } from '../support/harness/sdp-sim.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/** SPEC flows 7, 8 and 10 against a real server and simulator (embedded store). */
describe('install and uninstall through SDP', () => {
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const started: { idempotencyKey: string; devices: number }[] = [];
  const onStarted = (task: { idempotencyKey: string; devices: number }) => started.push(task);

  beforeAll(async () => {
    app = await startSegmentApp({
      INSTALL_POLL_MS: '50',
      INSTALL_TIMEOUT_MS: '4000',
      INSTALL_HISTORY_KEEP: '2',
    });
    seats = await addSeats(app.url, 60);
    platform().tasks.events.on('started', onStarted);
  }, 30_000);

  afterEach(() => {
    platform().faults.clear();
    platform().tasks.setBehaviour({ durationMs: 300, failureRate: 0, stallRate: 0 });
    started.length = 0;
  });

  afterAll(async () => {
    platform().tasks.events.off('started', onStarted);
    await app?.stop();
  });

  const ids = (...indexes: number[]) => indexes.map((i) => seats[i]?.id as string);
  const names = (...indexes: number[]) => indexes.map((i) => seats[i]?.name as string).sort();

  /** Installs a new segment onto `seatIds`, followed by `client` from before anything moved to the end. */
  const installFollowed = async (client: Client, name: string, seatIds: string[], durationMs: number) => {
    const segment = await syncedSegment(app.url, name);
    platform().tasks.setBehaviour({ durationMs });
    // SDP refuses StartTask until the subscriber is in: it sees the install before anything moved.
    platform().faults.set({ errorRate: { StartTask: 1 } });
    const record = await installOk(app.url, segment.id, seatIds);
    const logs = await followInstallLog(client, record.id, (_log, index) => {
      if (index === 0) platform().faults.clear();
    });
    return { segment, record, logs };
  };

  it('streams the log of a 3-seat install from before it starts to its end, then lists the seats', async () => {
    const client = wsClient(app.url);
    try {
      const { segment, record, logs } = await installFollowed(client, 'live-progress', ids(0, 1, 2), 1200);
      expect(logs[0]).toMatchObject({ percent: 0 });
      expect(['PENDING', 'RUNNING']).toContain(logs[0]?.status);
      const percents = logs.map((log) => log.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(percents.at(-1)).toBe(100);
      expect(new Set(percents).size).toBeGreaterThan(2); // it moved in steps, not in one jump
      expect(logs.at(-1)).toMatchObject({ status: 'SUCCEEDED', summary: { total: 3, succeeded: 3 } });
      const states = lastSeatStates(logs);
      expect([...states.keys()].sort()).toEqual(names(0, 1, 2));
      for (const seat of states.values())
        expect(seat).toMatchObject({ state: 'SUCCEEDED', percent: 100, action: 'INSTALL' });
      // A subscriber arriving after the end gets the final log, whole, and the end.
      const late = await followInstallLog(client, record.id);
      expect(late).toHaveLength(1);
      expect(late[0]).toMatchObject({ status: 'SUCCEEDED', percent: 100 });
      expect(late[0]?.changedSeats.map((seat) => seat.seatName).sort()).toEqual(names(0, 1, 2));
      expect(await segmentSeatNames(app.url, segment.id)).toEqual(names(0, 1, 2));
      const uid = segment.remoteExtra?.uid as string;
      expect(platform().tasks.installedDevices(uid).sort()).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2']);
      expect(await app.store.get(keys.activeInstall(`live-progress/1.0.0`))).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });

  it('writes the log of a running install at most once per INSTALL_POLL_MS, whatever else queues it', async () => {
    const client = wsClient(app.url);
    try {
      const { logs } = await installFollowed(client, 'paced-polls', ids(3, 4, 5), 1500);
      // From the first poll on (seats no longer PENDING): the write that started the record is no poll.
      const polled = logs.filter((log) => log.changedSeats.some((seat) => seat.state !== 'PENDING'));
      const written = polled.map((log) => Date.parse(log.updatedAt));
      const gaps = written.slice(1).map((at, i) => at - (written[i] as number));
      // Every device moves between two polls, so each poll is a write: ~30 of them in 1.5 s at 50 ms.
      expect(gaps.length).toBeGreaterThan(10);
      // The poll start is paced, the write follows it by the poll's own time: half the period is slack.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(25);
      // Nor is any event empty: starting the tasks changed no seat, so it wrote no log.
      expect(logs.filter((log) => log.changedSeats.length === 0)).toEqual([]);
      expect(logs.at(-1)).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await client.dispose();
    }
  });

  it('from {a,b} to {b,c}: installs c, uninstalls a, leaves b alone', async () => {
    const segment = await syncedSegment(app.url, 'move-seats');
    // segmentUpdated follows the seat list too, though installing never touches the segment record.
    const client = wsClient(app.url);
    const seatLists: string[][] = [];
    const watching = new Promise<void>((resolve, reject) => {
      const stop = client.subscribe(
        { query: print(SegmentSeatsUpdated), variables: { id: segment.id } },
        {
          next: (result) => {
            const update = (result.data as { segmentUpdated: { seats: { name: string }[] } }).segmentUpdated;
            seatLists.push(update.seats.map((seat) => seat.name).sort());
            if (seatLists.at(-1)?.join() === names(4, 5).join()) {
              stop();
              resolve();
            }
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    const first = await installOk(app.url, segment.id, ids(3, 4));
    await waitForInstallEnd(app.url, first.id);
    started.length = 0;

    const second = await installOk(app.url, segment.id, ids(4, 5));
    expect(second.installSeatNames).toEqual(names(5));
    expect(second.uninstallSeatNames).toEqual(names(3));
    const ended = await waitForInstallEnd(app.url, second.id);
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.log?.seats.map((s) => [s.seatName, s.action, s.state])).toEqual([
      [names(5)[0], 'INSTALL', 'SUCCEEDED'],
      [names(3)[0], 'UNINSTALL', 'SUCCEEDED'],
    ]);
    expect(ended.log?.seats.map((s) => s.seat?.id)).toEqual([seats[5]?.id, seats[3]?.id]);
    // One device per task: b was in neither.
    expect(started.map((task) => task.devices)).toEqual([1, 1]);
    expect(await segmentSeatNames(app.url, segment.id)).toEqual(names(4, 5));
    const uid = segment.remoteExtra?.uid as string;
    expect(platform().tasks.installedDevices(uid).sort()).toEqual(['10.0.0.4', '10.0.0.5']);
    await watching;
    await client.dispose();
    expect(seatLists[0]).toEqual([]);
    expect(seatLists).toContainEqual(names(3, 4));
    expect(seatLists.at(-1)).toEqual(names(4, 5));

    // The same seats again: nothing to do, and no record.
    const same = await install(app.url, segment.id, ids(5, 4, 4));
    expect(same).toEqual({ __typename: 'InstallSegmentSuccess', record: null });
    const { kvs } = await app.store.range(keys.segmentInstalls('move-seats/1.0.0'));
    expect(kvs).toHaveLength(2);
  });

  it('keeps the newest INSTALL_HISTORY_KEEP ended records of a segment and deletes older ones with their logs', async () => {
    const segment = await syncedSegment(app.url, 'history');
    const records: string[] = [];
    for (const seat of [13, 14, 13]) {
      const record = await installOk(app.url, segment.id, ids(seat));
      await waitForInstallEnd(app.url, record.id);
      records.push(record.id);
    }
    const { kvs } = await app.store.range(keys.segmentInstalls('history/1.0.0'));
    expect(kvs).toHaveLength(2);
    expect(await installRecord(app.url, records[0] as string)).toBeNull();
    expect(await installRecord(app.url, records[2] as string)).toMatchObject({ status: 'SUCCEEDED' });
    const logs = await app.store.range(keys.segmentInstallLogs('history/1.0.0'), { keysOnly: true });
    const logRecords = new Set(logs.kvs.map((kv) => kv.key.split('/').slice(3, 4)[0]));
    expect(logRecords.size).toBe(2);
  });

  it('with 30 % of devices failing ends PARTIALLY_SUCCEEDED and lists exactly the seats that succeeded', async () => {
    const segment = await syncedSegment(app.url, 'flaky-devices');
    platform().tasks.setBehaviour({ failureRate: 0.3 });
    // 40 devices: all of them succeeding by chance is below one in a million.
    const all = Array.from({ length: 40 }, (_, i) => 20 + i);
    const record = await installOk(app.url, segment.id, ids(...all));
    const ended = await waitForInstallEnd(app.url, record.id);
    expect(ended.status).toBe('PARTIALLY_SUCCEEDED');
    const succeeded = ended.log?.seats.filter((s) => s.state === 'SUCCEEDED').map((s) => s.seatName) ?? [];
    const failed = ended.log?.seats.filter((s) => s.state === 'FAILED') ?? [];
    expect(succeeded.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const seat of failed) expect(seat.error).toBeTruthy();
    expect(ended.log?.summary).toMatchObject({
      total: 40,
      succeeded: succeeded.length,
      failed: failed.length,
    });
    expect(await segmentSeatNames(app.url, segment.id)).toEqual([...succeeded].sort());
    const uid = segment.remoteExtra?.uid as string;
    expect(platform().tasks.installedDevices(uid)).toHaveLength(succeeded.length);
  });

  it('a device that never answers is failed after INSTALL_TIMEOUT_MS instead of holding the record', async () => {
    const segment = await syncedSegment(app.url, 'silent-device');
    platform().tasks.setDevice('10.0.0.7', { outcome: 'stall', percent: 40 });
    try {
      const record = await installOk(app.url, segment.id, ids(6, 7));
      const ended = await waitForInstallEnd(app.url, record.id, 20_000);
      expect(ended.status).toBe('PARTIALLY_SUCCEEDED');
      const silent = ended.log?.seats.find((s) => s.seatName === names(7)[0]);
      expect(silent).toMatchObject({ state: 'FAILED', percent: 40 });
      expect(silent?.error).toMatch(/install timeout/);
      expect(await segmentSeatNames(app.url, segment.id)).toEqual(names(6));
    } finally {
      platform().tasks.setDevice('10.0.0.7', undefined);
    }
  });

  it('refuses in the SPEC order and writes nothing', async () => {
    const segment = await syncedSegment(app.url, 'refusals');
    const before = (await app.store.range(keys.installs)).count;
    const unknownSegment = await install(app.url, 'U2VnbWVudDpub3BlLzEuMC4w', ids(0));
    expect(unknownSegment).toMatchObject({ code: 'SEGMENT_NOT_FOUND' });
    const unknownSeat = await install(app.url, segment.id, [...ids(0), 'U2VhdDpub3BlLXNlYXQ=']);
    expect(unknownSeat).toMatchObject({ code: 'SEAT_NOT_FOUND' });

    platform().tasks.setBehaviour({ durationMs: 5000 });
    const running = await installOk(app.url, segment.id, ids(8));
    const busy = await install(app.url, segment.id, ids(8, 9));
    expect(busy).toMatchObject({ code: 'INSTALL_IN_PROGRESS' });
    expect((await app.store.range(keys.installs)).count).toBe(before + 1);
    await waitForInstallEnd(app.url, running.id);

    // A segment being deleted (SDP holds the delete open).
    const doomed = await syncedSegment(app.url, 'being-deleted');
    platform().faults.set({ hang: { DeleteSegment: true } });
    const deleting = await httpGraphQL(app.url, DeleteSegment, { id: doomed.id });
    expect(deleting.data?.deleteSegment.__typename).toBe('DeleteSegmentSuccess');
    expect(await install(app.url, doomed.id, ids(0))).toMatchObject({ code: 'SEGMENT_DELETING' });
    platform().faults.clear();

    // A segment that never reached SDP.
    platform().faults.set({
      errorRate: { CreateSegment: 1 },
      errorCode: 3 /* INVALID_ARGUMENT: permanent */,
    });
    const { uploadOk } = await import('../support/fixtures/segments.js');
    const { buildSegmentZip } = await import('../support/fixtures/archives.js');
    const { waitForSyncStatus } = await import('../support/fixtures/segments.js');
    const unsynced = await uploadOk(app.url, {
      bytes: await buildSegmentZip({ name: 'never-synced', version: '1.0.0' }),
      fileName: 'never-synced.zip',
    });
    // Typed as SyncStatus (the deprecated string field syncStatus says the same).
    await waitForSyncStatus(app.url, unsynced.id, 'FAILED');
    expect(await install(app.url, unsynced.id, ids(0))).toMatchObject({
      code: 'SEGMENT_NOT_SYNCED',
      status: 'FAILED',
    });
    expect((await app.store.range(keys.installs)).count).toBe(before + 1);
  });

  it('refreshSegmentSeats stores, for every version, the seats SDP says have it', async () => {
    const v1 = await syncedSegment(app.url, 'refreshed', '1.0.0');
    const v2 = await syncedSegment(app.url, 'refreshed', '2.0.0');
    await waitForInstallEnd(app.url, (await installOk(app.url, v1.id, ids(10, 11))).id);
    // Behind seghub's back: v2 goes onto seat 12, and v1 leaves seat 10.
    const sdp: SdpClient = clientFor(app.sim.sim, 'DEPLOY_PLATFORM');
    try {
      const tasks = await Promise.all([
        sdp.startTask({
          segmentUid: v2.remoteExtra?.uid as string,
          action: 'INSTALL',
          deviceIps: ['10.0.0.12'],
          idempotencyKey: 'by-hand-1',
        }),
        sdp.startTask({
          segmentUid: v1.remoteExtra?.uid as string,
          action: 'UNINSTALL',
          deviceIps: ['10.0.0.10'],
          idempotencyKey: 'by-hand-2',
        }),
      ]);
      await waitFor(async () => {
        const states = await Promise.all(tasks.map((t) => sdp.getTask(t.task.taskId)));
        return states.every((t) => t.state === 'SUCCEEDED');
      });
    } finally {
      sdp.close();
    }
    const result = await httpGraphQL(app.url, RefreshSegmentSeats, { id: v1.id });
    const payload = result.data?.refreshSegmentSeats;
    expect(payload?.__typename).toBe('RefreshSegmentSeatsSuccess');
    const versions = payload?.__typename === 'RefreshSegmentSeatsSuccess' ? payload.versions : [];
    expect(versions.map((v) => [v.version, v.seats.map((s) => s.name).sort()])).toEqual([
      ['2.0.0', names(12)],
      ['1.0.0', names(11)],
    ]);
    expect(await segmentSeatNames(app.url, v1.id)).toEqual(names(11));
    expect(await segmentSeatNames(app.url, v2.id)).toEqual(names(12));
    expect(await installRecord(app.url, 'bm9wZQ==')).toBeNull();
  });
});
