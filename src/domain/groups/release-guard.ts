import { SegmentNotReleasedError } from '../../model/errors.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { GroupService } from './group-service.js';

/**
 * Protected groups (SPEC-FLEET section 1): only RELEASED segments may be put on their seats, by any
 * path. Every path that installs calls `refuseUnreleased` with the seats that would newly get the
 * segment, before it records anything, so a refusal changes nothing.
 */
export interface ReleaseGuard {
  /** SEGMENT_NOT_RELEASED naming the seats of protected groups among `seatNames`, unless the segment is RELEASED. */
  refuseUnreleased(segment: StoredSegment, seatNames: readonly string[]): Promise<void>;
}

/**
 * Whether a segment is RELEASED. Lifecycles come with section 3 (signed segments and the release
 * lifecycle); until then every segment counts as DRAFT, as the issue asks, so this is the one place
 * that changes when they arrive.
 */
function isReleased(_segment: StoredSegment): boolean {
  return false;
}

export class ProtectedGroupGuard implements ReleaseGuard {
  constructor(private readonly groups: GroupService) {}

  async refuseUnreleased(segment: StoredSegment, seatNames: readonly string[]): Promise<void> {
    if (seatNames.length === 0 || isReleased(segment)) return;
    const view = await this.groups.view();
    const guarded = [...view.groups.values()].filter((group) => group.protected);
    if (guarded.length === 0) return;
    const seats: string[] = [];
    const groups = new Set<string>();
    for (const seat of seatNames) {
      const holding = guarded.filter((group) => view.seats.matches(seat, this.groups.selectorOf(group)));
      if (holding.length === 0) continue;
      seats.push(seat);
      for (const group of holding) groups.add(group.name);
    }
    if (seats.length > 0) throw new SegmentNotReleasedError(segment.id, seats.sort(), [...groups].sort());
  }
}
