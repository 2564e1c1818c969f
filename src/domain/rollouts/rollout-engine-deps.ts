import type { RolloutRecords } from '../../records/rollout-records.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import type { DesiredVersionService } from '../desired-versions/desired-version-service.js';
import type { FreezeGuard } from '../groups/freeze-guard.js';
import type { InstallService, SeatDirectory } from '../installs/install-service.js';
import type { SegmentService } from '../segments/segment-service.js';

/** What the rollout engine's passes work with, and what a pass says it did. */

export interface EngineDeps {
  records: RolloutRecords;
  installs: InstallService;
  segments: SegmentService;
  segmentSeats: SegmentSeats;
  seats: SeatDirectory;
  desired: DesiredVersionService;
  freezes?: FreezeGuard;
  /** Signed segments and the lifecycle (SPEC-FLEET section 3): asked before every forward step. */
  trust?: RolloutTrust;
  /** D5 `SOAK_CHECK_S`: the installed sets are re-read this often during a soak. */
  soakCheckMs: number;
  /** D5 `MAX_SEATS_IN_FLIGHT`: the most seats changing at once across every rollout and converge. */
  maxSeatsInFlight: number;
  /** `ROLLOUT_HISTORY_KEEP`: ended rollouts kept per segment name (see `pruneRollouts`). */
  historyKeep: number;
  /** How long a step waits for room in flight before looking again (`INSTALL_POLL_MS`). */
  inFlightWaitMs: number;
  now: () => Date;
}

/** What a pass did: `againInMs` undefined means "when the head changes". */
export interface PassOutcome {
  readonly action: string;
  readonly againInMs?: number;
}

/** Why a segment may not go to some seats now (SPEC-FLEET section 3), as the rollout engine needs it. */
export interface RolloutTrust {
  /**
   * `fatal`: the segment goes nowhere any more (its file was found tampered: the rollout FAILS, D5);
   * otherwise the rollout pauses until the problem is mended (deprecated, a protected group's
   * policy no longer met).
   */
  problem(segment: StoredSegment, seatNames: readonly string[]): Promise<TrustProblem | undefined>;
}

export interface TrustProblem {
  readonly reason: string;
  readonly fatal: boolean;
}
