import { type ExecutionResult, print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import type { RolloutInput, RolloutUpdatedSubscription } from '../generated/graphql.js';
import { FreezeGroup, UnfreezeGroup } from '../support/documents/freeze-documents.js';
import { InstallSegment } from '../support/documents/install-documents.js';
import {
  CancelRollout,
  CreateRollout,
  GetRollout,
  GroupDesiredRollouts,
  ListRollouts,
  PauseRollout,
  PreviewRollout,
  RolloutUpdated,
} from '../support/documents/rollout-documents.js';
import { SetSeatLabels, UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import { addSeats, installOk, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { httpGraphQL, wsClient, wsCollect } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * The GraphQL surface of staged rollouts (SPEC-FLEET section 2, D5–D7), on both stores: preview,
 * create and read back, refusals, a finished rollout's fields, and `rolloutUpdated`. The engine's
 * own behaviour (breach, rollback, windows) is tested elsewhere; roles and ids: rollout-api-roles.
 */

type Errors = { errors?: readonly { extensions?: Record<string, unknown> }[] };
const codeOf = (result: Errors) => result.errors?.[0]?.extensions?.code;

type Update = RolloutUpdatedSubscription['rolloutUpdated'];

/** A `rolloutUpdated` subscription: its events so far, and its end. */
function follow(client: Client, id: string) {
  const events: Update[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: print(RolloutUpdated), variables: { id } },
      {
        next: (result) => {
          const r = result as ExecutionResult<RolloutUpdatedSubscription>;
          if (r.errors?.length || !r.data) reject(new Error(JSON.stringify(r.errors)));
          else events.push(r.data.rolloutUpdated);
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return { events, done };
}

const policy = etcdSuitePolicy();
const STORES = [
  { kind: 'embedded', run: true },
  { kind: 'etcd', run: policy.run || policy.missingInCi },
] as const;

for (const { kind, run } of STORES) {
  describe.runIf(run)(`rollout API flows on the ${kind} store`, () => {
    let etcd: EtcdProcess | undefined;
    let store: KvStore | undefined;
    let app: SegmentApp;
    let seats: Awaited<ReturnType<typeof addSeats>>;
    const SEATS = 12;

    beforeAll(async () => {
      if (kind === 'etcd') {
        if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
        etcd = await startEtcd();
        store = await openEtcdKv({ endpoints: etcd.endpoints, prefix: 'rollout-api/' });
      }
      app = await startSegmentApp({ INSTALL_POLL_MS: '50' }, store ? { store } : {});
      seats = await addSeats(app.url, SEATS, 'ro');
      const labelled = await httpGraphQL(app.url, SetSeatLabels, {
        seatIds: seats.map((s) => s.id),
        set: [{ key: 'ring', value: 'a' }],
      });
      expect(labelled.data?.setSeatLabels.__typename).toBe('SetSeatLabelsSuccess');
      const group = await httpGraphQL(app.url, UpsertSeatGroup, {
        input: { name: 'ring-a', selector: 'ring=a' },
      });
      expect(group.data?.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
    }, 60_000);

    afterAll(async () => {
      await app?.stop();
      await store?.close();
      await etcd?.stop();
    });

    async function create(input: RolloutInput) {
      const result = await httpGraphQL(app.url, CreateRollout, { input });
      const payload = result.data?.createRollout;
      if (payload?.__typename !== 'CreateRolloutSuccess')
        throw new Error(`createRollout: ${JSON.stringify(result)}`);
      return payload.rollout;
    }
    async function cancel(id: string) {
      const result = await httpGraphQL(app.url, CancelRollout, { id, reason: 'test over' });
      expect(result.data?.cancelRollout).toMatchObject({ rollout: { state: 'CANCELLED' } });
    }

    it('refuses a selector that matches no seat with NO_MATCHING_SEATS, naming it', async () => {
      const v1 = await syncedSegment(app.url, 'ro-nobody', '1.0.0');
      const result = await httpGraphQL(app.url, CreateRollout, {
        input: { segmentId: v1.id, selector: 'ring=nowhere' },
      });
      expect(result.data?.createRollout).toMatchObject({
        __typename: 'NoMatchingSeatsError',
        code: 'NO_MATCHING_SEATS',
        target: expect.stringContaining('ring=nowhere'),
      });
    }, 60_000);

    it('refuses a rollout to a frozen group with GROUP_FROZEN and its reason, and takes it once thawed', async () => {
      const v1 = await syncedSegment(app.url, 'ro-frozen', '1.0.0');
      const frozen = await httpGraphQL(app.url, FreezeGroup, { name: 'ring-a', reason: 'audit week' });
      expect(frozen.data?.freezeGroup.__typename).toBe('FreezeGroupSuccess');
      try {
        const refused = await httpGraphQL(app.url, CreateRollout, {
          input: { segmentId: v1.id, group: 'ring-a' },
        });
        expect(refused.data?.createRollout).toMatchObject({
          __typename: 'GroupFrozenError',
          code: 'GROUP_FROZEN',
          group: 'ring-a',
          reason: 'audit week',
        });
        const listed = await httpGraphQL(app.url, ListRollouts, { filter: { segmentName: 'ro-frozen' } });
        expect(listed.data?.rollouts.nodes).toEqual([]);
      } finally {
        await httpGraphQL(app.url, UnfreezeGroup, { name: 'ring-a' });
      }
      const created = await create({ segmentId: v1.id, group: 'ring-a' });
      await cancel(created.id);
    }, 60_000);

    it('previews the wave sizes of an input without creating anything', async () => {
      const v1 = await syncedSegment(app.url, 'ro-preview', '1.0.0');
      const input = { segmentId: v1.id, group: 'ring-a', waves: [{ seats: 1 }, { percent: 25 }, {}] };
      const preview = await httpGraphQL(app.url, PreviewRollout, { input });
      expect(preview.errors).toBeUndefined();
      // ceil(25 × 12 / 100) = 3; the last wave takes the rest.
      expect(preview.data?.previewRollout).toEqual({
        seatCount: SEATS,
        skipped: 0,
        waves: [
          { index: 0, seatCount: 1 },
          { index: 1, seatCount: 3 },
          { index: 2, seatCount: 8 },
        ],
        firstWindowAt: null,
      });
      const listed = await httpGraphQL(app.url, ListRollouts, { filter: { segmentName: 'ro-preview' } });
      expect(listed.data?.rollouts.nodes).toEqual([]);

      // An empty wave is INVALID_INPUT, as createRollout would answer.
      const empty = { ...input, waves: [{ seats: SEATS }, {}] };
      expect(codeOf(await httpGraphQL(app.url, PreviewRollout, { input: empty }))).toBe('INVALID_INPUT');
    }, 60_000);

    it('creates a rollout, reads its fields back, and refuses other changes of the name meanwhile', async () => {
      const v1 = await syncedSegment(app.url, 'ro-create', '1.0.0');
      const input: RolloutInput = {
        segmentId: v1.id,
        group: 'ring-a',
        waves: [{ seats: 2, soakSeconds: 3600 }, {}],
        maxFailurePercent: 10,
        onFailure: 'ROLLBACK',
        seatRetries: 1,
        seatTimeoutSeconds: 120,
        upgradeOrder: 'UNINSTALL_FIRST',
      };
      const created = await create(input);
      expect(created).toMatchObject({
        segmentName: 'ro-create',
        version: '1.0.0',
        group: 'ring-a',
        selector: null,
        state: 'PENDING',
        currentWave: 0,
        percent: 0,
        waves: [
          { index: 0, seatCount: 2, state: 'PENDING', soakSeconds: 3600, requireApproval: false },
          { index: 1, seatCount: SEATS - 2, state: 'PENDING', soakSeconds: 0 },
        ],
        summary: { total: SEATS, pending: SEATS, running: 0, succeeded: 0, failed: 0, skipped: 0 },
        maxFailurePercent: 10,
        onFailure: 'ROLLBACK',
        seatRetries: 1,
        seatTimeoutSeconds: 120,
        upgradeOrder: 'UNINSTALL_FIRST',
        maintenanceWindow: null,
        approvals: [],
        pausedReason: null,
      });
      expect(created.createdBy).not.toBe('');

      // Read back: the same rollout (the controller may have moved it on meanwhile).
      const read = await httpGraphQL(app.url, GetRollout, { id: created.id, first: 5 });
      expect(read.errors).toBeUndefined();
      const rollout = read.data?.rollout;
      expect(rollout).toMatchObject({ id: created.id, group: 'ring-a', createdBy: created.createdBy });
      expect(rollout?.waves.map((w) => w.seatCount)).toEqual([2, SEATS - 2]);
      expect(rollout?.seats.totalCount).toBe(SEATS);
      expect(rollout?.seats.pageInfo.hasNextPage).toBe(true);
      expect(rollout?.seats.nodes).toHaveLength(5);
      expect(rollout?.seats.nodes.slice(0, 2).map((s) => s.wave)).toEqual([0, 0]);
      for (const seat of rollout?.seats.nodes ?? []) {
        expect(seat.fromVersions).toEqual([]); // the seats ran no version of the name
        expect(seat.seat?.name).toBe(seat.seatName);
      }
      const listed = await httpGraphQL(app.url, ListRollouts, {
        filter: { group: 'ring-a', segmentName: 'ro-create' },
      });
      expect(listed.data?.rollouts.nodes.map((r) => r.id)).toEqual([created.id]);

      // One change per name (D1): another rollout and installSegment are refused while it has not ended.
      const again = await httpGraphQL(app.url, CreateRollout, { input });
      expect(again.data?.createRollout).toMatchObject({
        code: 'ROLLOUT_IN_PROGRESS',
        segmentName: 'ro-create',
        rolloutId: created.id,
      });
      const installed = await httpGraphQL(app.url, InstallSegment, { id: v1.id, seatIds: [] });
      expect(installed.data?.installSegment).toMatchObject({ code: 'ROLLOUT_IN_PROGRESS' });

      const paused = await httpGraphQL(app.url, PauseRollout, { id: created.id, reason: 'lunch' });
      expect(paused.data?.pauseRollout).toMatchObject({
        rollout: { state: 'PAUSED', pausedReason: 'lunch' },
      });
      await cancel(created.id);
      const cancelledAgain = await httpGraphQL(app.url, CancelRollout, { id: created.id, reason: 'twice' });
      expect(cancelledAgain.data?.cancelRollout).toMatchObject({ code: 'ROLLOUT_STATE_CONFLICT' });
    }, 60_000);

    it('reads a finished rollout back: percent 100, waves done, each seat with the versions it ran before', async () => {
      const v1 = await syncedSegment(app.url, 'ro-done', '1.0.0');
      const v2 = await syncedSegment(app.url, 'ro-done', '2.0.0');
      const before = seats.slice(0, 2);
      const record = await installOk(
        app.url,
        v1.id,
        before.map((s) => s.id),
      );
      expect((await waitForInstallEnd(app.url, record.id)).status).toBe('SUCCEEDED');

      const created = await create({ segmentId: v2.id, group: 'ring-a', waves: [{ seats: 4 }, {}] });
      const done = await waitFor(
        async () => {
          const read = await httpGraphQL(app.url, GetRollout, { id: created.id, first: SEATS });
          const rollout = read.data?.rollout;
          return rollout && ['SUCCEEDED', 'PAUSED', 'FAILED'].includes(rollout.state) ? rollout : undefined;
        },
        { timeoutMs: 45_000, intervalMs: 100, message: 'the rollout to end' },
      );
      expect(done).toMatchObject({
        state: 'SUCCEEDED',
        percent: 100,
        currentWave: 2,
        summary: { total: SEATS, succeeded: SEATS, pending: 0, running: 0, failed: 0 },
        waves: [
          { index: 0, seatCount: 4, state: 'SUCCEEDED', succeeded: 4, failed: 0 },
          { index: 1, seatCount: SEATS - 4, state: 'SUCCEEDED', succeeded: SEATS - 4, failed: 0 },
        ],
      });
      expect(done.finishedAt).not.toBeNull();
      // fromVersions are version strings: what each seat ran of the name before the rollout touched it.
      const from = Object.fromEntries(done.seats.nodes.map((s) => [s.seatName, s.fromVersions]));
      expect(Object.keys(from).sort()).toEqual(seats.map((s) => s.name).sort());
      for (const seat of seats) {
        expect(from[seat.name]).toEqual(before.includes(seat) ? ['1.0.0'] : []);
      }
      expect(done.seats.nodes.every((s) => s.state === 'SUCCEEDED' && s.attempts >= 1)).toBe(true);
      // The group now desires the version, and its desired version names the rollout that set it.
      const group = await httpGraphQL(app.url, GroupDesiredRollouts, { name: 'ring-a' });
      expect(group.data?.seatGroup?.desiredVersions.find((d) => d.name === 'ro-done')).toEqual({
        name: 'ro-done',
        version: '2.0.0',
        rollout: { id: created.id, state: 'SUCCEEDED' },
      });
    }, 60_000);

    it('rolloutUpdated sends the rollout now, then its changes, and completes at a final state', async () => {
      const v1 = await syncedSegment(app.url, 'ro-live', '1.0.0');
      // A long soak after the first wave keeps the rollout from ending by itself during the test.
      const created = await create({
        segmentId: v1.id,
        group: 'ring-a',
        waves: [{ seats: 1, soakSeconds: 3600 }, {}],
      });
      const client = wsClient(app.url);
      try {
        const live = follow(client, created.id);
        const other = follow(client, created.id); // a second subscriber shares the same feed
        const first = await waitFor(() => live.events[0], { message: 'the first rolloutUpdated event' });
        expect(first.id).toBe(created.id);
        expect(first.state).not.toBe('CANCELLED');

        // A change: every subscriber is sent the new state.
        await httpGraphQL(app.url, PauseRollout, { id: created.id, reason: 'look first' });
        await waitFor(() => live.events.some((e) => e.state === 'PAUSED'), { message: 'the PAUSED event' });

        await cancel(created.id);
        await live.done; // completes by itself after the final state
        expect(live.events.at(-1)?.state).toBe('CANCELLED');
        expect(live.events.filter((e) => e.state === 'CANCELLED')).toHaveLength(1);
        await other.done;
        expect(other.events[0]?.id).toBe(created.id);
        expect(other.events.at(-1)?.state).toBe('CANCELLED');

        // A subscriber arriving after the end gets the final state once, and the end.
        const late = await wsCollect(client, RolloutUpdated, { id: created.id });
        expect(late.map((r) => r.data?.rolloutUpdated.state)).toEqual(['CANCELLED']);
      } finally {
        await client.dispose();
      }
    }, 60_000);
  });
}
