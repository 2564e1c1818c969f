import { describe, expect, it } from 'vitest';
import { segmentStatement } from '../../../src/domain/trust/signature-statement.js';

const SHA = 'ab'.repeat(32);

describe('segmentStatement (SPEC-FLEET D10)', () => {
  it('is the prefix line and the canonical JSON, keys sorted, no spaces, no trailing newline', () => {
    const bytes = segmentStatement({ version: '3.5.1', size: 1048576, sha256: SHA, name: 'radar-display' });
    expect(bytes.toString('utf8')).toBe(
      `seghub-segment-v1\n{"name":"radar-display","sha256":"${SHA}","size":1048576,"version":"3.5.1"}`,
    );
    expect(bytes.at(-1)).toBe('}'.charCodeAt(0));
    expect(bytes.indexOf(0x0a)).toBe('seghub-segment-v1'.length);
    expect(bytes.lastIndexOf(0x0a)).toBe('seghub-segment-v1'.length);
  });

  it('keeps the version as stored and writes size as a plain decimal integer', () => {
    const text = segmentStatement({ name: 'a', sha256: SHA, size: 0, version: '1.0' }).toString();
    expect(text).toContain('"size":0,"version":"1.0"}');
    const big = segmentStatement({ name: 'a', sha256: SHA, size: 2 ** 40, version: '1.0.0-rc.1' }).toString();
    expect(big).toContain(`"size":1099511627776,"version":"1.0.0-rc.1"}`);
  });

  it('escapes strings as JSON.stringify does', () => {
    const text = segmentStatement({ name: 'a"b\\c\n', sha256: SHA, size: 1, version: 'é/✓' }).toString();
    expect(text).toContain('{"name":"a\\"b\\\\c\\n",');
    expect(text).toContain('"version":"é/✓"}');
  });

  it('refuses what would make an ambiguous statement (a bug in the caller)', () => {
    expect(() => segmentStatement({ name: 'a', sha256: SHA.toUpperCase(), size: 1, version: '1' })).toThrow(
      /sha256/,
    );
    expect(() => segmentStatement({ name: 'a', sha256: SHA, size: 1.5, version: '1' })).toThrow(/size/);
    expect(() => segmentStatement({ name: 'a', sha256: SHA, size: -1, version: '1' })).toThrow(/size/);
  });
});
