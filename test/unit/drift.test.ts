import { describe, expect, it } from 'vitest';
import { convergeWork, driftOf, type NameFacts } from '../../src/domain/desired-versions/drift.js';
import type { ConvergeSeat } from '../../src/records/desired-version-records.js';

const now = new Date('2026-12-07T12:00:00.000Z');
const failure = (fields: Partial<ConvergeSeat>): ConvergeSeat => ({
  segmentId: 'app/2.0.0',
  attempts: 1,
  nextAttemptAt: '2026-12-07T12:00:10.000Z',
  lastError: 'disk full',
  recordId: 'r',
  parked: false,
  ...fields,
});

function facts(overrides: Partial<NameFacts> = {}): NameFacts {
  return {
    desired: new Map([
      ['north', 'app/2.0.0'],
      ['bridge', 'app/1.0.0'],
    ]),
    members: new Map([
      ['north', ['a', 'b', 'c', 'd', 'shared']],
      ['bridge', ['shared', 'x']],
    ]),
    running: new Map([
      ['app/1.0.0', new Set(['b', 'c', 'shared'])],
      ['app/2.0.0', new Set(['c', 'd'])],
    ]),
    failures: new Map(),
    ...overrides,
  };
}

describe('drift (D4)', () => {
  it('names what is missing, what runs besides, and seats whose groups disagree', () => {
    const drift = driftOf(['a', 'b', 'c', 'd', 'shared'], facts());
    expect(drift.map((d) => [d.seat, d.reason])).toEqual([
      ['a', 'MISSING'],
      ['b', 'MISSING'],
      ['c', 'OTHER_VERSION'],
      ['shared', 'CONFLICT'],
    ]);
    expect(drift.find((d) => d.seat === 'shared')?.message).toBe(
      'conflicting desired versions: north desire app/2.0.0; bridge desire app/1.0.0',
    );
  });

  it('gives converge the seats due now, leaving conflicts, parked seats and seats in backoff', () => {
    const failures = new Map([
      ['a', failure({})],
      ['b', failure({ parked: true, attempts: 5 })],
    ]);
    const work = convergeWork(facts({ failures }), now);
    expect(work.due.map((d) => d.seat)).toEqual(['c', 'x']);
    expect(work.nextAt).toBe(Date.parse('2026-12-07T12:00:10.000Z'));
    // Once due, the failing seat is worked on again; a failure for another version does not count.
    const later = convergeWork(facts({ failures }), new Date('2026-12-07T12:00:11.000Z'));
    expect(later.due.map((d) => d.seat)).toEqual(['a', 'c', 'x']);
    const stale = new Map([['b', failure({ segmentId: 'app/0.9.0', parked: true })]]);
    expect(convergeWork(facts({ failures: stale }), now).due.map((d) => d.seat)).toEqual([
      'a',
      'b',
      'c',
      'x',
    ]);
  });
});
