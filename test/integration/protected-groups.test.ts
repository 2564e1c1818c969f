import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import {
  GroupDesiredVersions,
  InstallOnGroupSeats,
  SelectSeats,
  SetSeatLabels,
  UpsertSeatGroup,
} from '../support/documents/seat-group-documents.js';
import { AuditTrail } from '../support/documents/security-documents.js';
import { SetDesiredVersion } from '../support/documents/upgrade-documents.js';
import { addSeats, installOk, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/** Protected groups against every install path there is today, and `Seat.segments` (embedded store, simulator). */
describe('protected groups and what runs on each seat', () => {
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const platform = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  let tasksStarted = 0;

  beforeAll(async () => {
    app = await startSegmentApp({ INSTALL_POLL_MS: '50' });
    seats = await addSeats(app.url, 6, 'deck');
    platform().tasks.setBehaviour({ durationMs: 50 });
    platform().tasks.events.on('started', () => tasksStarted++);
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
  });

  const ids = (...indexes: number[]) => indexes.map((i) => seats[i]!.id as string);
  const snapshot = async () => {
    const read = async (prefix: string) =>
      (await app.store.range(prefix)).kvs.map((kv) => [kv.key, kv.value]);
    return {
      installs: await read(keys.installs),
      logs: await read(keys.installLogs),
      seatLists: await read(keys.segmentSeatsAll),
      tasks: tasksStarted,
    };
  };

  it('lists the segments each seat runs', async () => {
    const segment = await syncedSegment(app.url, 'radar', '1.0.0');
    const record = await installOk(app.url, segment.id, ids(0, 1));
    await waitForInstallEnd(app.url, record.id);
    const page = (await httpGraphQL(app.url, SelectSeats, { selector: '' })).data!.seats;
    const running = Object.fromEntries(
      page.edges.map((e) => [e.node.name, e.node.segments.map((s) => s.id)]),
    );
    expect(running['deck-0']).toEqual([segment.id]);
    expect(running['deck-1']).toEqual([segment.id]);
    expect(running['deck-2']).toEqual([]);
  });

  it('refuses a DRAFT segment on seats of a protected group, naming the seats, and changes nothing', async () => {
    const labelled = await httpGraphQL(app.url, SetSeatLabels, {
      seatIds: ids(3, 4),
      set: [{ key: 'env', value: 'production' }],
    });
    expect(labelled.data!.setSeatLabels).toMatchObject({ changedCount: 2 });
    const prod = await httpGraphQL(app.url, UpsertSeatGroup, {
      input: { name: 'production', selector: 'env=production', protected: true },
    });
    expect(prod.data!.upsertSeatGroup).toMatchObject({ group: { protected: true, seatCount: 2 } });
    const segment = await syncedSegment(app.url, 'sonar', '2.0.0');
    const before = await snapshot();
    const refused = await httpGraphQL(app.url, InstallOnGroupSeats, {
      id: segment.id,
      seatIds: ids(2, 3, 4),
    });
    expect(refused.data!.installSegment).toMatchObject({
      __typename: 'SegmentNotReleasedError',
      code: 'SEGMENT_NOT_RELEASED',
      seatIds: ids(3, 4),
      groups: ['production'],
    });
    expect(await snapshot()).toEqual(before);

    // Seats outside the group still take it; an unprotected group changes nothing.
    await httpGraphQL(app.url, UpsertSeatGroup, { input: { name: 'staging', selector: '!env' } });
    const record = await installOk(app.url, segment.id, ids(2));
    await waitForInstallEnd(app.url, record.id);
    // Uninstalling from a protected seat is allowed: only seats gaining a segment are guarded.
    const radar = (await httpGraphQL(app.url, SelectSeats, { selector: 'env' })).data!.seats;
    expect(radar.totalCount).toBe(2);
  });

  it('refuses converge onto a protected group too, with the reason visible and nothing installed', async () => {
    const segment = await syncedSegment(app.url, 'sonar', '3.0.0');
    const before = await snapshot();
    const desired = await httpGraphQL(app.url, SetDesiredVersion, {
      group: 'production',
      segmentId: segment.id,
    });
    expect(desired.data?.setDesiredVersion.__typename).toBe('SetDesiredVersionSuccess');
    const stuck = await waitFor(
      async () => {
        const group = (await httpGraphQL(app.url, GroupDesiredVersions, { name: 'production' })).data
          ?.seatGroup;
        const version = group?.desiredVersions.find((d) => d.version === '3.0.0');
        return version?.convergeError ? version : undefined;
      },
      { timeoutMs: 20_000, message: 'converge reporting its refusal' },
    );
    expect(stuck.convergeError).toMatch(/RELEASED/);
    expect(stuck.drift).toBe(2);
    const after = await snapshot();
    expect(after.installs.filter(([key]) => key!.includes('sonar/3.0.0'))).toEqual([]);
    expect(after.tasks).toBe(before.tasks);
  });

  it('records every group and label mutation in the audit trail', async () => {
    const trail = await httpGraphQL(app.url, AuditTrail, { first: 100 });
    const fields = trail.data!.auditLog.edges.map((e) => e.node.field);
    expect(fields).toEqual(expect.arrayContaining(['upsertSeatGroup', 'setSeatLabels']));
  });
});
