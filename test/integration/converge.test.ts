import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GroupDriftQuery } from '../generated/graphql.js';
import { SetSeatLabels, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import {
  ClearDesiredVersion,
  GroupDrift,
  SegmentInstallOrigins,
  SetDesiredVersion,
} from '../support/documents/upgrade-documents.js';
import { addSeats, segmentSeatNames, syncedSegment } from '../support/fixtures/installs.js';
import { seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

type Desired = NonNullable<GroupDriftQuery['seatGroup']>['desiredVersions'][number];

/** D4: desired versions, drift, and the converge reconciler (embedded store, real simulator). */
describe('desired versions and converge', () => {
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const started: { idempotencyKey: string; devices: number }[] = [];
  const onStarted = (task: { idempotencyKey: string; devices: number }) => started.push(task);

  beforeAll(async () => {
    app = await startSegmentApp({
      INSTALL_POLL_MS: '50',
      CONVERGE_RETRY_BASE_MS: '100',
      CONVERGE_RETRY_MAX: '3',
    });
    seats = await addSeats(app.url, 1020);
    platform().tasks.events.on('started', onStarted);
  }, 60_000);

  afterEach(() => {
    platform().tasks.setBehaviour({ durationMs: 300, failureRate: 0 });
    started.length = 0;
  });

  afterAll(async () => {
    platform().tasks.events.off('started', onStarted);
    await app?.stop();
  });

  const gql = httpGraphQL;
  async function group(name: string, selector: string) {
    const result = await gql(app.url, UpsertSeatGroup, { input: { name, selector } });
    expect(result.data?.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
  }
  async function label(ids: string[], set: { key: string; value: string }[], remove?: string[]) {
    const result = await gql(app.url, SetSeatLabels, { seatIds: ids, set, ...(remove ? { remove } : {}) });
    expect(result.data?.setSeatLabels.__typename).toBe('SetSeatLabelsSuccess');
  }
  async function desire(groupName: string, segmentId: string) {
    const result = await gql(app.url, SetDesiredVersion, { group: groupName, segmentId });
    expect(result.data?.setDesiredVersion.__typename).toBe('SetDesiredVersionSuccess');
    return result.data?.setDesiredVersion;
  }
  async function desired(groupName: string, name: string): Promise<Desired | undefined> {
    const result = await gql(app.url, GroupDrift, { name: groupName, first: 500 });
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    return result.data?.seatGroup?.desiredVersions.find((d) => d.name === name);
  }
  const ids = (list: typeof seats) => list.map((seat) => seat.id);
  const names = (list: typeof seats) => list.map((seat) => seat.name).sort();
  const devicesStarted = () => started.reduce((sum, task) => sum + task.devices, 0);

  it('installs the desired version on 1,000 seats relabelled into the group, each exactly once', async () => {
    const fleet = seats.slice(0, 1000);
    const v1 = await syncedSegment(app.url, 'converge-app', '1.0.0');
    await group('fleet', 'ring=a');
    const set = await desire('fleet', v1.id);
    expect(set).toMatchObject({ desiredVersion: { name: 'converge-app', version: '1.0.0', rollout: null } });
    expect(await desired('fleet', 'converge-app')).toMatchObject({ drift: 0 });

    await label(ids(fleet), [{ key: 'ring', value: 'a' }]);
    const done = await waitFor(
      async () => {
        const d = await desired('fleet', 'converge-app');
        return d && d.drift === 0 && (await segmentSeatNames(app.url, v1.id)).length === 1000 ? d : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, message: 'drift of fleet to reach 0' },
    );
    expect(done.driftSeats.totalCount).toBe(0);
    // Each seat through SDP exactly once: 1,000 devices over all tasks, and SDP has all of them.
    expect(devicesStarted()).toBe(1000);
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toEqual(names(fleet));
    const origins = await gql(app.url, SegmentInstallOrigins, { id: v1.id });
    const records = origins.data?.segment?.installRecords ?? [];
    // Batches of at most CONVERGE_BATCH_SEATS (labels arrive in chunks, so a batch may be smaller).
    expect(records.length).toBeGreaterThanOrEqual(5);
    for (const record of records) {
      expect(record.origin).toEqual({ kind: 'CONVERGE', group: 'fleet' });
      expect(record.installSeatNames.length).toBeLessThanOrEqual(200);
    }
    expect(records.flatMap((record) => record.installSeatNames).sort()).toEqual(names(fleet));

    // Relabelled out: keeps what it runs, and nothing is started for it.
    started.length = 0;
    await label([fleet[0]!.id], [], ['ring']);
    await group('fleet', 'ring=a'); // a later write, so the membership change has been applied
    expect(await desired('fleet', 'converge-app')).toMatchObject({ drift: 0 });
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toContain(fleet[0]!.name);
    expect(started).toEqual([]);
  }, 120_000);

  it('retries a seat that keeps failing with backoff, parks it with its reason, and starts over when asked', async () => {
    const v1 = await syncedSegment(app.url, 'converge-flaky', '1.0.0');
    await group('flaky', 'flaky=yes');
    await desire('flaky', v1.id);
    const [bad, good] = [seats[1000]!, seats[1001]!];
    platform().tasks.setDevice(bad.ip, { outcome: 'fail', error: 'no space left on device' });
    try {
      await label([bad.id, good.id], [{ key: 'flaky', value: 'yes' }]);
      const parked = await waitFor(
        async () => {
          const seat = (await desired('flaky', 'converge-flaky'))?.driftSeats.edges[0]?.node;
          return seat?.reason === 'PARKED' ? seat : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100, message: 'the failing seat to be parked' },
      );
      expect(parked).toMatchObject({ seatName: bad.name, attempts: 3 });
      expect(parked.message).toContain('no space left on device');
      // Three attempts for the bad seat (one with the good seat in it), none after parking.
      expect(started).toHaveLength(3);
      expect(await segmentSeatNames(app.url, v1.id)).toEqual([good.name]);
    } finally {
      platform().tasks.setDevice(bad.ip, undefined);
    }
    await desire('flaky', v1.id); // a fresh start for parked seats
    await waitFor(async () => (await desired('flaky', 'converge-flaky'))?.drift === 0, {
      timeoutMs: 30_000,
      message: 'the parked seat to converge once it works',
    });
    expect(await segmentSeatNames(app.url, v1.id)).toEqual(names([bad, good]));
  }, 60_000);

  it('leaves seats whose groups desire different versions alone, in CONFLICT, and moves the others', async () => {
    const [v1, v2] = [
      await syncedSegment(app.url, 'converge-split', '1.0.0'),
      await syncedSegment(app.url, 'converge-split', '2.0.0'),
    ];
    const [northOnly, bridgeOnly, both] = [seats[1010]!, seats[1011]!, seats[1012]!];
    await group('north', 'site=north');
    await group('bridge', 'role=bridge');
    await desire('north', v1.id);
    await desire('bridge', v2.id);
    await label([northOnly.id], [{ key: 'site', value: 'north' }]);
    await label([bridgeOnly.id], [{ key: 'role', value: 'bridge' }]);
    await label(
      [both.id],
      [
        { key: 'site', value: 'north' },
        { key: 'role', value: 'bridge' },
      ],
    );
    const north = await waitFor(
      async () => {
        const d = await desired('north', 'converge-split');
        return d?.drift === 1 && (await segmentSeatNames(app.url, v1.id)).length === 1 ? d : undefined;
      },
      { timeoutMs: 30_000, message: 'north to converge but for the shared seat' },
    );
    await waitFor(async () => (await segmentSeatNames(app.url, v2.id)).length === 1, { timeoutMs: 30_000 });
    const conflict = north.driftSeats.edges[0]?.node;
    expect(conflict).toMatchObject({ seatName: both.name, reason: 'CONFLICT' });
    expect(conflict?.message).toMatch(
      /north desire .*1\.0\.0.*bridge desire .*2\.0\.0|bridge desire .*north desire/,
    );
    expect((await desired('bridge', 'converge-split'))?.driftSeats.edges[0]?.node).toMatchObject({
      seatName: both.name,
      reason: 'CONFLICT',
    });
    expect(await segmentSeatNames(app.url, v1.id)).toEqual([northOnly.name]);
    expect(await segmentSeatNames(app.url, v2.id)).toEqual([bridgeOnly.name]);
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).not.toContain(both.name);
    expect(await seatsRunningOnSdp(app.url, app.sim, v2.id, seats)).not.toContain(both.name);

    // The group moves to v2: its seat is upgraded in place (v1 removed), the conflict goes away.
    await desire('north', v2.id);
    await waitFor(async () => (await segmentSeatNames(app.url, v2.id)).length === 3, {
      timeoutMs: 30_000,
      message: 'every seat on v2',
    });
    expect(await segmentSeatNames(app.url, v1.id)).toEqual([]);
    const cleared = await gql(app.url, ClearDesiredVersion, { group: 'north', name: 'converge-split' });
    expect(cleared.data?.clearDesiredVersion).toMatchObject({ cleared: true });
    expect(await desired('north', 'converge-split')).toBeUndefined();
  }, 60_000);
});
