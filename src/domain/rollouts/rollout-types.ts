import type { UpgradeOrder } from '../../records/install-schema.js';
import type {
  FailureAction,
  RolloutRecord,
  RolloutSeat,
  RolloutSeatState,
  RolloutState,
} from '../../records/rollout-schema.js';

/** What `createRollout` and `previewRollout` take (SPEC-FLEET section 2, `RolloutInput`). */
export interface RolloutInput {
  segmentId: string;
  group?: string | null;
  selector?: string | null;
  waves?: readonly WaveInput[] | null;
  maxFailurePercent?: number | null;
  minSeatsBeforeEvaluating?: number | null;
  onFailure?: FailureAction | null;
  seatTimeoutSeconds?: number | null;
  seatRetries?: number | null;
  maintenanceWindow?: MaintenanceWindowInput | null;
  upgradeOrder?: UpgradeOrder | null;
}

export interface WaveInput {
  seats?: number | null;
  percent?: number | null;
  soakSeconds?: number | null;
  requireApproval?: boolean | null;
}

export interface MaintenanceWindowInput {
  cron: string;
  durationMinutes: number;
  timeZone?: string | null;
}

/** `previewRollout`: what `createRollout` would do, without doing it. */
export interface RolloutPreview {
  /** Seats the rollout would hold (the group's or selector's seats when asked). */
  seatCount: number;
  /** Seats that already run the version: SKIPPED from the start. */
  skipped: number;
  /** The waves in order, each with its computed size (the last takes the rest). */
  waves: readonly { index: number; seatCount: number }[];
  /** When the first wave could start, given the maintenance window (now when there is none). */
  firstWindowAt?: Date;
}

export interface StoredRollout {
  readonly id: string;
  readonly record: RolloutRecord;
  readonly modRevision: number;
}

export interface RolloutFilter {
  state?: RolloutState | null;
  segmentName?: string | null;
  group?: string | null;
}

export interface RolloutPage {
  readonly items: readonly StoredRollout[];
  readonly hasNextPage: boolean;
  /** Opaque; pass as `after` for the next page. */
  readonly endCursor?: string;
}

export interface RolloutSeatPage {
  readonly items: readonly RolloutSeat[];
  readonly hasNextPage: boolean;
  readonly endCursor?: string;
  readonly totalCount: number;
}

export type { RolloutSeatState, RolloutState };
