import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  isValidSegmentName,
  isValidSegmentVersion,
  parseSegmentId,
  segmentId,
  versionIdentity,
} from '../../src/model/segment-identity.js';

describe('isValidSegmentName', () => {
  it.each(['radar-display', 'a', '0', 'a.b_c-d', '9lives', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(isValidSegmentName(name)).toBe(true);
  });

  it.each([
    '',
    'Radar',
    '-radar',
    '.radar',
    '_radar',
    'radar display',
    'radar/display',
    'rädar',
    'radar\n',
    'a'.repeat(64),
  ])('refuses %j', (name) => {
    expect(isValidSegmentName(name)).toBe(false);
  });
});

describe('isValidSegmentVersion', () => {
  it.each([
    '3.5.1',
    '4.21.2-rc.1',
    '1',
    '10.0',
    '0',
    '0.0.0',
    '1.0.0-0.3.7',
    '1.0.0-x-y-z.--',
    '1.0.0-Alpha',
  ])('accepts %j', (version) => {
    expect(isValidSegmentVersion(version)).toBe(true);
  });

  it.each([
    'v1',
    '1..2',
    '1.2.',
    '.1',
    '01.2',
    '1.02',
    '1.2-',
    '1.2-rc..1',
    '1.2-rc.',
    '1.2-rc_1',
    '1.2+build',
    '-1',
    ' 1',
    '1 ',
    '',
  ])('refuses %j', (version) => {
    expect(isValidSegmentVersion(version)).toBe(false);
  });

  it('allows exactly 64 characters', () => {
    expect(isValidSegmentVersion(`1.${'2'.repeat(62)}`)).toBe(true);
    expect(isValidSegmentVersion(`1.${'2'.repeat(63)}`)).toBe(false);
  });
});

describe('compareVersions', () => {
  const sortOldestFirst = (versions: string[]) => [...versions].sort(compareVersions);

  it('orders release numbers numerically, not as text', () => {
    const ordered = ['1', '1.2', '1.2.0', '1.2.1', '1.10', '2', '9.99.999', '10.0', '100'];
    expect(sortOldestFirst([...ordered].reverse())).toEqual(ordered);
    expect(sortOldestFirst(['10.0', '9.0', '1.10', '1.9'])).toEqual(['1.9', '1.10', '9.0', '10.0']);
  });

  it('puts a prerelease before its release, with semver precedence among prereleases', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1-0',
      '1.0.1',
    ];
    expect(sortOldestFirst([...ordered].reverse())).toEqual(ordered);
    expect(sortOldestFirst(['4.21.2', '4.21.2-rc.1', '4.21.1'])).toEqual(['4.21.1', '4.21.2-rc.1', '4.21.2']);
  });

  it('lists versions newest first when the arguments are swapped', () => {
    const versions = ['3.5.1', '3.10.0', '3.5.1-rc.2', '2.0'];
    expect([...versions].sort((a, b) => compareVersions(b, a))).toEqual([
      '3.10.0',
      '3.5.1',
      '3.5.1-rc.2',
      '2.0',
    ]);
  });

  it('compares numbers beyond 2^53 exactly', () => {
    expect(compareVersions('99999999999999999999', '99999999999999999998')).toBe(1);
    expect(compareVersions('1.0-99999999999999999998', '1.0-99999999999999999999')).toBe(-1);
  });

  it('is a total order: equal only for the same string, and antisymmetric', () => {
    const versions = ['1', '1.0', '1.0.0', '1.0.0-1', '1.0.0-01', '1.0.0-a', '1.0.0-A', '0.9', '1.0.0-rc.1'];
    for (const a of versions) {
      for (const b of versions) {
        const order = compareVersions(a, b);
        expect(order === 0).toBe(a === b);
        expect(Math.sign(order) + Math.sign(compareVersions(b, a))).toBe(0);
      }
    }
  });
});

describe('segment ids', () => {
  it('joins name and version and parses them back', () => {
    const id = segmentId('radar-display', '4.21.2-rc.1');
    expect(id).toBe('radar-display/4.21.2-rc.1');
    expect(parseSegmentId(id)).toEqual({ name: 'radar-display', version: '4.21.2-rc.1' });
  });

  it.each([
    'radar-display',
    'radar-display/',
    '/3.5.1',
    'Radar/3.5.1',
    'radar/v3.5.1',
    'radar/3.5.1/extra',
    'a/b/3.5.1',
    '',
  ])('refuses %j', (id) => {
    expect(parseSegmentId(id)).toBeUndefined();
  });
});

// Regression (#23.9): today's main has no identity but the version string, so `1.0` and `1.0.0` are two segments.
describe('versionIdentity', () => {
  it.each([
    ['1.0', '1'],
    ['1.0.0', '1'],
    ['1', '1'],
    ['0.0', '0'],
    ['1.0.1', '1.0.1'],
    ['10.0.0', '10'],
    ['1.0-rc.01', '1-rc.1'],
    ['1.0.0-rc.1.0', '1-rc.1.0'],
    ['2.0-beta', '2-beta'],
  ])('%s is %s', (version, identity) => {
    expect(versionIdentity(version)).toBe(identity);
  });

  it('is shared exactly by versions that differ only in spelling', () => {
    expect(versionIdentity('1.0')).toBe(versionIdentity('1.0.0'));
    expect(versionIdentity('1.0')).not.toBe(versionIdentity('1.0.1'));
    expect(versionIdentity('1.0-rc.1')).not.toBe(versionIdentity('1.0'));
    expect(versionIdentity('1.10')).not.toBe(versionIdentity('1.1'));
  });
});
