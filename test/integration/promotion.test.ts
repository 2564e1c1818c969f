import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import type { PromotionState } from '../../src/records/promotion-schema.js';
import { SegmentTrust } from '../support/documents/trust-documents.js';
import { addSeats, installOk, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { ringGroup } from '../support/fixtures/rollout-fleet.js';
import { storedSegment } from '../support/fixtures/segment-store-state.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * The promotion gate (SPEC-FLEET section 3) driven by the leader on both stores, with the clock
 * injected: a DRAFT segment becomes TESTED once it ran on PROMOTION_MIN_SEATS seats of the group
 * `test` for PROMOTION_SOAK_MINUTES (60) with no failed install there. Seats p-0..p-3 are the test
 * group, p-4 and p-5 are not.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('promotion gate on the $kind store', ({ kind }) => {
  const SOAK_MS = 60 * 60_000;
  let backend: Backend;
  let store: KvStore;
  let sim: TestSimulator;
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  /** Moves the app's clock to `time` (only forward). */
  const setClock = (time: number) => {
    offsetMs = Math.max(offsetMs, time - Date.now());
  };
  const env = { INSTALL_POLL_MS: '50', CONTROLLER_RESYNC_MS: '1000', PROMOTION_SOAK_MINUTES: '60' };
  const platform = () => sim.sim.platform('DEPLOY_PLATFORM');
  const ids = (...indexes: number[]) => indexes.map((i) => seats[i]!.id);
  const names = (...indexes: number[]) => indexes.map((i) => seats[i]!.name);

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    sim = await startTestSimulator();
    app = await startSegmentApp(env, { store, sim, clock });
    seats = await addSeats(app.url, 6, 'p');
    await ringGroup(app.url, 'test', seats.slice(0, 4));
    platform().tasks.setBehaviour({ durationMs: 50, jitter: 0, failureRate: 0 });
  }, 60_000);

  afterEach(() => {
    for (const seat of seats) platform().tasks.setDevice(seat.ip, undefined);
  });

  afterAll(async () => {
    await app?.stop();
    await sim?.dispose();
    await backend?.dispose();
  });

  /** The record's promotion state as the leader stored it. */
  const stored = async (id: string) => (await storedSegment(store, id))?.record;
  const trust = async (id: string) => {
    const result = await httpGraphQL(app.url, SegmentTrust, { id });
    if (!result.data?.segment) throw new Error(JSON.stringify(result.errors));
    return result.data.segment;
  };
  const promotionOf = (id: string, check: (p: PromotionState) => boolean, message: string) =>
    waitFor(
      async () => {
        const promotion = (await stored(id))?.promotion;
        return promotion && check(promotion) ? promotion : undefined;
      },
      { timeoutMs: 15_000, message },
    );
  const installed = async (segmentId: string, seatIds: string[]) =>
    waitForInstallEnd(app.url, (await installOk(app.url, segmentId, seatIds)).id);

  it('a segment on one test seat is TESTED only once the soak is over', async () => {
    const v1 = await syncedSegment(app.url, 'promo-a', '1.0.0');
    expect((await trust(v1.id)).promotion).toMatchObject({
      tested: false,
      reasons: ['runs on 0 of 1 required test seats of group test'],
    });
    await installed(v1.id, ids(0));
    const soaking = await promotionOf(v1.id, (p) => p.soakStartedAt !== undefined, 'the soak to start');
    const start = Date.parse(soaking.soakStartedAt!);
    expect(soaking.testSeats).toEqual(names(0));
    expect((await trust(v1.id)).promotion.reasons).toEqual([
      expect.stringMatching(/^soaking: \d+ of 60 minutes$/),
    ]);

    // 30 s before the end, a second test seat takes it: judged then (the state changes), still DRAFT.
    setClock(start + SOAK_MS - 30_000);
    await installed(v1.id, ids(0, 1));
    const late = await promotionOf(v1.id, (p) => p.testSeatCount === 2, 'the second test seat');
    expect(Date.parse(late.judgedAt)).toBeGreaterThanOrEqual(start + SOAK_MS - 30_000);
    expect(late.soakStartedAt).toBe(soaking.soakStartedAt);
    expect((await stored(v1.id))?.lifecycle ?? 'DRAFT').toBe('DRAFT');

    setClock(start + SOAK_MS + 1000);
    const tested = await waitFor(
      async () => ((await trust(v1.id)).lifecycle === 'TESTED' ? trust(v1.id) : undefined),
      {
        timeoutMs: 15_000,
        message: 'TESTED after the soak',
      },
    );
    expect(Date.parse(tested.promotion.testedAt!)).toBeGreaterThanOrEqual(start + SOAK_MS);
    expect(tested.promotion).toMatchObject({ tested: true, testSeats: names(0, 1) });
    expect(tested.promotion.reasons).toEqual([
      expect.stringContaining('for 60 minutes with no failed install'),
    ]);
    expect(tested.testedBy).toBe('promotion');
  }, 60_000);

  it('a failed install on a test seat during the soak restarts it from the failure', async () => {
    const v1 = await syncedSegment(app.url, 'promo-b', '1.0.0');
    await installed(v1.id, ids(0));
    const first = await promotionOf(v1.id, (p) => p.soakStartedAt !== undefined, 'the soak to start');
    const start = Date.parse(first.soakStartedAt!);

    setClock(start + SOAK_MS / 2);
    platform().tasks.setDevice(seats[1]!.ip, { outcome: 'fail', error: 'disk full' });
    const failedInstall = await installed(v1.id, ids(0, 1));
    expect(failedInstall.status).not.toBe('SUCCEEDED');
    const reset = await promotionOf(v1.id, (p) => p.lastFailure !== undefined, 'the failure to count');
    const failedAt = Date.parse(reset.lastFailure!.at);
    expect(failedAt).toBeGreaterThanOrEqual(start + SOAK_MS / 2);
    expect(reset.soakStartedAt).toBe(reset.lastFailure!.at);
    expect(reset.lastFailure).toMatchObject({
      seat: names(1)[0],
      error: expect.stringContaining('disk full'),
    });
    expect((await trust(v1.id)).promotion.reasons).toEqual([
      `failed on seat ${names(1)[0]} at ${reset.lastFailure!.at}: ${reset.lastFailure!.error}; the soak starts again`,
      expect.stringMatching(/^soaking: 0 of 60 minutes$/),
    ]);

    // Installed again, it runs on both; the soak goes on from the failure.
    platform().tasks.setDevice(seats[1]!.ip, undefined);
    await installed(v1.id, ids(0, 1));
    const both = await promotionOf(v1.id, (p) => p.testSeatCount === 2, 'both test seats');
    expect(both.soakStartedAt).toBe(reset.lastFailure!.at);

    // Past the first soak's end, 30 s before the new one's: judged then (a third seat), still DRAFT.
    setClock(failedAt + SOAK_MS - 30_000);
    await installed(v1.id, ids(0, 1, 2));
    const late = await promotionOf(v1.id, (p) => p.testSeatCount === 3, 'the third test seat');
    expect(Date.parse(late.judgedAt)).toBeGreaterThan(start + SOAK_MS);
    expect((await stored(v1.id))?.lifecycle ?? 'DRAFT').toBe('DRAFT');

    setClock(failedAt + SOAK_MS + 1000);
    const tested = await waitFor(async () => (await stored(v1.id))?.tested, {
      timeoutMs: 15_000,
      message: 'TESTED after the restarted soak',
    });
    expect(Date.parse(tested.at)).toBeGreaterThanOrEqual(failedAt + SOAK_MS);
  }, 60_000);

  it('PROMOTION_MIN_SEATS=2: seats outside the test group do not count; two test seats do', async () => {
    await app.stop();
    app = await startSegmentApp({ ...env, PROMOTION_MIN_SEATS: '2' }, { store, sim, clock });
    const v1 = await syncedSegment(app.url, 'promo-c', '1.0.0');
    await installed(v1.id, ids(0, 4, 5));
    const one = await promotionOf(v1.id, (p) => p.testSeatCount === 1, 'one test seat');
    expect(one.testSeats).toEqual(names(0));
    expect(one.soakStartedAt).toBeUndefined();
    expect((await trust(v1.id)).promotion.reasons).toEqual([
      'runs on 1 of 2 required test seats of group test',
    ]);

    // Hours later, a second test seat: the soak starts only now.
    setClock(clock().getTime() + 2 * SOAK_MS);
    await installed(v1.id, ids(0, 3, 4, 5));
    const two = await promotionOf(v1.id, (p) => p.soakStartedAt !== undefined, 'the soak to start');
    expect(two.testSeats).toEqual(names(0, 3));
    expect((await stored(v1.id))?.lifecycle ?? 'DRAFT').toBe('DRAFT');
    setClock(Date.parse(two.soakStartedAt!) + SOAK_MS + 1000);
    await waitFor(async () => (await stored(v1.id))?.lifecycle === 'TESTED', {
      timeoutMs: 15_000,
      message: 'TESTED with two test seats',
    });
  }, 60_000);
});
