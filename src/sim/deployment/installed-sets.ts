import { addressKey } from './addresses.js';

export interface InstalledPage {
  ips: string[];
  /** Key of the last address returned when more follow; undefined on the last page. */
  lastKey: string | undefined;
}

/**
 * Which devices have which segment. Devices are held by address key (so two spellings of one
 * address are one device) with the text the last successful install used.
 */
export class InstalledSets {
  private readonly bySegment = new Map<string, Map<string, string>>();
  // Sorted keys per segment, rebuilt only after the set changed: paging reads it many times.
  private readonly sortedKeys = new Map<string, string[]>();

  add(segmentUid: string, key: string, ip: string): void {
    let devices = this.bySegment.get(segmentUid);
    if (!devices) {
      devices = new Map();
      this.bySegment.set(segmentUid, devices);
    }
    devices.set(key, ip);
    this.sortedKeys.delete(segmentUid);
  }

  remove(segmentUid: string, key: string): void {
    const devices = this.bySegment.get(segmentUid);
    if (!devices?.delete(key)) return;
    if (devices.size === 0) this.bySegment.delete(segmentUid);
    this.sortedKeys.delete(segmentUid);
  }

  has(segmentUid: string, key: string): boolean {
    return this.bySegment.get(segmentUid)?.has(key) ?? false;
  }

  count(segmentUid: string): number {
    return this.bySegment.get(segmentUid)?.size ?? 0;
  }

  forget(segmentUid: string): void {
    this.bySegment.delete(segmentUid);
    this.sortedKeys.delete(segmentUid);
  }

  /** Addresses in numeric order (IPv4 before IPv6). */
  devices(segmentUid: string): string[] {
    const devices = this.bySegment.get(segmentUid);
    return devices ? this.sorted(segmentUid).map((key) => devices.get(key)!) : [];
  }

  /** Up to `size` addresses after the one with key `afterKey` (from the start when undefined). */
  page(segmentUid: string, size: number, afterKey: string | undefined): InstalledPage {
    const devices = this.bySegment.get(segmentUid);
    if (!devices) return { ips: [], lastKey: undefined };
    const keys = this.sorted(segmentUid);
    const from = afterKey === undefined ? 0 : firstAfter(keys, afterKey);
    const slice = keys.slice(from, from + size);
    const more = from + size < keys.length;
    return { ips: slice.map((key) => devices.get(key)!), lastKey: more ? slice.at(-1) : undefined };
  }

  toJSON(): Array<{ segmentUid: string; ips: string[] }> {
    return [...this.bySegment.keys()].map((segmentUid) => ({ segmentUid, ips: this.devices(segmentUid) }));
  }

  static fromJSON(entries: Array<{ segmentUid: string; ips: string[] }>): InstalledSets {
    const sets = new InstalledSets();
    for (const { segmentUid, ips } of entries) {
      for (const ip of ips) {
        const key = addressKey(ip);
        if (key !== undefined) sets.add(segmentUid, key, ip);
      }
    }
    return sets;
  }

  private sorted(segmentUid: string): string[] {
    let keys = this.sortedKeys.get(segmentUid);
    if (!keys) {
      keys = [...(this.bySegment.get(segmentUid)?.keys() ?? [])].sort();
      this.sortedKeys.set(segmentUid, keys);
    }
    return keys;
  }
}

/** Index of the first key greater than `key` in sorted `keys`. */
function firstAfter(keys: string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}
