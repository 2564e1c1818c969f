import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addSeats,
  installOk,
  segmentSeatNames,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import {
  installUpgrade,
  installUpgradeOk,
  recordSeats,
  seatsRunningOnSdp,
} from '../support/fixtures/upgrades.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

/** D1 and D3: one active change per name; v1 → v2 in one record, in both orders (embedded store). */
describe('upgrade in one step', () => {
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const started: { idempotencyKey: string }[] = [];
  const onStarted = (task: { idempotencyKey: string }) => started.push(task);

  beforeAll(async () => {
    app = await startSegmentApp({ INSTALL_POLL_MS: '50' });
    seats = await addSeats(app.url, 120);
    platform().tasks.events.on('started', onStarted);
  }, 60_000);

  afterEach(() => {
    platform().tasks.setBehaviour({ durationMs: 300, failureRate: 0 });
    for (const seat of seats) platform().tasks.setDevice(seat.ip, undefined);
    started.length = 0;
  });

  afterAll(async () => {
    platform().tasks.events.off('started', onStarted);
    await app?.stop();
  });

  const slice = (from: number, to: number) => seats.slice(from, to);
  const names = (list: typeof seats) => list.map((seat) => seat.name).sort();

  async function v1Everywhere(name: string, on: typeof seats) {
    const v1 = await syncedSegment(app.url, name, '1.0.0');
    const v2 = await syncedSegment(app.url, name, '2.0.0');
    const first = await installOk(
      app.url,
      v1.id,
      on.map((seat) => seat.id),
    );
    expect((await waitForInstallEnd(app.url, first.id)).status).toBe('SUCCEEDED');
    return { v1, v2 };
  }

  it.each(['INSTALL_FIRST', 'UNINSTALL_FIRST'] as const)(
    'moves 50 seats from v1 to v2 (%s)',
    async (order) => {
      const group = order === 'INSTALL_FIRST' ? slice(0, 50) : slice(50, 100);
      const { v1, v2 } = await v1Everywhere(`upgrade-${order.toLowerCase().replace('_', '-')}`, group);
      started.length = 0;
      const record = await installUpgradeOk(
        app.url,
        v2.id,
        group.map((seat) => seat.id),
        { replaceOtherVersions: true, upgradeOrder: order },
      );
      expect(record).toMatchObject({
        replacesVersions: [{ id: v1.id }],
        upgradeOrder: order,
        origin: { kind: 'MANUAL' },
      });
      const ended = await waitForInstallEnd(app.url, record.id);
      expect(ended).toMatchObject({ status: 'SUCCEEDED', log: { summary: { total: 50, succeeded: 50 } } });
      // Two steps, each one task, each started once.
      expect(started).toHaveLength(2);
      expect(await segmentSeatNames(app.url, v1.id)).toEqual([]);
      expect(await segmentSeatNames(app.url, v2.id)).toEqual(names(group));
      expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toEqual([]);
      expect(await seatsRunningOnSdp(app.url, app.sim, v2.id, seats)).toEqual(names(group));
    },
  );

  it('keeps v1 where the install failed, and says both versions run where the removal failed', async () => {
    const group = slice(100, 104);
    const { v1, v2 } = await v1Everywhere('upgrade-failures', group);
    const [installFails, removalFails] = [group[0]!, group[1]!];
    platform().tasks.setDevice(installFails.ip, { outcome: 'fail', error: 'disk full' });
    // The override is read when a task starts: from the install's start on, removal fails there.
    platform().tasks.events.once('started', () =>
      platform().tasks.setDevice(removalFails.ip, { outcome: 'fail', error: 'locked' }),
    );
    const record = await installUpgradeOk(
      app.url,
      v2.id,
      group.map((seat) => seat.id),
      { replaceOtherVersions: true },
    );
    expect((await waitForInstallEnd(app.url, record.id)).status).toBe('PARTIALLY_SUCCEEDED');
    const log = (await recordSeats(app.url, record.id))?.log;
    const bySeat = new Map(log?.seats.map((seat) => [seat.seatName, seat]));
    expect(bySeat.get(installFails.name)).toMatchObject({ state: 'FAILED', error: 'disk full' });
    expect(bySeat.get(removalFails.name)).toMatchObject({ state: 'FAILED' });
    expect(bySeat.get(removalFails.name)?.error).toMatch(
      /^both versions present: removing .* failed: locked$/,
    );
    const moved = names(group.slice(2));
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toEqual(
      names([installFails, removalFails]),
    );
    expect(await seatsRunningOnSdp(app.url, app.sim, v2.id, seats)).toEqual(
      names([removalFails, ...group.slice(2)]),
    );
    expect(await segmentSeatNames(app.url, v1.id)).toEqual(names([installFails, removalFails]));
    expect(await segmentSeatNames(app.url, v2.id)).toEqual([removalFails.name, ...moved].sort());
  });

  it('refuses an install of any version of the name while one is running (INSTALL_IN_PROGRESS)', async () => {
    const group = slice(104, 108);
    const { v1, v2 } = await v1Everywhere('upgrade-busy', group);
    platform().tasks.setBehaviour({ durationMs: 3000 });
    const running = await installUpgradeOk(
      app.url,
      v2.id,
      group.map((seat) => seat.id),
      { replaceOtherVersions: true },
    );
    const refused = await installUpgrade(app.url, v1.id, [seats[110]!.id]);
    expect(refused).toMatchObject({ __typename: 'InstallInProgressError', code: 'INSTALL_IN_PROGRESS' });
    expect(refused.__typename === 'InstallInProgressError' && refused.recordId).toBe(running.id);
    platform().tasks.setBehaviour({ durationMs: 300 });
    await waitForInstallEnd(app.url, running.id);
    expect((await installUpgrade(app.url, v1.id, [seats[110]!.id])).__typename).toBe('InstallSegmentSuccess');
  });
});
