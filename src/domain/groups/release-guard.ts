import type { OriginKind } from '../../records/install-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';

/**
 * What may be put on seats (SPEC-FLEET sections 1 and 3): every path that installs asks the guard
 * with the seats that would newly get the segment, before it records anything, so a refusal
 * changes nothing. The rules live with the trust area (`domain/trust/trust-guard.ts`).
 */
export interface ReleaseGuard {
  /**
   * FILE_TAMPERED for any path; for all but ROLLBACK (D6): SEGMENT_DEPRECATED, and on seats of
   * protected groups SEGMENT_NOT_RELEASED (naming them) or SIGNATURE_REQUIRED.
   */
  refuseUnreleased(segment: StoredSegment, seatNames: readonly string[], kind?: OriginKind): Promise<void>;
}
