import type { SeatBindings } from '../../records/seat-bindings.js';
import type { SegmentSeats } from '../../records/segment-seats.js';

/**
 * For each of `names` that is in use, the segments using it: installed there (the segment's seat
 * list), or named by an install of that segment that has not ended (it may be about to install or
 * uninstall there, and the controller will need the seat's address). Sorted, for stable messages.
 */
export async function seatUsage(
  names: ReadonlySet<string>,
  sources: { segmentSeats: SegmentSeats; bindings: SeatBindings },
): Promise<Map<string, string[]>> {
  // Installs first, then seat lists: an install that ends in between has written its seats to the
  // list in the same transaction that ended it, so the second read sees them either way.
  const installs = await sources.bindings.activeInstalls();
  const lists = await sources.segmentSeats.all();
  const usage = new Map<string, Set<string>>();
  const note = (seat: string, segmentId: string) => {
    if (!names.has(seat)) return;
    const segments = usage.get(seat) ?? new Set<string>();
    segments.add(segmentId);
    usage.set(seat, segments);
  };
  for (const [segmentId, seats] of lists) for (const seat of seats) note(seat, segmentId);
  for (const { segmentId, seats } of installs) for (const seat of seats) note(seat, segmentId);
  return new Map([...usage].map(([seat, segments]) => [seat, [...segments].sort()]));
}
