import { pino } from 'pino';
import { SegmentCatalog, segmentListOrder } from '../../src/domain/segments/segment-catalog.js';
import type { KvStore } from '../../src/kv/kv.js';
import { SegmentCache } from '../../src/records/segment-cache.js';

/** A catalog over `kv`, as `startDomain` wires it; its cache lists and watches on first use. */
export function catalogOf(kv: KvStore): { catalog: SegmentCatalog; close(): Promise<void> } {
  const cache = new SegmentCache(kv, { order: segmentListOrder, log: pino({ level: 'silent' }) });
  return { catalog: new SegmentCatalog(cache), close: () => cache.close() };
}
