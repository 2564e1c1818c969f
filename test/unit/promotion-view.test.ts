import { describe, expect, it } from 'vitest';
import { PromotionService } from '../../src/domain/trust/promotion-service.js';

/** `Segment.promotion` from a record (SPEC-FLEET section 3): tested, when, on which seats, and why. */

const now = new Date('2026-12-07T13:00:00.000Z');
const service = new PromotionService({
  // `view` reads nothing but the record it is given.
  segments: undefined as never,
  groups: undefined as never,
  installs: undefined as never,
  seatsOf: async () => [],
  config: { testGroup: 'test', minSeats: 1, soakMs: 60 * 60_000 },
  now: () => now,
});

describe('promotion view', () => {
  it('a record from before lifecycles, never judged: DRAFT on no test seat', () => {
    expect(service.view({})).toEqual({
      tested: false,
      testSeats: [],
      reasons: ['runs on 0 of 1 required test seats of group test'],
    });
  });

  it('a DRAFT segment soaking: the minutes by the clock at the time of asking', () => {
    const promotion = {
      soakStartedAt: '2026-12-07T12:48:00.000Z',
      testSeats: ['s1'],
      testSeatCount: 1,
      judgedAt: '2026-12-07T12:48:00.000Z',
    };
    expect(service.view({ lifecycle: 'DRAFT', promotion })).toEqual({
      tested: false,
      testSeats: ['s1'],
      reasons: ['soaking: 12 of 60 minutes'],
    });
  });

  it('marked tested by hand: who and why; still tested once released and deprecated', () => {
    const tested = { at: '2026-12-07T12:00:00.000Z', by: 'alice', note: 'ran in the lab for a week' };
    const expected = {
      tested: true,
      testedAt: tested.at,
      testSeats: [],
      reasons: [`marked tested by alice at ${tested.at}: ran in the lab for a week`],
    };
    expect(service.view({ lifecycle: 'TESTED', tested })).toEqual(expected);
    const released = { at: '2026-12-07T12:30:00.000Z', by: 'bob' };
    const deprecated = { at: '2026-12-07T12:40:00.000Z', by: 'bob', note: 'CVE' };
    expect(service.view({ lifecycle: 'DEPRECATED', tested, released, deprecated })).toEqual(expected);
  });

  it('tested by the gate: its note', () => {
    const tested = { at: '2026-12-07T12:00:00.000Z', by: 'promotion', note: 'ran on 1 seats of group test' };
    expect(service.view({ lifecycle: 'RELEASED', tested }).reasons).toEqual(['ran on 1 seats of group test']);
  });

  it('released by the migration (D9) counts as tested; deprecated before any test does not', () => {
    const released = { at: '2026-12-07T12:00:00.000Z', by: 'migration' };
    expect(service.view({ lifecycle: 'RELEASED', released })).toEqual({
      tested: true,
      testSeats: [],
      reasons: [`released by migration at ${released.at} (it ran on seats before lifecycles existed)`],
    });
    const deprecated = { at: '2026-12-07T12:00:00.000Z', by: 'bob', note: 'broken' };
    expect(service.view({ lifecycle: 'DEPRECATED', deprecated })).toMatchObject({
      tested: false,
      reasons: [`deprecated by bob at ${deprecated.at} before it was tested: broken`],
    });
  });
});
