import { isIP } from 'node:net';

/**
 * A device's identity and sort position: `4` + 8 hex digits for IPv4, `6` + 32 hex digits (plus
 * `%zone`) for IPv6. Two spellings of one address (`::1`, `0:0::1`, `::0001`) share a key, and
 * comparing keys as strings orders addresses numerically. Undefined when `ip` is not an address.
 */
export function addressKey(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return `4${ipv4Hex(ip)}`;
  if (family === 6) return `6${ipv6Hex(ip)}`;
  return undefined;
}

const KEY_PATTERN = /^(4[0-9a-f]{8}|6[0-9a-f]{32}(%.+)?)$/;

export const isAddressKey = (text: string) => KEY_PATTERN.test(text);

function ipv4Hex(ip: string): string {
  return ip
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .join('');
}

// Only called on text `isIP` accepted, so the shape is known to be right.
function ipv6Hex(ip: string): string {
  const zoneAt = ip.indexOf('%');
  const zone = zoneAt < 0 ? '' : ip.slice(zoneAt);
  let address = (zoneAt < 0 ? ip : ip.slice(0, zoneAt)).toLowerCase();
  const tailAt = address.lastIndexOf(':') + 1;
  if (address.includes('.', tailAt)) {
    const v4 = ipv4Hex(address.slice(tailAt));
    address = `${address.slice(0, tailAt)}${v4.slice(0, 4)}:${v4.slice(4)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups];
  return groups.map((group) => group.padStart(4, '0')).join('') + zone;
}
