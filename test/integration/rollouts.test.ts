import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { FreezeGroup, UnfreezeGroup } from '../support/documents/freeze-documents.js';
import { ResumeRollout, RollbackRollout } from '../support/documents/rollout-control-documents.js';
import { GroupDrift } from '../support/documents/upgrade-documents.js';
import { addSeats, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { byName, ringGroup } from '../support/fixtures/rollout-fleet.js';
import { createRolloutOk, inState, rolloutSeats, waitForRollout } from '../support/fixtures/rollouts.js';
import { installUpgradeOk, seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

/**
 * Staged rollouts driven by the controller (SPEC-FLEET section 2) on both stores, with the
 * simulator failing, stalling or succeeding per device. 60 seats, a ring of them per test.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('rollouts on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const sdp = (segmentId: string) => seatsRunningOnSdp(app.url, app.sim, segmentId, seats);
  const names = (list: typeof seats) => list.map((s) => s.name).sort();

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    app = await startSegmentApp(
      { INSTALL_POLL_MS: '50', SOAK_CHECK_S: '1', ROLLOUT_RETRY_BASE_S: '0' },
      { store },
    );
    seats = await addSeats(app.url, 60, 'r');
    platform().tasks.setBehaviour({ durationMs: 100, jitter: 0, failureRate: 0 });
  }, 60_000);

  afterEach(() => {
    for (const seat of seats) platform().tasks.setDevice(seat.ip, undefined);
  });

  afterAll(async () => {
    await app?.stop();
    await backend?.dispose();
  });

  it('runs canary, 25 % and the rest over 40 seats, each wave after the last soak, and sets the desired version', async () => {
    const ring = seats.slice(0, 40);
    await ringGroup(app.url, 'fleet', ring);
    const v1 = await syncedSegment(app.url, 'roll-app', '1.0.0');
    const created = await createRolloutOk(app.url, {
      segmentId: v1.id,
      group: 'fleet',
      waves: [{ seats: 1, soakSeconds: 1 }, { percent: 25, soakSeconds: 1 }, {}],
    });
    expect(created.waves.map((w) => w.seatCount)).toEqual([1, 10, 29]);
    const done = await waitForRollout(app.url, created.id, inState('SUCCEEDED'));
    expect(done.summary).toMatchObject({ total: 40, succeeded: 40, failed: 0 });
    const [w1, w2, w3] = done.waves;
    expect(Date.parse(w2!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(w1!.soakUntil!));
    expect(Date.parse(w3!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(w2!.soakUntil!));
    expect(await sdp(v1.id)).toEqual(names(ring));
    const drift = await httpGraphQL(app.url, GroupDrift, { name: 'fleet', first: 10 });
    expect(drift.data?.seatGroup?.desiredVersions).toEqual([
      expect.objectContaining({ name: 'roll-app', version: '1.0.0', drift: 0 }),
    ]);
  }, 60_000);

  it('PAUSE on breach: the next wave does not start, the state says why; a resume accepts the failure', async () => {
    const ring = byName(seats.slice(40, 50));
    await ringGroup(app.url, 'ring-p', ring);
    const v1 = await syncedSegment(app.url, 'pause-app', '1.0.0');
    platform().tasks.setDevice(ring[3]!.ip, { outcome: 'fail', error: 'disk full' });
    const created = await createRolloutOk(app.url, {
      segmentId: v1.id,
      group: 'ring-p',
      waves: [{ seats: 2 }, { seats: 4 }, {}],
    });
    const paused = await waitForRollout(app.url, created.id, inState('PAUSED', 'SUCCEEDED'));
    expect(paused.state).toBe('PAUSED');
    expect(paused.pausedReason).toMatch(/^wave 2: 1 of \d ended seats failed/);
    expect(paused.waves[2]).toMatchObject({ state: 'PENDING', startedAt: null });
    expect(await sdp(v1.id)).toEqual(names([...ring.slice(0, 3), ...ring.slice(4, 6)]));

    const resumed = await httpGraphQL(app.url, ResumeRollout, { id: created.id });
    expect(resumed.data?.resumeRollout.__typename).toBe('ResumeRolloutSuccess');
    const done = await waitForRollout(app.url, created.id, inState('SUCCEEDED', 'PAUSED'));
    expect(done).toMatchObject({ state: 'SUCCEEDED', summary: { succeeded: 9, failed: 1 } });
    const failed = (await rolloutSeats(app.url, created.id)).find((s) => s.state === 'FAILED');
    expect(failed).toMatchObject({ seatName: ring[3]!.name, error: expect.stringContaining('disk full') });
  }, 60_000);

  it('ROLLBACK on breach: touched seats run their previous version again, seats that had nothing have nothing', async () => {
    const ring = byName(seats.slice(0, 20));
    await ringGroup(app.url, 'ring-b', ring);
    const v1 = await syncedSegment(app.url, 'revert-app', '1.0.0');
    const v2 = await syncedSegment(app.url, 'revert-app', '2.0.0');
    const withV1 = ring.filter((_, i) => i % 2 === 0);
    await waitForInstallEnd(
      app.url,
      (
        await installUpgradeOk(
          app.url,
          v1.id,
          withV1.map((s) => s.id),
        )
      ).id,
    );
    platform().tasks.setDevice(ring[8]!.ip, { outcome: 'fail', error: 'disk full' });
    const created = await createRolloutOk(app.url, {
      segmentId: v2.id,
      group: 'ring-b',
      waves: [{ seats: 5 }, { seats: 10 }, {}],
      onFailure: 'ROLLBACK',
    });
    const done = await waitForRollout(app.url, created.id, inState('ROLLED_BACK', 'PAUSED', 'SUCCEEDED'));
    expect(done.state).toBe('ROLLED_BACK');
    expect(done.waves[2]?.state).toBe('PENDING');
    const states = new Map((await rolloutSeats(app.url, created.id)).map((s) => [s.seatName, s]));
    for (const seat of ring.slice(0, 15)) expect(states.get(seat.name)?.state).toBe('ROLLED_BACK');
    for (const seat of ring.slice(15)) expect(states.get(seat.name)?.state).toBe('PENDING');
    expect(states.get(ring[0]!.name)?.fromVersions).toEqual(['1.0.0']);
    expect(states.get(ring[1]!.name)?.fromVersions).toEqual([]);
    expect(await sdp(v2.id)).toEqual([]);
    expect(await sdp(v1.id)).toEqual(names(withV1));
  }, 60_000);

  it('rollbackRollout after SUCCEEDED puts the previous versions back, only for the newest rollout', async () => {
    const ring = seats.slice(20, 30);
    await ringGroup(app.url, 'ring-c', ring);
    const v1 = await syncedSegment(app.url, 'late-app', '1.0.0');
    const v2 = await syncedSegment(app.url, 'late-app', '2.0.0');
    const first = await createRolloutOk(app.url, { segmentId: v1.id, group: 'ring-c' });
    await waitForRollout(app.url, first.id, inState('SUCCEEDED'));
    const second = await createRolloutOk(app.url, {
      segmentId: v2.id,
      group: 'ring-c',
      waves: [{ percent: 50 }, {}],
    });
    await waitForRollout(app.url, second.id, inState('SUCCEEDED'));
    expect(await sdp(v2.id)).toEqual(names(ring));
    expect(await sdp(v1.id)).toEqual([]);

    const superseded = await httpGraphQL(app.url, RollbackRollout, { id: first.id, reason: 'too old' });
    expect(superseded.data?.rollbackRollout).toMatchObject({ code: 'ROLLOUT_SUPERSEDED' });
    const result = await httpGraphQL(app.url, RollbackRollout, { id: second.id, reason: 'v2 misbehaves' });
    expect(result.data?.rollbackRollout.__typename).toBe('RollbackRolloutSuccess');
    const again = await httpGraphQL(app.url, RollbackRollout, { id: second.id, reason: 'twice' });
    expect(again.data?.rollbackRollout).toMatchObject({ code: 'ROLLOUT_STATE_CONFLICT' });
    await waitForRollout(app.url, second.id, inState('ROLLED_BACK'));
    expect(await sdp(v1.id)).toEqual(names(ring));
    expect(await sdp(v2.id)).toEqual([]);
    const drift = await httpGraphQL(app.url, GroupDrift, { name: 'ring-c', first: 10 });
    expect(drift.data?.seatGroup?.desiredVersions).toEqual([expect.objectContaining({ version: '1.0.0' })]);
  }, 60_000);

  it('a stalled seat times out and counts as failed; a failing seat is retried until its retries are spent', async () => {
    const ring = byName(seats.slice(30, 36));
    await ringGroup(app.url, 'ring-t', ring);
    const v1 = await syncedSegment(app.url, 'slow-app', '1.0.0');
    platform().tasks.setDevice(ring[0]!.ip, { outcome: 'stall' });
    platform().tasks.setDevice(ring[1]!.ip, { outcome: 'fail', error: 'flaky' });
    const created = await createRolloutOk(app.url, {
      segmentId: v1.id,
      group: 'ring-t',
      seatTimeoutSeconds: 1,
      seatRetries: 2,
      maxFailurePercent: 50,
    });
    const done = await waitForRollout(app.url, created.id, inState('SUCCEEDED', 'PAUSED'));
    expect(done).toMatchObject({ state: 'SUCCEEDED', summary: { succeeded: 4, failed: 1, timedOut: 1 } });
    const states = new Map((await rolloutSeats(app.url, created.id)).map((s) => [s.seatName, s]));
    expect(states.get(ring[0]!.name)).toMatchObject({ state: 'TIMED_OUT', attempts: 3 });
    expect(states.get(ring[1]!.name)).toMatchObject({
      state: 'FAILED',
      attempts: 3,
      error: expect.stringContaining('flaky'),
    });
    expect(states.get(ring[2]!.name)).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
  }, 60_000);

  it('a freeze during a rollout lets the current wave finish, then waits until the group thaws', async () => {
    const ring = byName(seats.slice(50, 60));
    await ringGroup(app.url, 'ring-f', ring);
    const v1 = await syncedSegment(app.url, 'frozen-app', '1.0.0');
    platform().tasks.setBehaviour({ durationMs: 1500 });
    const created = await createRolloutOk(app.url, {
      segmentId: v1.id,
      group: 'ring-f',
      waves: [{ seats: 3 }, {}],
    });
    await waitForRollout(
      app.url,
      created.id,
      (r) => r.state === 'RUNNING' && r.waves[0]!.state === 'RUNNING',
    );
    const frozen = await httpGraphQL(app.url, FreezeGroup, { name: 'ring-f', reason: 'exam week' });
    expect(frozen.data?.freezeGroup.__typename).toBe('FreezeGroupSuccess');
    const paused = await waitForRollout(app.url, created.id, inState('PAUSED', 'SUCCEEDED'));
    platform().tasks.setBehaviour({ durationMs: 100 });
    expect(paused).toMatchObject({ state: 'PAUSED', pausedReason: 'group ring-f is frozen: exam week' });
    expect(paused.waves.map((w) => w.state)).toEqual(['SUCCEEDED', 'PENDING']);
    expect(await sdp(v1.id)).toEqual(names(ring.slice(0, 3)));
    await httpGraphQL(app.url, UnfreezeGroup, { name: 'ring-f' });
    await waitForRollout(app.url, created.id, inState('SUCCEEDED'));
    expect(await sdp(v1.id)).toEqual(names(ring));
  }, 60_000);
});
