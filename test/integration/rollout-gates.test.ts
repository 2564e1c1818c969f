import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { RolloutRecords } from '../../src/records/rollout-records.js';
import { ApproveRollout } from '../support/documents/rollout-control-documents.js';
import { CancelRollout, CreateRollout, PreviewRollout } from '../support/documents/rollout-documents.js';
import { DeleteSeats } from '../support/documents/seat-documents.js';
import { DeleteSeatGroup } from '../support/documents/seat-group-documents.js';
import { AuditTrail } from '../support/documents/security-documents.js';
import { DeleteSegment } from '../support/documents/segment-delete-documents.js';
import { GroupDrift, SetDesiredVersion } from '../support/documents/upgrade-documents.js';
import {
  addSeats,
  install,
  installOk,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import { byName, ringGroup } from '../support/fixtures/rollout-fleet.js';
import { createRolloutOk, inState, rolloutSeats, waitForRollout } from '../support/fixtures/rollouts.js';
import { bearer, sha256Hex } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * What holds a rollout back or refuses it: approvals by another principal, one change per name
 * (D1), deletion of what a rollout needs (D6), converge held by a rollout and after a cancel (D4),
 * maintenance windows and growing retry intervals on an injected clock (D5, D8).
 *
 * Two servers share one store and one simulator: `open` (no auth) sets things up with the test
 * fixtures; `api` has API tokens for two operators, alice and bob.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('rollout gates on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let open: SegmentApp;
  let api: SegmentApp;
  let removeTokens: () => Promise<void>;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const alice = bearer('st_alice_0123456789abcdef0123456789');
  const bob = bearer('st_bob_0123456789abcdef0123456789ab');
  const platform = () => open.sim.sim.platform('DEPLOY_PLATFORM');
  const env = { INSTALL_POLL_MS: '50', CONTROLLER_RESYNC_MS: '1000', ROLLOUT_RETRY_BASE_S: '30' };

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    open = await startSegmentApp(env, { store, clock });
    const dir = await tempDir('seghub-rollout-tokens');
    removeTokens = dir.remove;
    const file = path.join(dir.dir, 'tokens.txt');
    const lines = [
      `operator ${sha256Hex(alice.authorization.slice(7))} alice`,
      `operator ${sha256Hex(bob.authorization.slice(7))} bob`,
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    // Replicas of one deployment share the store and the storage directory (docs/operations.md).
    const shared = { store, sim: open.sim, dataDir: open.dataDir, clock };
    api = await startSegmentApp({ ...env, AUTH_TOKENS_FILE: file }, shared);
    seats = await addSeats(open.url, 30, 'g');
    platform().tasks.setBehaviour({ durationMs: 100, jitter: 0, failureRate: 0 });
  }, 60_000);

  afterEach(() => {
    for (const seat of seats) platform().tasks.setDevice(seat.ip, undefined);
  });

  afterAll(async () => {
    await api?.stop();
    await open?.stop();
    await removeTokens?.();
    await backend?.dispose();
  });

  it('a wave that needs approval waits; its creator may not approve it, another operator may', async () => {
    await ringGroup(open.url, 'ring-a', seats.slice(0, 6));
    const v1 = await syncedSegment(open.url, 'gate-app', '1.0.0');
    const input = {
      segmentId: v1.id,
      group: 'ring-a',
      waves: [{ seats: 1 }, { seats: 2, requireApproval: true }, {}],
    };
    const anonymous = await httpGraphQL(open.url, CreateRollout, { input });
    expect(anonymous.data?.createRollout).toMatchObject({ code: 'APPROVAL_NOT_ALLOWED' });
    const created = await createRolloutOk(api.url, input, alice);
    expect(created.createdBy).toBe('alice');
    const waiting = await waitForRollout(open.url, created.id, inState('WAITING_APPROVAL'));
    expect(waiting.waves.map((w) => w.state)).toEqual(['SUCCEEDED', 'PENDING', 'PENDING']);
    // While it runs, its group cannot go; a seat of a later wave can, and is SKIPPED at its wave.
    const groupGone = await httpGraphQL(open.url, DeleteSeatGroup, { name: 'ring-a' });
    expect(groupGone.data?.deleteSeatGroup).toMatchObject({ code: 'GROUP_IN_USE' });
    const laterSeat = byName(seats.slice(0, 6))[5]!;
    const seatGone = await httpGraphQL(open.url, DeleteSeats, { ids: [laterSeat.id] });
    expect(seatGone.data?.deleteSeats.__typename).toBe('DeleteSeatsSuccess');
    const self = await httpGraphQL(api.url, ApproveRollout, { id: created.id, note: 'mine' }, alice);
    expect(self.data?.approveRollout).toMatchObject({ code: 'APPROVAL_NOT_ALLOWED' });
    const approved = await httpGraphQL(api.url, ApproveRollout, { id: created.id, note: 'canary fine' }, bob);
    expect(approved.data?.approveRollout.__typename).toBe('ApproveRolloutSuccess');
    const done = await waitForRollout(open.url, created.id, inState('SUCCEEDED'));
    expect(done.approvals).toEqual([{ wave: 1, by: 'bob', note: 'canary fine' }]);
    expect(
      (await rolloutSeats(open.url, created.id)).find((x) => x.seatName === laterSeat.name),
    ).toMatchObject({
      state: 'SKIPPED',
      error: 'the seat was deleted before its wave',
    });
    expect(done.summary).toMatchObject({ succeeded: 5, skipped: 1 });
    expect(done.events).toContainEqual(expect.objectContaining({ kind: 'APPROVED', by: 'bob' }));
    // The audit trail names who did what, when and why, refusals included.
    const trail = await httpGraphQL(open.url, AuditTrail, { first: 50 });
    const entries = trail.data?.auditLog.edges.map((e) => e.node) ?? [];
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: { id: 'bob', role: 'OPERATOR' },
        field: 'approveRollout',
        outcome: 'SUCCESS',
        arguments: expect.objectContaining({ note: 'canary fine' }),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'alice' }),
        field: 'approveRollout',
        errorCode: 'APPROVAL_NOT_ALLOWED',
      }),
    );
  }, 60_000);

  it('one change per name; converge waits for a rollout and after its cancel', async () => {
    const ring = byName(seats.slice(6, 12));
    await ringGroup(open.url, 'ring-n', ring);
    const v1 = await syncedSegment(open.url, 'name-app', '1.0.0');
    const v2 = await syncedSegment(open.url, 'name-app', '2.0.0');
    const first = await createRolloutOk(open.url, { segmentId: v1.id, group: 'ring-n' });
    await waitForRollout(open.url, first.id, inState('SUCCEEDED'));
    const second = await createRolloutOk(
      api.url,
      { segmentId: v2.id, group: 'ring-n', waves: [{ seats: 1 }, { requireApproval: true }] },
      alice,
    );
    await waitForRollout(open.url, second.id, inState('WAITING_APPROVAL'));

    expect(await install(open.url, v1.id, [ring[5]!.id])).toMatchObject({ code: 'ROLLOUT_IN_PROGRESS' });
    const again = await httpGraphQL(open.url, CreateRollout, {
      input: { segmentId: v1.id, group: 'ring-n' },
    });
    expect(again.data?.createRollout).toMatchObject({ code: 'ROLLOUT_IN_PROGRESS' });
    const drifting = async () =>
      (await httpGraphQL(open.url, GroupDrift, { name: 'ring-n', first: 10 })).data?.seatGroup
        ?.desiredVersions[0];
    // The canary seat runs v2 now, not the desired v1: converge must leave it to the rollout.
    expect(await drifting()).toMatchObject({
      version: '1.0.0',
      drift: 1,
      convergeError: expect.stringContaining('has not ended'),
    });

    const cancelled = await httpGraphQL(open.url, CancelRollout, { id: second.id, reason: 'wrong build' });
    expect(cancelled.data?.cancelRollout.__typename).toBe('CancelRolloutSuccess');
    await waitFor(async () => (await drifting())?.convergeError?.includes('was cancelled'), {
      timeoutMs: 10_000,
    });
    expect(await drifting()).toMatchObject({ drift: 1 });
    const set = await httpGraphQL(open.url, SetDesiredVersion, { group: 'ring-n', segmentId: v1.id });
    expect(set.data?.setDesiredVersion.__typename).toBe('SetDesiredVersionSuccess');
    await waitFor(async () => (await drifting())?.drift === 0, {
      timeoutMs: 20_000,
      message: 'converge after setDesiredVersion',
    });
  }, 60_000);

  it('a version a rollout would return seats to cannot be deleted (D6)', async () => {
    const ring = seats.slice(20, 24);
    await ringGroup(open.url, 'ring-d', ring);
    const v0 = await syncedSegment(open.url, 'keep-app', '0.9.0');
    const v1 = await syncedSegment(open.url, 'keep-app', '1.0.0');
    await waitForInstallEnd(
      open.url,
      (
        await installOk(
          open.url,
          v0.id,
          ring.map((s) => s.id),
        )
      ).id,
    );
    const rollout = await createRolloutOk(open.url, { segmentId: v1.id, selector: 'ring=ring-d' });
    await waitForRollout(open.url, rollout.id, inState('SUCCEEDED'));
    // No seat runs 0.9.0 now, but a rollback of the newest rollout would put it back.
    const deleted = await httpGraphQL(open.url, DeleteSegment, { id: v0.id });
    expect(deleted.data?.deleteSegment).toMatchObject({
      code: 'SEGMENT_IN_USE',
      message: expect.stringContaining('would return seats to it'),
    });
  }, 60_000);

  it("converge installs with the group's last rollout policy: its retries decide when a seat is parked", async () => {
    const ring = seats.slice(24, 28);
    await ringGroup(open.url, 'ring-v', ring.slice(0, 3));
    const v1 = await syncedSegment(open.url, 'policy-app', '1.0.0');
    const rollout = await createRolloutOk(open.url, { segmentId: v1.id, group: 'ring-v', seatRetries: 0 });
    await waitForRollout(open.url, rollout.id, inState('SUCCEEDED'));
    // A seat joins the group later and fails: parked after one attempt (seatRetries 0), not CONVERGE_RETRY_MAX.
    platform().tasks.setDevice(ring[3]!.ip, { outcome: 'fail', error: 'no space' });
    await ringGroup(open.url, 'ring-v', ring.slice(3));
    const parked = await waitFor(
      async () => {
        const d = (await httpGraphQL(open.url, GroupDrift, { name: 'ring-v', first: 10 })).data?.seatGroup
          ?.desiredVersions[0];
        const seat = d?.driftSeats.edges.map((e) => e.node).find((n) => n.seatName === ring[3]!.name);
        return seat?.reason === 'PARKED' ? seat : undefined;
      },
      { timeoutMs: 20_000, message: 'the failing seat to be parked' },
    );
    expect(parked).toMatchObject({ attempts: 1, message: expect.stringContaining('no space') });
  }, 60_000);

  it('a wave starts only inside its maintenance window (clock injected)', async () => {
    await ringGroup(open.url, 'ring-w', seats.slice(12, 16));
    const v1 = await syncedSegment(open.url, 'window-app', '1.0.0');
    const now = Date.now();
    const threeAm = new Date(now);
    threeAm.setUTCHours(3, 0, 0, 0);
    if (threeAm.getTime() <= now) threeAm.setUTCDate(threeAm.getUTCDate() + 1);
    offsetMs = threeAm.getTime() - 60_000 - Date.now();
    const input = {
      segmentId: v1.id,
      group: 'ring-w',
      maintenanceWindow: { cron: '0 3 * * *', durationMinutes: 60, timeZone: 'UTC' },
    };
    const preview = await httpGraphQL(open.url, PreviewRollout, { input });
    expect(preview.data?.previewRollout?.firstWindowAt).toBe(threeAm.toISOString());
    const created = await createRolloutOk(open.url, input);
    const waiting = await waitForRollout(open.url, created.id, inState('WAITING_WINDOW'));
    expect(waiting.nextWaveAt).toBe(threeAm.toISOString());
    expect(waiting.waves[0]?.startedAt).toBeNull();
    offsetMs += 90_000;
    const done = await waitForRollout(open.url, created.id, inState('SUCCEEDED'));
    expect(Date.parse(done.waves[0]!.startedAt!)).toBeGreaterThanOrEqual(threeAm.getTime());
    // D5 metrics: rollouts by state, and the time spent waiting for the window (about 60 s by the clock).
    const metrics = await (await fetch(`${open.base}/metrics`)).text();
    const value = (line: RegExp) => Number(metrics.match(line)?.[1]);
    expect(value(/^seghub_rollouts\{state="SUCCEEDED"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(
      value(/^seghub_rollout_wait_seconds\{state="WAITING_WINDOW"\} ([\d.e+-]+)$/m),
    ).toBeGreaterThanOrEqual(60);
  }, 60_000);

  it('a failed seat is retried after growing intervals (clock injected)', async () => {
    const ring = byName(seats.slice(16, 20));
    await ringGroup(open.url, 'ring-r', ring);
    const v1 = await syncedSegment(open.url, 'retry-app', '1.0.0');
    platform().tasks.setDevice(ring[0]!.ip, { outcome: 'fail', error: 'flaky' });
    const created = await createRolloutOk(open.url, {
      segmentId: v1.id,
      group: 'ring-r',
      seatRetries: 2,
      maxFailurePercent: 50,
    });
    const records = new RolloutRecords(store);
    const seat = async () => (await records.readChunks(decodeGlobalID(created.id).id)).get(0)?.[0];
    const waits: number[] = [];
    for (const attempt of [1, 2]) {
      const failed = await waitFor(
        async () => {
          const s = await seat();
          return s?.attempts === attempt && s.retryAt ? s : undefined;
        },
        { timeoutMs: 20_000, message: `attempt ${attempt} to fail` },
      );
      waits.push(Date.parse(failed.retryAt!) - clock().getTime());
      offsetMs += 130_000;
    }
    const done = await waitForRollout(open.url, created.id, inState('SUCCEEDED', 'PAUSED'));
    expect(done).toMatchObject({ state: 'SUCCEEDED', summary: { succeeded: 3, failed: 1 } });
    expect((await seat())?.attempts).toBe(3);
    // 30 s, then 60 s (each measured a little after the failure was written).
    expect(waits[0]).toBeGreaterThan(20_000);
    expect(waits[0]).toBeLessThanOrEqual(30_000);
    expect(waits[1]).toBeGreaterThan(50_000);
    expect(waits[1]).toBeLessThanOrEqual(60_000);
  }, 60_000);
});
