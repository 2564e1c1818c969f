import { Gauge, type Registry } from 'prom-client';
import type { SeatCache } from '../records/seat-cache.js';
import type { SegmentCache, SegmentCacheStats } from '../records/segment-cache.js';

/** `seghub_segment_cache_*`: a cache that keeps listing or fencing points at a store in trouble. */
export function segmentCacheMetrics(cache: SegmentCache, registry: Registry): void {
  const gauge = (name: string, help: string, read: (stats: SegmentCacheStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(cache.stats()));
      },
    });
  gauge('seghub_segment_cache_records', 'Segment records held in memory for lists', (s) => s.records);
  gauge(
    'seghub_segment_cache_lists',
    'Full lists of the store since start (the watch could not resume)',
    (s) => s.lists,
  );
  gauge(
    'seghub_segment_cache_fences',
    'Read barriers that had to write meta/read-fence, since start',
    (s) => s.fences,
  );
}

/** `seghub_seat_cache_*`: what the seat cache holds, and how often it had to list the store again. */
export function seatCacheMetrics(cache: SeatCache, registry: Registry): void {
  const stats = {
    seats: 'Seats held in memory for selectors and groups',
    groups: 'Seat groups held in memory',
    lists: 'Full lists of the seats since start (the watch could not resume)',
  } as const;
  for (const [stat, help] of Object.entries(stats) as [keyof typeof stats, string][]) {
    new Gauge({
      name: `seghub_seat_cache_${stat}`,
      help,
      registers: [registry],
      collect() {
        this.set(cache.stats()[stat]);
      },
    });
  }
}
