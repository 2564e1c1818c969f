import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSelectorError } from '../../src/model/errors.js';
import {
  formatSelector,
  MAX_SELECTOR_LENGTH,
  matchesSelector,
  type Operator,
  parseSelector,
  type Requirement,
} from '../../src/model/selector.js';

const labels = (pairs: Record<string, string>) => new Map(Object.entries(pairs));
const matches = (selector: string, pairs: Record<string, string>) =>
  matchesSelector(parseSelector(selector), labels(pairs));

function refusal(selector: string): { position: number; expected: string } {
  try {
    parseSelector(selector);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSelectorError);
    const { position, expected, code } = err as InvalidSelectorError;
    expect(code).toBe('INVALID_SELECTOR');
    return { position, expected };
  }
  throw new Error(`${selector} parsed`);
}

describe('selector operators', () => {
  it('k=v and k==v need the key with that value', () => {
    for (const text of ['site=north', 'site==north', ' site = north ', 'site == north']) {
      expect(parseSelector(text).requirements).toEqual([{ key: 'site', operator: 'eq', values: ['north'] }]);
      expect(matches(text, { site: 'north' })).toBe(true);
      expect(matches(text, { site: 'south' })).toBe(false);
      expect(matches(text, {})).toBe(false);
    }
  });

  it('k!=v matches another value and a missing key', () => {
    expect(parseSelector('site!=north').requirements).toEqual([
      { key: 'site', operator: 'neq', values: ['north'] },
    ]);
    expect(matches('site!=north', { site: 'south' })).toBe(true);
    expect(matches('site!=north', {})).toBe(true);
    expect(matches('site!=north', { site: 'north' })).toBe(false);
  });

  it('k in (a,b) needs one of the values', () => {
    const text = 'role in (bridge, engine)';
    expect(parseSelector(text).requirements).toEqual([
      { key: 'role', operator: 'in', values: ['bridge', 'engine'] },
    ]);
    expect(matches(text, { role: 'engine' })).toBe(true);
    expect(matches(text, { role: 'galley' })).toBe(false);
    expect(matches(text, {})).toBe(false);
    expect(matches('role in(bridge)', { role: 'bridge' })).toBe(true);
  });

  it('k notin (a,b) matches other values and a missing key', () => {
    const text = 'role notin (bridge,engine)';
    expect(matches(text, { role: 'galley' })).toBe(true);
    expect(matches(text, {})).toBe(true);
    expect(matches(text, { role: 'bridge' })).toBe(false);
  });

  it('k and !k test for the key, whatever its value', () => {
    expect(matches('gpu', { gpu: '' })).toBe(true);
    expect(matches('gpu', {})).toBe(false);
    expect(matches('!gpu', {})).toBe(true);
    expect(matches('! gpu', { gpu: 'x' })).toBe(false);
  });

  it('an empty value is written k= and matches only the empty value', () => {
    expect(parseSelector('tier=,site=a').requirements[0]).toEqual({
      key: 'tier',
      operator: 'eq',
      values: [''],
    });
    expect(matches('tier=', { tier: '' })).toBe(true);
    expect(matches('tier=', { tier: 'x' })).toBe(false);
  });

  it('keys may carry a namespace and values upper case', () => {
    expect(matches('example.com/rack=A-1_b.2', { 'example.com/rack': 'A-1_b.2' })).toBe(true);
  });

  it('the empty selector matches everything', () => {
    expect(parseSelector('').requirements).toEqual([]);
    expect(parseSelector('   ').requirements).toEqual([]);
    expect(matches('', {})).toBe(true);
  });
});

describe('selector commas', () => {
  it('commas join requirements with AND; commas inside ( ) separate values', () => {
    const selector = parseSelector('site=north,role in (bridge,engine),!retired');
    expect(selector.requirements.map((r) => r.operator)).toEqual(['eq', 'in', 'absent']);
    expect(matches('site=north,role in (bridge,engine),!retired', { site: 'north', role: 'engine' })).toBe(
      true,
    );
    expect(matches('site=north,role in (bridge,engine)', { site: 'south', role: 'engine' })).toBe(false);
    expect(matches('site=north,role in (bridge,engine)', { site: 'north', role: 'galley' })).toBe(false);
  });

  it('a key may repeat; both requirements hold', () => {
    expect(matches('site!=a,site!=b', { site: 'c' })).toBe(true);
    expect(matches('site!=a,site!=b', { site: 'b' })).toBe(false);
  });

  it('`in` and `notin` are operators only after a key; as keys they are plain keys', () => {
    expect(matches('in=x,notin', { in: 'x', notin: '' })).toBe(true);
  });
});

