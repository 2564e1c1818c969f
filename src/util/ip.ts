import { isIPv4, isIPv6 } from 'node:net';

/**
 * IPv4 and IPv6 addresses as seats and SDP devices carry them. One address has many spellings
 * (`::1`, `0:0::1`, `::0001`, `::FFFF:10.0.0.1`), so anything that compares addresses (the seat IP
 * index, the simulator's device sets) compares parsed values or their canonical text, never the
 * operator's spelling. Zone ids (`fe80::1%eth0`) are refused here: they name an interface of the
 * host that wrote them, which means nothing to another machine.
 */
export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

/** The address `text` spells, or undefined when it is not exactly one address (no spaces, no zone). */
export function parseIp(text: string): IpAddress | undefined {
  // Node's validators are strict (no leading zeros in IPv4 octets, one `::` at most): reuse them
  // and only do the expansion ourselves.
  if (isIPv4(text)) return { family: 4, bytes: ipv4Bytes(text) };
  if (text.includes('%') || !isIPv6(text)) return undefined;
  return { family: 6, bytes: ipv6Bytes(text) };
}

export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/**
 * The one text every spelling of an address maps to: dotted decimal for IPv4, RFC 5952 for IPv6
 * (lower case, no leading zeros, the longest run of two or more zero groups shortened to `::`).
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address itself: a dual-stack host
 * reports an IPv4 peer in that form, and two seats must not hold one device under two spellings.
 */
export function canonicalIp(text: string): string | undefined {
  const address = parseIp(text);
  return address && formatIp(unmapIpv4(address));
}

/** The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged. */
function unmapIpv4(address: IpAddress): IpAddress {
  return isIpv4Mapped(address) ? { family: 4, bytes: address.bytes.slice(12) } : address;
}

/** RFC 5952 text; an IPv4-mapped address keeps its mixed notation (`::ffff:10.0.0.1`, RFC 5952 §5). */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return address.bytes.join('.');
  if (isIpv4Mapped(address)) return `::ffff:${address.bytes.slice(12).join('.')}`;
  const groups = ipv6Groups(address.bytes);
  const zeros = longestZeroRun(groups);
  const hex = (part: number[]) => part.map((group) => group.toString(16)).join(':');
  if (!zeros) return hex(groups);
  return `${hex(groups.slice(0, zeros.start))}::${hex(groups.slice(zeros.start + zeros.length))}`;
}

/**
 * The bytes as fixed-width lower-case hex (8 digits for IPv4, 32 for IPv6): equal for equal
 * addresses, and ordered like the addresses when compared as strings within one family.
 */
export function ipHex(address: IpAddress): string {
  return Array.from(address.bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function isIpv4Mapped({ family, bytes }: IpAddress): boolean {
  return (
    family === 6 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  );
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.'), Number);
}

// Only called on text `isIPv6` accepted, so the shape is known to be right.
function ipv6Bytes(text: string): Uint8Array {
  let address = text.toLowerCase();
  const tailAt = address.lastIndexOf(':') + 1;
  if (address.includes('.', tailAt)) {
    // A trailing dotted IPv4 part is the last two groups.
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(address.slice(tailAt));
    address = `${address.slice(0, tailAt)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const bytes = new Uint8Array(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[2 * index] = value >> 8;
    bytes[2 * index + 1] = value & 0xff;
  });
  return bytes;
}

function ipv6Groups(bytes: Uint8Array): number[] {
  return Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
}

/** RFC 5952 §4.2: the longest run of zero groups, the first one on a tie, never a single group. */
function longestZeroRun(groups: number[]): { start: number; length: number } | undefined {
  let best: { start: number; length: number } | undefined;
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= 2 && i - start > (best?.length ?? 0)) best = { start, length: i - start };
    start = -1;
  }
  return best;
}
