import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRollout, ListRollouts, NewestRollouts } from '../support/documents/rollout-documents.js';
import { addSeats, syncedSegment } from '../support/fixtures/installs.js';
import { ringGroup } from '../support/fixtures/rollout-fleet.js';
import { createRolloutOk, inState, waitForRollout } from '../support/fixtures/rollouts.js';
import { seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';

/**
 * The rollouts' limits: `MAX_SEATS_IN_FLIGHT` (D5: a wave larger than the bound runs in steps, never
 * more seats at once) and `ROLLOUT_HISTORY_KEEP` (ended rollouts kept per name).
 */
describe('rollout limits', () => {
  let app: SegmentApp;
  let fleet: Awaited<ReturnType<typeof addSeats>>;
  const started: number[] = [];
  const onStarted = (task: { devices: number }) => started.push(task.devices);

  beforeAll(async () => {
    app = await startSegmentApp({
      INSTALL_POLL_MS: '50',
      MAX_SEATS_IN_FLIGHT: '3',
      ROLLOUT_HISTORY_KEEP: '2',
    });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 100, jitter: 0 });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.events.on('started', onStarted);
    fleet = await addSeats(app.url, 10, 'f');
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('runs a wave of 8 seats as steps of at most 3', async () => {
    const seats = fleet.slice(0, 8);
    await ringGroup(app.url, 'flight', seats);
    const v1 = await syncedSegment(app.url, 'flight-app', '1.0.0');
    const created = await createRolloutOk(app.url, { segmentId: v1.id, group: 'flight' });
    const done = await waitForRollout(app.url, created.id, inState('SUCCEEDED'));
    expect(done.summary).toMatchObject({ total: 8, succeeded: 8 });
    expect(started).toEqual([3, 3, 2]);
    expect(await seatsRunningOnSdp(app.url, app.sim, v1.id, seats)).toEqual(seats.map((s) => s.name).sort());
  }, 60_000);

  it('keeps the newest ROLLOUT_HISTORY_KEEP rollouts of a name once they end', async () => {
    const seats = fleet.slice(8);
    await ringGroup(app.url, 'history', seats);
    const ids: string[] = [];
    for (const version of ['1.0.0', '2.0.0', '3.0.0']) {
      const segment = await syncedSegment(app.url, 'history-app', version);
      const rollout = await createRolloutOk(app.url, { segmentId: segment.id, group: 'history' });
      await waitForRollout(app.url, rollout.id, inState('SUCCEEDED'));
      ids.push(rollout.id);
    }
    const listed = await httpGraphQL(app.url, ListRollouts, {
      first: 10,
      filter: { segmentName: 'history-app' },
    });
    expect(listed.data?.rollouts.nodes.map((r) => r.id)).toEqual(ids.slice(1));
    const newest = await httpGraphQL(app.url, NewestRollouts, {
      first: 1,
      filter: { segmentName: 'history-app' },
    });
    expect(newest.data?.rollouts.nodes.map((r) => r.id)).toEqual([ids[2]]);
    const next = await httpGraphQL(app.url, NewestRollouts, {
      first: 1,
      after: newest.data?.rollouts.pageInfo.endCursor,
      filter: { segmentName: 'history-app' },
    });
    expect(next.data?.rollouts.nodes.map((r) => r.id)).toEqual([ids[1]]);
    expect(next.data?.rollouts.pageInfo.hasNextPage).toBe(false);
    expect((await httpGraphQL(app.url, GetRollout, { id: ids[0]!, first: 0 })).data?.rollout).toBeNull();
  }, 60_000);
});
