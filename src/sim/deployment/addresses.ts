import { isIP } from 'node:net';
import { ipHex, parseIp } from '../../util/ip.js';

/**
 * A device's identity and sort position: `4` + 8 hex digits for IPv4, `6` + 32 hex digits (plus
 * `%zone`) for IPv6. Two spellings of one address (`::1`, `0:0::1`, `::0001`) share a key, and
 * comparing keys as strings orders addresses numerically. Undefined when `ip` is not an address.
 * Unlike seghub's seats, a device address may carry a zone: a platform reaches devices on its own
 * links, so the zone names an interface of the platform's host.
 */
export function addressKey(ip: string): string | undefined {
  if (isIP(ip) === 0) return undefined;
  const zoneAt = ip.indexOf('%');
  const zone = zoneAt < 0 ? '' : ip.slice(zoneAt);
  const address = parseIp(zoneAt < 0 ? ip : ip.slice(0, zoneAt));
  return address && `${address.family}${ipHex(address)}${zone}`;
}

const KEY_PATTERN = /^(4[0-9a-f]{8}|6[0-9a-f]{32}(%.+)?)$/;

export const isAddressKey = (text: string) => KEY_PATTERN.test(text);
