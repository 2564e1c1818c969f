import { describe, expect, it } from 'vitest';
import { isValidLabelKey, isValidLabelValue, labelProblem, sortLabels } from '../../src/model/labels.js';

describe('label rules', () => {
  it('accepts keys of lower-case letters, digits, . _ / - starting with a letter or digit, up to 63', () => {
    for (const key of ['a', 'site', '0', 'example.com/rack', 'a_b-c.d', `a${'b'.repeat(62)}`]) {
      expect(isValidLabelKey(key)).toBe(true);
    }
    for (const key of ['', 'Site', '.a', '-a', '/a', '_a', 'a b', 'a=b', 'ä', `a${'b'.repeat(63)}`]) {
      expect(isValidLabelKey(key)).toBe(false);
    }
  });

  it('accepts values of letters, digits, . _ - up to 63, empty included', () => {
    for (const value of ['', 'North', 'v1.2_3-x', '.', 'x'.repeat(63)])
      expect(isValidLabelValue(value)).toBe(true);
    for (const value of ['a b', 'a/b', 'a,b', 'é', 'x'.repeat(64)])
      expect(isValidLabelValue(value)).toBe(false);
  });

  it('names the first bad label, a repeated key, and more than 32 labels', () => {
    expect(labelProblem([{ key: 'a', value: '1' }])).toBeUndefined();
    expect(
      labelProblem([
        { key: 'a', value: '1' },
        { key: 'B', value: '1' },
      ]),
    ).toEqual({ kind: 'key', index: 1, key: 'B' });
    expect(labelProblem([{ key: 'a', value: 'a b' }])).toMatchObject({ kind: 'value', index: 0 });
    expect(
      labelProblem([
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ]),
    ).toEqual({
      kind: 'duplicate',
      index: 1,
      key: 'a',
    });
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: '' }));
    expect(labelProblem(many(32))).toBeUndefined();
    expect(labelProblem(many(33))).toEqual({ kind: 'too-many', count: 33 });
  });

  it('orders labels by key', () => {
    expect(
      sortLabels([
        { key: 'site', value: 'x' },
        { key: 'role', value: 'y' },
        { key: 'a/b', value: '' },
      ]).map((l) => l.key),
    ).toEqual(['a/b', 'role', 'site']);
  });
});
