import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import type { Role } from '../../src/model/principal.js';
import { keys } from '../../src/records/keyspace.js';
import {
  FreezeGroup,
  GroupFrozenState,
  InstallOnFrozenSeats,
  InstallRecordTimes,
  UnfreezeGroup,
} from '../support/documents/freeze-documents.js';
import { SetSeatLabels, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import { AuditTrail } from '../support/documents/security-documents.js';
import { GroupDrift, SetDesiredVersion } from '../support/documents/upgrade-documents.js';
import {
  addSeats,
  installOk,
  segmentSeatNames,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import { bearer, tokenAppSuite } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * D8 freezes through the API: installSegment and converge against a frozen group's seats, on both
 * stores with the simulator. Seats: deck-0..2 in `fleet` (deck-1 also in `hold`), deck-3..4 in
 * `dock`, deck-5 in no group.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('group freezes on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  let tasksStarted = 0;

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    app = await startSegmentApp({ INSTALL_POLL_MS: '50', CONVERGE_RETRY_BASE_MS: '100' }, { store });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 50 });
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.events.on('started', () => tasksStarted++);
    seats = await addSeats(app.url, 6, 'deck');
    const label = async (indexes: number[], key: string, value: string) => {
      const result = await httpGraphQL(app.url, SetSeatLabels, {
        seatIds: ids(...indexes),
        set: [{ key, value }],
      });
      expect(result.data?.setSeatLabels.__typename).toBe('SetSeatLabelsSuccess');
    };
    await label([0, 1, 2], 'ring', 'a');
    await label([1], 'hold', 'yes');
    await label([3, 4], 'zone', 'b');
    for (const [name, selector] of [
      ['fleet', 'ring=a'],
      ['hold', 'hold=yes'],
      ['dock', 'zone=b'],
    ] as const) {
      const result = await httpGraphQL(app.url, UpsertSeatGroup, { input: { name, selector } });
      expect(result.data?.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
    }
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await backend?.dispose();
  });

  const ids = (...indexes: number[]) => indexes.map((i) => seats[i]!.id as string);
  const freeze = async (name: string, reason: string, until?: string) =>
    (await httpGraphQL(app.url, FreezeGroup, { name, reason, ...(until ? { until } : {}) })).data!
      .freezeGroup;
  const unfreeze = async (name: string) =>
    (await httpGraphQL(app.url, UnfreezeGroup, { name })).data!.unfreezeGroup;
  const installOn = async (segmentId: string, ...indexes: number[]) =>
    (await httpGraphQL(app.url, InstallOnFrozenSeats, { id: segmentId, seatIds: ids(...indexes) })).data!
      .installSegment;
  const snapshot = async () => {
    const read = async (prefix: string) => (await store.range(prefix)).kvs.map((kv) => [kv.key, kv.value]);
    return {
      installs: await read(keys.installs),
      logs: await read(keys.installLogs),
      seatLists: await read(keys.segmentSeatsAll),
      tasks: tasksStarted,
    };
  };
  const drift = async (group: string, name: string) => {
    const result = await httpGraphQL(app.url, GroupDrift, { name: group, first: 50 });
    return result.data?.seatGroup?.desiredVersions.find((d) => d.name === name);
  };
  const installRecords = async (segmentId: string) =>
    (await httpGraphQL(app.url, InstallRecordTimes, { id: segmentId })).data?.segment?.installRecords ?? [];

  it('freezes and unfreezes a group through GraphQL, refusing bad input', async () => {
    const frozen = await freeze('dock', 'dry dock until the survey');
    expect(frozen).toMatchObject({
      __typename: 'FreezeGroupSuccess',
      group: { name: 'dock', frozen: { reason: 'dry dock until the survey', until: null, by: 'anonymous' } },
    });
    const read = await httpGraphQL(app.url, GroupFrozenState, { name: 'dock' });
    expect(read.data?.seatGroup?.frozen).toMatchObject({ reason: 'dry dock until the survey' });

    expect(await freeze('nowhere', 'x')).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect(await freeze('dock', '')).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(await freeze('dock', 'late', past)).toMatchObject({ code: 'INVALID_INPUT', field: 'until' });
    // The refusals left the freeze as it was.
    expect((await httpGraphQL(app.url, GroupFrozenState, { name: 'dock' })).data?.seatGroup?.frozen).toEqual(
      read.data?.seatGroup?.frozen,
    );

    expect(await unfreeze('fleet')).toMatchObject({
      __typename: 'UnfreezeGroupSuccess',
      group: { frozen: null },
    });
    expect(await unfreeze('nowhere')).toMatchObject({ code: 'GROUP_NOT_FOUND' });
  });

  it('refuses installSegment on seats of a frozen group with nothing recorded; other seats install', async () => {
    // `dock` is frozen (previous test). Put v1 on deck-3 and deck-5 while it is briefly unfrozen, to
    // show that removals from a frozen seat are refused too.
    const v1 = await syncedSegment(app.url, 'beacon', '1.0.0');
    await unfreeze('dock');
    await waitForInstallEnd(app.url, (await installOk(app.url, v1.id, ids(3, 5))).id);
    await freeze('dock', 'dry dock until the survey');

    const before = await snapshot();
    // Installing on a frozen seat, and removing from one (SET semantics), are both refused.
    expect(await installOn(v1.id, 3, 4, 5)).toMatchObject({
      __typename: 'GroupFrozenError',
      code: 'GROUP_FROZEN',
      group: 'dock',
      reason: 'dry dock until the survey',
      until: null,
    });
    expect(await installOn(v1.id, 5)).toMatchObject({ code: 'GROUP_FROZEN', group: 'dock' });
    expect(await snapshot()).toEqual(before);

    // Seats outside frozen groups: installed as usual (deck-3 keeps v1 from before).
    const v2 = await syncedSegment(app.url, 'lamp', '1.0.0');
    const record = await installOn(v2.id, 0, 5);
    expect(record.__typename).toBe('InstallSegmentSuccess');
    if (record.__typename !== 'InstallSegmentSuccess') return;
    await waitForInstallEnd(app.url, record.record!.id);
    expect(await segmentSeatNames(app.url, v2.id)).toEqual(['deck-0', 'deck-5']);
    expect(await segmentSeatNames(app.url, v1.id)).toEqual(['deck-3', 'deck-5']);
  });

  it('lets converge wait for a frozen seat without counting attempts, and converge it once unfrozen', async () => {
    // `hold` desires nothing; its freeze holds deck-1 back from fleet's desired version.
    await freeze('hold', 'bridge refit');
    const v1 = await syncedSegment(app.url, 'compass', '1.0.0');
    const set = await httpGraphQL(app.url, SetDesiredVersion, { group: 'fleet', segmentId: v1.id });
    expect(set.data?.setDesiredVersion.__typename).toBe('SetDesiredVersionSuccess');
    await waitFor(
      async () => {
        const running = await segmentSeatNames(app.url, v1.id);
        return running.length === 2 && (await app.store.get(keys.activeNameInstall('compass'))) === undefined;
      },
      { timeoutMs: 30_000, message: 'the unfrozen seats of fleet to converge' },
    );
    expect(await segmentSeatNames(app.url, v1.id)).toEqual(['deck-0', 'deck-2']);
    const waiting = await drift('fleet', 'compass');
    expect(waiting).toMatchObject({ drift: 1, convergeError: null });
    expect(waiting?.driftSeats.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ seatName: 'deck-1', reason: 'MISSING', attempts: 0 }),
    ]);
    expect((await installRecords(v1.id)).flatMap((r) => r.installSeatNames)).not.toContain('deck-1');

    // Unfreezing `hold` (a group desiring nothing) is enough for converge to look again.
    await unfreeze('hold');
    await waitFor(async () => (await segmentSeatNames(app.url, v1.id)).length === 3, {
      timeoutMs: 30_000,
      message: 'deck-1 to converge after the unfreeze',
    });
    expect(await drift('fleet', 'compass')).toMatchObject({ drift: 0 });
  }, 90_000);

  it('converges a seat by itself when its freeze reaches its until', async () => {
    const v1 = await syncedSegment(app.url, 'sextant', '1.0.0');
    const until = new Date(Date.now() + 8000).toISOString();
    expect(await freeze('hold', 'short drill', until)).toMatchObject({ group: { frozen: { until } } });
    await httpGraphQL(app.url, SetDesiredVersion, { group: 'fleet', segmentId: v1.id });
    await waitFor(async () => (await segmentSeatNames(app.url, v1.id)).length === 3, {
      timeoutMs: 30_000,
      message: 'every seat of fleet to converge, deck-1 after the freeze ended',
    });
    // No batch touched deck-1 before the freeze's end (record times by the server's clock).
    const records = await installRecords(v1.id);
    const withHeld = records.filter((r) => r.installSeatNames.includes('deck-1'));
    expect(withHeld).toHaveLength(1);
    expect(Date.parse(withHeld[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(until));
    expect(
      (await httpGraphQL(app.url, GroupFrozenState, { name: 'hold' })).data?.seatGroup?.frozen,
    ).toBeNull();
  }, 60_000);

  it('records freezes and unfreezes in the audit trail', async () => {
    const trail = (await httpGraphQL(app.url, AuditTrail, { first: 200 })).data!.auditLog.edges.map(
      (e) => e.node,
    );
    const of = (field: string) => trail.filter((e) => e.field === field);
    expect(of('freezeGroup')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'SUCCESS',
          resultType: 'FreezeGroupSuccess',
          arguments: expect.objectContaining({ name: 'dock', reason: 'dry dock until the survey' }),
        }),
        expect.objectContaining({ outcome: 'ERROR', errorCode: 'GROUP_NOT_FOUND' }),
        expect.objectContaining({ outcome: 'ERROR', errorCode: 'INVALID_INPUT' }),
      ]),
    );
    expect(of('unfreezeGroup')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'SUCCESS', arguments: { name: 'hold' } }),
        expect.objectContaining({ outcome: 'ERROR', errorCode: 'GROUP_NOT_FOUND' }),
      ]),
    );
    expect(of('installSegment')).toEqual(
      expect.arrayContaining([expect.objectContaining({ outcome: 'ERROR', errorCode: 'GROUP_FROZEN' })]),
    );
  });
});

