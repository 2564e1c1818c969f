import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  ifRangeHolds,
  noneMatch,
  offsetRange,
  rangeOf,
} from '../../src/server/byte-range.js';

describe('rangeOf', () => {
  it.each([
    ['bytes=0-0', { kind: 'PARTIAL', range: { start: 0, end: 0 } }],
    ['bytes=10-19', { kind: 'PARTIAL', range: { start: 10, end: 19 } }],
    ['bytes=90-500', { kind: 'PARTIAL', range: { start: 90, end: 99 } }],
    ['bytes=99-', { kind: 'PARTIAL', range: { start: 99, end: 99 } }],
    ['bytes=-10', { kind: 'PARTIAL', range: { start: 90, end: 99 } }],
    ['bytes=-500', { kind: 'PARTIAL', range: { start: 0, end: 99 } }],
    ['BYTES = 5 - 6', { kind: 'WHOLE' }],
    ['bytes=100-', { kind: 'UNSATISFIABLE' }],
    ['bytes=100-200', { kind: 'UNSATISFIABLE' }],
    ['bytes=-0', { kind: 'UNSATISFIABLE' }],
    ['bytes=5-4', { kind: 'WHOLE' }],
    ['bytes=0-1,5-6', { kind: 'WHOLE' }],
    ['items=0-1', { kind: 'WHOLE' }],
    ['bytes=-', { kind: 'WHOLE' }],
    [undefined, { kind: 'WHOLE' }],
  ])('%s of 100 bytes', (header, answer) => {
    expect(rangeOf(header, 100)).toEqual(answer);
  });

  it('finds nothing to serve in an empty file', () => {
    expect(rangeOf('bytes=0-', 0)).toEqual({ kind: 'UNSATISFIABLE' });
    expect(rangeOf('bytes=-1', 0)).toEqual({ kind: 'UNSATISFIABLE' });
  });
});

describe('validators', () => {
  const etag = `"${'ab'.repeat(32)}"`;
  const modified = new Date('2026-05-04T03:02:01.789Z');

  it('matches If-None-Match weakly, in lists and with *', () => {
    expect(noneMatch(etag, etag)).toBe(true);
    expect(noneMatch(`"x", W/${etag}`, etag)).toBe(true);
    expect(noneMatch('*', etag)).toBe(true);
    expect(noneMatch('"x"', etag)).toBe(false);
    expect(noneMatch(undefined, etag)).toBe(false);
  });

  it('lets If-Range through on the strong ETag or the exact date only', () => {
    expect(ifRangeHolds(undefined, etag, modified)).toBe(true);
    expect(ifRangeHolds(etag, etag, modified)).toBe(true);
    expect(ifRangeHolds(`W/${etag}`, etag, modified)).toBe(false);
    expect(ifRangeHolds('"other"', etag, modified)).toBe(false);
    expect(ifRangeHolds(modified.toUTCString(), etag, modified)).toBe(true);
    expect(ifRangeHolds(new Date(0).toUTCString(), etag, modified)).toBe(false);
    expect(ifRangeHolds('not a date', etag, modified)).toBe(false);
  });

  it('reads ?offset= as an open range, refusing anything but digits', () => {
    expect(offsetRange(null)).toBeUndefined();
    expect(offsetRange('42')).toBe('bytes=42-');
    expect(offsetRange('-1')).toBeNull();
    expect(offsetRange('1e3')).toBeNull();
  });
});

describe('contentDisposition', () => {
  it('names an ASCII file plainly and exactly', () => {
    expect(contentDisposition('radar-1.0.zip')).toBe(
      `attachment; filename="radar-1.0.zip"; filename*=UTF-8''radar-1.0.zip`,
    );
  });

  it('encodes non-ASCII, quotes and RFC 5987 specials in filename*, with a safe fallback', () => {
    expect(contentDisposition(`radär "β" (1)'*%.zip`)).toBe(
      `attachment; filename="rad_r ___ (1)'*_.zip"; ` +
        `filename*=UTF-8''rad%C3%A4r%20%22%CE%B2%22%20%281%29%27%2A%25.zip`,
    );
  });
});