describe('bad selectors name the position and what was expected', () => {
  const cases: [string, number, RegExp][] = [
    ['site=north,', 11, /label key/],
    [',site', 0, /label key/],
    ['site=north,,role', 11, /label key/],
    ['site north', 5, /'='.*'in'/],
    ['site=north role=x', 11, /',' or the end/],
    ['role in bridge', 8, /'\('/],
    ['role in (bridge', 15, /',' or '\)'/],
    ['role in ()', 9, /label value/],
    ['role in (a,)', 11, /label value/],
    ['role in (a b)', 11, /',' or '\)'/],
    ['Site=x', 0, /label key/],
    ['.site=x', 0, /label key \(/],
    ['site=a b', 7, /',' or the end/],
    ['site=!', 5, /label value/],
    ['site!x', 4, /'='/],
    ['!site=x', 5, /',' or the end/],
    ['site<3', 4, /'='/],
    ['role inside (a)', 5, /'in'/],
    [`k=${'v'.repeat(64)}`, 2, /label value/],
    [`${'k'.repeat(64)}=v`, 0, /label key/],
  ];
  it.each(cases)('%j at %i', (text, position, expected) => {
    const error = refusal(text);
    expect(error.position).toBe(position);
    expect(error.expected).toMatch(expected);
  });

  it('refuses selectors over the length limit at the limit', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `k${i}=v`).join(',');
    expect(text.length).toBeGreaterThan(MAX_SELECTOR_LENGTH);
    expect(refusal(text).position).toBe(MAX_SELECTOR_LENGTH);
  });
});

// ---- properties: the parser against a reference evaluation over generated selectors ----

const keyArb = fc.constantFrom('site', 'role', 'gpu', 'in', 'a.b/c', 'x-1');
const valueArb = fc.constantFrom('north', 'south', 'bridge', 'Engine', '1.2', 'a_b');
const spaceArb = fc.constantFrom('', ' ', '  ', '\t');

const requirementArb: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Operator>('eq', 'neq'),
    values: fc.tuple(valueArb).map((v) => [...v]),
  }),
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Operator>('in', 'notin'),
    values: fc.uniqueArray(valueArb, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Operator>('exists', 'absent'),
    values: fc.constant([]),
  }),
);

/** Writes a requirement in any of its spellings, with any whitespace between tokens. */
const spelledArb = (r: Requirement): fc.Arbitrary<string> =>
  fc.tuple(fc.array(spaceArb, { minLength: 6, maxLength: 6 }), fc.boolean()).map(([s, double]) => {
    switch (r.operator) {
      case 'exists':
        return `${s[0]}${r.key}${s[1]}`;
      case 'absent':
        return `${s[0]}!${s[1]}${r.key}${s[2]}`;
      case 'eq':
        return `${s[0]}${r.key}${s[1]}${double ? '==' : '='}${s[2]}${r.values[0]}${s[3]}`;
      case 'neq':
        return `${s[0]}${r.key}${s[1]}!=${s[2]}${r.values[0]}${s[3]}`;
      default:
        return `${s[0]}${r.key} ${s[1]}${r.operator}${s[2]}(${r.values.map((v) => `${s[3]}${v}${s[4]}`).join(',')})${s[5]}`;
    }
  });

const selectorArb = fc
  .array(requirementArb, { maxLength: 5 })
  .chain((requirements) =>
    fc.tuple(
      fc.constant(requirements),
      requirements.length === 0 ? fc.constant([]) : fc.tuple(...requirements.map(spelledArb)),
    ),
  );

const labelsArb = fc
  .uniqueArray(fc.tuple(keyArb, valueArb), { selector: ([k]) => k, maxLength: 6 })
  .map((pairs) => new Map(pairs));

/** The meaning of each operator written out independently of the implementation. */
function reference(requirements: readonly Requirement[], seat: ReadonlyMap<string, string>): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = seat.has(key);
    const value = seat.get(key);
    if (operator === 'exists') return has;
    if (operator === 'absent') return !has;
    const inSet = has && values.some((v) => v === value);
    return operator === 'eq' || operator === 'in' ? inSet : !inSet;
  });
}

describe('selector properties', () => {
  it('any spelling parses to the requirements written', () => {
    fc.assert(
      fc.property(selectorArb, ([requirements, spelled]) => {
        expect(parseSelector(spelled.join(',')).requirements).toEqual(requirements);
      }),
      { numRuns: 2000 },
    );
  });

  it('evaluation agrees with the reference for every label set', () => {
    fc.assert(
      fc.property(selectorArb, labelsArb, ([requirements, spelled], seat) => {
        expect(matchesSelector(parseSelector(spelled.join(',')), seat)).toBe(reference(requirements, seat));
      }),
      { numRuns: 3000 },
    );
  });

  it('the canonical spelling parses back to the same selector', () => {
    fc.assert(
      fc.property(selectorArb, ([, spelled]) => {
        const selector = parseSelector(spelled.join(','));
        expect(parseSelector(formatSelector(selector))).toEqual(selector);
      }),
    );
  });

  it('any text either parses or is refused with a position inside it', () => {
    const alphabet = fc.constantFrom(...'ab=!,() in notin\t.-/Z'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((c) => c.join('')),
        (text) => {
          try {
            parseSelector(text);
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidSelectorError);
            const { position } = err as InvalidSelectorError;
            expect(position).toBeGreaterThanOrEqual(0);
            expect(position).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('dropping the last character of a valid set requirement is refused', () => {
    fc.assert(
      fc.property(fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 }), (values) => {
        const text = `role in (${values.join(',')})`;
        expect(refusal(text.slice(0, -1)).position).toBe(text.length - 1);
      }),
    );
  });
});
