import { describe, expect, it } from 'vitest';
import {
  judgePromotion,
  type PromotionInput,
  type TestSeatFailure,
} from '../../src/domain/trust/promotion-judgement.js';
import type { PromotionState } from '../../src/records/promotion-schema.js';

/** The promotion gate's judgement (SPEC-FLEET section 3): soak, resets, counting, words. */

const settings = { testGroup: 'test', minSeats: 1, soakMs: 60 * 60_000 };
const T0 = Date.parse('2026-12-07T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

/** Judges in sequence, carrying the state along as the service would store it. */
function gate(options: Partial<typeof settings> = {}) {
  let state: PromotionState | undefined;
  return {
    judge(minute: number, running: string[] | undefined, failures: TestSeatFailure[] = []) {
      const input: PromotionInput = { state, running, failures, now: at(minute) };
      const judgement = judgePromotion(input, { ...settings, ...options });
      if (judgement.changed) state = judgement.state;
      return judgement;
    },
    get state() {
      return state;
    },
  };
}

const failure = (installId: string, minute: number, failed = 1, seat = 's2'): TestSeatFailure => ({
  installId,
  failed,
  seat,
  error: 'disk full',
  at: iso(minute),
});

describe('promotion judgement', () => {
  it('a segment on no test seat waits and writes nothing', () => {
    const g = gate();
    const j = g.judge(0, []);
    expect(j).toMatchObject({ tested: false, changed: false });
    expect(j.soakEndsAt).toBeUndefined();
    expect(j.reasons).toEqual(['runs on 0 of 1 required test seats of group test']);
  });

  it('one test seat: soaking until the soak is over, TESTED at its end and not a minute before', () => {
    const g = gate();
    const started = g.judge(5, ['s1']);
    expect(started).toMatchObject({ tested: false, changed: true, soakEndsAt: at(65) });
    expect(started.state).toMatchObject({ soakStartedAt: iso(5), testSeats: ['s1'], testSeatCount: 1 });
    expect(started.reasons).toEqual(['soaking: 0 of 60 minutes']);

    const midway = g.judge(17, ['s1']);
    expect(midway).toMatchObject({ tested: false, changed: false, soakEndsAt: at(65) });
    expect(midway.reasons).toEqual(['soaking: 12 of 60 minutes']);
    expect(midway.state.judgedAt).toBe(iso(5));

    expect(g.judge(64.99, ['s1']).tested).toBe(false);
    const done = g.judge(65, ['s1']);
    expect(done.tested).toBe(true);
    expect(done.reasons).toEqual([
      'ran on 1 seats of group test (1 required: s1) for 60 minutes with no failed install there',
    ]);
  });

  it('a failure during the soak restarts it from the failure time; counted once', () => {
    const g = gate();
    g.judge(0, ['s1']);
    const failed = g.judge(31, ['s1'], [failure('a/1', 30)]);
    expect(failed).toMatchObject({ tested: false, changed: true, soakEndsAt: at(90) });
    expect(failed.state.soakStartedAt).toBe(iso(30));
    expect(failed.reasons).toEqual([
      `failed on seat s2 at ${iso(30)}: disk full; the soak starts again`,
      'soaking: 1 of 60 minutes',
    ]);
    // The same record read again (or ended later) with no new failed seat: no restart.
    const again = g.judge(70, ['s1'], [{ ...failure('a/1', 40) }]);
    expect(again).toMatchObject({ changed: false, soakEndsAt: at(90) });
    // The failure that restarted the soak stays its explanation.
    expect(again.reasons).toEqual([
      `failed on seat s2 at ${iso(30)}: disk full; the soak starts again`,
      'soaking: 40 of 60 minutes',
    ]);
    expect(g.judge(89, ['s1'], [failure('a/1', 40)]).tested).toBe(false);
    expect(g.judge(90, ['s1'], [failure('a/1', 40)]).tested).toBe(true);
  });

  it('another seat failing in a record already counted restarts the soak again', () => {
    const g = gate();
    g.judge(0, ['s1']);
    g.judge(10, ['s1'], [failure('a/1', 10)]);
    const more = g.judge(20, ['s1'], [failure('a/1', 20, 2, 's3')]);
    expect(more.state.soakStartedAt).toBe(iso(20));
    expect(more.state.failuresCounted).toEqual([{ installId: 'a/1', failed: 2 }]);
    expect(more.state.lastFailure).toMatchObject({ seat: 's3', at: iso(20) });
  });

  it('a failure seen after the soak it would restart began (an old record) changes nothing of the soak', () => {
    const g = gate();
    g.judge(0, ['s1']);
    const old = g.judge(30, ['s1'], [failure('a/0', -10)]);
    expect(old.state.soakStartedAt).toBe(iso(0));
    expect(old.reasons).toEqual(['soaking: 30 of 60 minutes']);
  });

  it('a failure while too few seats run it: the soak starts when enough do, after it', () => {
    const g = gate();
    const none = g.judge(10, [], [failure('a/1', 10, 1, 's1')]);
    expect(none.reasons).toEqual([
      `failed on seat s1 at ${iso(10)}: disk full; the soak starts again`,
      'runs on 0 of 1 required test seats of group test',
    ]);
    const back = g.judge(20, ['s1'], [failure('a/1', 10, 1, 's1')]);
    expect(back).toMatchObject({ soakEndsAt: at(80) });
    expect(back.reasons).toEqual(['soaking: 0 of 60 minutes']);
  });

  it('the count falling below the minimum ends the soak; it starts over when seats run it again', () => {
    const g = gate({ minSeats: 2 });
    expect(g.judge(0, ['s1']).reasons).toEqual(['runs on 1 of 2 required test seats of group test']);
    expect(g.judge(5, ['s1', 's2']).soakEndsAt).toEqual(at(65));
    const fewer = g.judge(30, ['s2']);
    expect(fewer.state.soakStartedAt).toBeUndefined();
    expect(fewer.soakEndsAt).toBeUndefined();
    expect(g.judge(40, ['s2', 's3']).soakEndsAt).toEqual(at(100));
    expect(g.judge(99, ['s2', 's3']).tested).toBe(false);
    expect(g.judge(100, ['s2', 's3']).tested).toBe(true);
  });

  it('a missing test group is a reason of its own', () => {
    const g = gate();
    const j = g.judge(0, undefined);
    expect(j).toMatchObject({ tested: false, changed: true });
    expect(j.reasons).toEqual(['group test does not exist']);
  });

  it('keeps at most 100 seat names and 100 counted records, dropping records that are gone', () => {
    const g = gate({ minSeats: 200 });
    const seats = Array.from({ length: 150 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const failures = Array.from({ length: 120 }, (_, i) => failure(`a/${100 + i}`, i));
    const j = g.judge(200, seats, failures);
    expect(j.state.testSeats).toHaveLength(100);
    expect(j.state.testSeatCount).toBe(150);
    expect(j.state.failuresCounted).toHaveLength(100);
    expect(j.state.failuresCounted?.[0]?.installId).toBe('a/120');
    const pruned = g.judge(201, seats, failures.slice(115));
    expect(pruned.state.failuresCounted?.map((f) => f.installId)).toEqual([
      'a/215',
      'a/216',
      'a/217',
      'a/218',
      'a/219',
    ]);
    expect(pruned.state.lastFailure?.installId).toBe('a/219');
  });

  it('a soak of zero minutes: TESTED as soon as enough seats run it', () => {
    const g = gate({ soakMs: 0 });
    expect(g.judge(0, ['s1']).tested).toBe(true);
  });
});
