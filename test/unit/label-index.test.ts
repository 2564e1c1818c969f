import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesSelector, parseSelector } from '../../src/model/selector.js';
import { LabelIndex } from '../../src/records/label-index.js';
import type { StoredSeat } from '../../src/records/stored-seat.js';

const KEYS = ['site', 'role', 'gpu'];
const VALUES = ['a', 'b', 'c', ''];

const seatArb = fc.record({
  name: fc.integer({ min: 0, max: 60 }).map((i) => `ws-${i}`),
  labels: fc.uniqueArray(fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES) }), {
    selector: (l) => l.key,
    maxLength: 3,
  }),
});

const requirementArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(...KEYS), fc.constantFrom('=', '!='), fc.constantFrom('a', 'b'))
    .map((p) => p.join('')),
  fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.constantFrom(' in ', ' notin '),
      fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1 }),
    )
    .map(([k, op, vs]) => `${k}${op}(${vs.join(',')})`),
  fc.constantFrom(...KEYS),
  fc.constantFrom(...KEYS).map((k) => `!${k}`),
);
const selectorArb = fc.array(requirementArb, { maxLength: 3 }).map((r) => r.join(','));

/** What the seat set should be after a list of puts (a seat given twice: the later wins) and removes. */
type Op = { put: { name: string; labels: { key: string; value: string }[] } } | { remove: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: seatArb.map((put) => ({ put })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((i) => ({ remove: `ws-${i}` })) },
);

const stored = (name: string, labels: { key: string; value: string }[], modRevision: number): StoredSeat => ({
  name,
  ip: '10.0.0.1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  labels,
  modRevision,
});

describe('label index', () => {
  it('answers every selector as a scan of the seats would, after any puts and removes', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 80 }),
        fc.array(selectorArb, { minLength: 1, maxLength: 4 }),
        (ops, selectors) => {
          const index = new LabelIndex();
          const truth = new Map<string, Map<string, string>>();
          ops.forEach((op, i) => {
            if ('put' in op) {
              index.set(stored(op.put.name, op.put.labels, i + 1));
              truth.set(op.put.name, new Map(op.put.labels.map((l) => [l.key, l.value])));
            } else {
              index.remove(op.remove);
              truth.delete(op.remove);
            }
            // Interleave reads with writes, so a stale memo would show.
            const text = selectors[i % selectors.length]!;
            const selector = parseSelector(text);
            const expected = [...truth]
              .filter(([, labels]) => matchesSelector(selector, labels))
              .map(([n]) => n)
              .sort();
            expect(index.matching(selector, text)).toEqual(expected);
          });
          expect(index.all.map((s) => s.name)).toEqual([...truth.keys()].sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pages the matches in name order after a cursor that need not match', () => {
    const index = LabelIndex.of(
      Array.from({ length: 20 }, (_, i) =>
        stored(`ws-${String(i).padStart(2, '0')}`, i % 2 ? [{ key: 'odd', value: '' }] : [], i + 1),
      ),
    );
    const selector = parseSelector('odd');
    expect(index.page(selector, 'odd', 3)).toEqual({
      names: ['ws-01', 'ws-03', 'ws-05'],
      hasNextPage: true,
      totalCount: 10,
    });
    expect(index.page(selector, 'odd', 3, 'ws-04')).toMatchObject({ names: ['ws-05', 'ws-07', 'ws-09'] });
    expect(index.page(selector, 'odd', 3, 'ws-17')).toEqual({
      names: ['ws-19'],
      hasNextPage: false,
      totalCount: 10,
    });
    expect(index.page(selector, 'odd', 0)).toEqual({ names: [], hasNextPage: true, totalCount: 10 });
  });

  it('never changes a list of matches it has handed out', () => {
    const index = LabelIndex.of([
      stored('a', [{ key: 'k', value: '1' }], 1),
      stored('c', [{ key: 'k', value: '1' }], 2),
    ]);
    const selector = parseSelector('k=1');
    const before = index.matching(selector, 'k=1');
    index.set(stored('b', [{ key: 'k', value: '1' }], 3));
    index.set(stored('c', [{ key: 'k', value: '2' }], 4));
    index.set(stored('a', [{ key: 'k', value: '1' }], 5)); // same labels: no change of membership
    expect(index.matching(selector, 'k=1')).toEqual(['a', 'b']);
    expect(before).toEqual(['a', 'c']);
    expect(index.get('a')?.modRevision).toBe(5);
  });
});
