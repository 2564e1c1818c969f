import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/sim/deployment/addresses.js';
import { canonicalIp, formatIp, ipHex, isIp, parseIp } from '../../src/util/ip.js';

/** The WHATWG URL parser serialises IPv6 hosts as RFC 5952 says: an independent oracle. */
const urlForm = (ip: string) => new URL(`http://[${ip}]`).hostname.slice(1, -1);

describe('canonicalIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['0.0.0.0', '0.0.0.0'],
    ['::1', '::1'],
    ['0:0::1', '::1'],
    ['::0001', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    // RFC 5952 §4.2.2: a single zero group is not shortened.
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // §4.2.3: the longest run wins, the first on a tie.
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:3:0:0:4', '1::2:3:0:0:4'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['fe80::', 'fe80::'],
    // IPv4-compatible (deprecated) addresses stay IPv6.
    ['::1.2.3.4', '::102:304'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it('folds IPv4-mapped IPv6 addresses into the IPv4 address, in any spelling', () => {
    for (const spelling of [
      '::ffff:10.0.0.1',
      '::FFFF:10.0.0.1',
      '::ffff:a00:1',
      '0:0:0:0:0:ffff:0a00:0001',
    ]) {
      expect(canonicalIp(spelling)).toBe('10.0.0.1');
    }
    // …but formatIp alone keeps the mixed notation RFC 5952 §5 recommends.
    expect(formatIp(parseIp('::ffff:a00:1')!)).toBe('::ffff:10.0.0.1');
  });

  it('agrees with the URL parser on IPv6 addresses that are not IPv4-mapped', () => {
    const samples = [
      '::1',
      '1::',
      '1:2::',
      '::1:2',
      'a:b:c:d:e:f:0:1',
      '0:0:1:0:0:1:0:0',
      'ABCD:EF01:2345:6789:ABCD:EF01:2345:6789',
      '2001:db8:85a3::8a2e:370:7334',
      '1:0:0:0:1:0:0:0',
      '0:1:0:1:0:1:0:1',
    ];
    for (let seed = 1; seed <= 200; seed++) {
      // Deterministic addresses with many zero groups, where compression choices matter.
      const groups = Array.from({ length: 8 }, (_, i) =>
        (seed * (i + 7)) % 5 < 2 ? 0 : (seed * 977 + i) % 65536,
      );
      samples.push(groups.map((g) => g.toString(16)).join(':'));
    }
    for (const ip of samples) {
      expect([ip, canonicalIp(ip)]).toEqual([ip, urlForm(ip)]);
    }
  });

  it.each([
    '',
    ' ',
    ' 10.0.0.1',
    '10.0.0.1 ',
    '10.0.0',
    '10.0.0.1.2',
    '10.0.0.256',
    '010.0.0.1',
    '10.0.0.-1',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':::',
    '12345::',
    'fe80::1%eth0',
    'fe80::1%25eth0',
    '[::1]',
    '::ffff:10.0.0.256',
    'localhost',
    'g::1',
  ])('refuses %j', (input) => {
    expect(parseIp(input)).toBeUndefined();
    expect(canonicalIp(input)).toBeUndefined();
    expect(isIp(input)).toBe(false);
  });
});

describe('ipHex', () => {
  it('is fixed-width, equal for equal addresses and ordered like the numbers', () => {
    expect(ipHex(parseIp('10.0.0.1')!)).toBe('0a000001');
    expect(ipHex(parseIp('::1')!)).toBe(`${'0'.repeat(31)}1`);
    expect(ipHex(parseIp('0:0::1')!)).toBe(ipHex(parseIp('::0001')!));
    const sorted = ['9.255.255.255', '10.0.0.2', '10.0.0.10', '10.0.1.0'];
    expect(
      [...sorted].reverse().sort((a, b) => ipHex(parseIp(a)!).localeCompare(ipHex(parseIp(b)!))),
    ).toEqual(sorted);
  });
});

describe("the simulator's device keys (built on util/ip)", () => {
  it('share a key between spellings, keep zones, and keep IPv4-mapped apart from IPv4', () => {
    expect(addressKey('::1')).toBe(addressKey('0:0::1'));
    expect(addressKey('10.0.0.1')).toBe('40a000001');
    expect(addressKey('FE80::1%eth0')).toBe(`6fe80${'0'.repeat(27)}1%eth0`);
    expect(addressKey('::ffff:10.0.0.1')).not.toBe(addressKey('10.0.0.1'));
    expect(addressKey('10.0.0.256')).toBeUndefined();
    expect(addressKey('10.0.0.1%eth0')).toBeUndefined();
  });
});
