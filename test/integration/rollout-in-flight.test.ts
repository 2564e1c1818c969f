import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSeats, syncedSegment } from '../support/fixtures/installs.js';
import { ringGroup } from '../support/fixtures/rollout-fleet.js';
import { createRolloutOk, inState, waitForRollout } from '../support/fixtures/rollouts.js';
import { seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

/** D5 `MAX_SEATS_IN_FLIGHT`: a wave larger than the bound runs in steps, never more seats at once. */
describe('seats in flight', () => {
  let app: SegmentApp;
  const started: number[] = [];
  const onStarted = (task: { devices: number }) => started.push(task.devices);

  beforeAll(async () => {
    app = await startSegmentApp({ INSTALL_POLL_MS: '50', MAX_SEATS_IN_FLIGHT: '3' });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 100, jitter: 0 });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.events.on('started', onStarted);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('runs a wave of 8 seats as steps of at most 3', async () => {
    const seats = await addSeats(app.url, 8, 'f');
    await ringGroup(app.url, 'flight', seats);
    const v1 = await syncedSegment(app.url, 'flight-app', '1.0.0');
    const created = await createRolloutOk(app.url, { segmentId: v1.id, group: 'flight' });
    const done = await waitForRollout(app.url, created.id, inState('SUCCEEDED'));
    expect(done.summary).toMatchObject({ total: 8, succeeded: 8 });
    expect(started).toEqual([3, 3, 2]);
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toEqual(seats.map((s) => s.name).sort());
  }, 60_000);
});