/** D7: freezes are the admin's. */
describe('roles on group freezes', () => {
  const suite = tokenAppSuite('group-freeze-roles');
  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    result.errors?.[0]?.extensions?.code;

  it('lets only admins freeze and unfreeze, and every role read the freeze', async () => {
    const { app, tokens } = suite.current();
    const as = (role: Role) => bearer(tokens[role]);
    const group = { input: { name: 'bridge', selector: 'role=bridge' } };
    expect(
      (await httpGraphQL(app.url, UpsertSeatGroup, group, as('admin'))).data?.upsertSeatGroup.__typename,
    ).toBe('UpsertSeatGroupSuccess');
    const freeze = { name: 'bridge', reason: 'sea trials' };
    for (const role of ['viewer', 'operator'] as const) {
      expect(codeOf(await httpGraphQL(app.url, FreezeGroup, freeze, as(role)))).toBe('FORBIDDEN');
      expect(codeOf(await httpGraphQL(app.url, UnfreezeGroup, { name: 'bridge' }, as(role)))).toBe(
        'FORBIDDEN',
      );
    }
    expect(
      (await httpGraphQL(app.url, GroupFrozenState, { name: 'bridge' }, as('viewer'))).data?.seatGroup,
    ).toMatchObject({
      frozen: null,
    });
    const frozen = await httpGraphQL(app.url, FreezeGroup, freeze, as('admin'));
    expect(frozen.data?.freezeGroup).toMatchObject({
      group: { frozen: { reason: 'sea trials', by: 'ci-admin' } },
    });
    expect(
      (await httpGraphQL(app.url, GroupFrozenState, { name: 'bridge' }, as('viewer'))).data?.seatGroup,
    ).toMatchObject({
      frozen: { reason: 'sea trials' },
    });
    expect(
      (await httpGraphQL(app.url, UnfreezeGroup, { name: 'bridge' }, as('admin'))).data?.unfreezeGroup,
    ).toMatchObject({
      group: { frozen: null },
    });
  });
});
