import {
  ApprovalNotAllowedError,
  InvalidInputError,
  NoMatchingSeatsError,
  SegmentDeletingError,
  SegmentNotFoundError,
  SegmentNotSyncedError,
} from '../../model/errors.js';
import { OPEN_MODE_PRINCIPAL, type Principal } from '../../model/principal.js';
import type { RolloutPolicy, RolloutSeat, RolloutWave } from '../../records/rollout-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import type { FreezeGuard } from '../groups/freeze-guard.js';
import type { GroupService } from '../groups/group-service.js';
import type { ReleaseGuard } from '../groups/release-guard.js';
import type { SegmentService } from '../segments/segment-service.js';
import type { RolloutInput } from './rollout-types.js';
import { validatePolicy } from './seat-judgement.js';
import { planWaves } from './wave-plan.js';

/**
 * What a rollout would be, decided from the input and the store as they are: the seats (fixed now,
 * D5), the waves over the seats that need the version, the policy. `previewRollout` shows it;
 * `createRollout` records it. Refusals come before anything is written.
 */

export interface PlanDeps {
  segments: SegmentService;
  segmentSeats: SegmentSeats;
  groups: GroupService;
  releaseGuard?: ReleaseGuard;
  freezes?: FreezeGuard;
  /** ROLLOUT_SELF_APPROVAL: the creator may approve its own waves. */
  selfApproval: boolean;
  defaults: { seatTimeoutSeconds: number; retryBaseSeconds: number };
  now: () => Date;
}

export interface RolloutPlan {
  segment: StoredSegment;
  /** Read with the segment: the create compares it. */
  segmentSeatsRevision: number;
  policy: RolloutPolicy;
  waves: RolloutWave[];
  /** Seats in wave order, then the seats that run the version already (SKIPPED, no wave). */
  seats: RolloutSeat[];
  skipped: number;
}

export async function planRollout(deps: PlanDeps, input: RolloutInput, by?: Principal): Promise<RolloutPlan> {
  const policy = validatePolicy(input, deps.defaults, deps.now());
  const segment = await deps.segments.get(input.segmentId);
  if (!segment) throw new SegmentNotFoundError(input.segmentId);
  if (segment.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(input.segmentId);
  if (segment.record.sync.status !== 'SYNCED') {
    throw new SegmentNotSyncedError(input.segmentId, segment.record.sync.status);
  }
  const targetSeats = await seatsOf(deps, input);
  // D8: a rollout to a frozen group, or to seats of one, is refused.
  await deps.freezes?.refuseFrozen(targetSeats);
  const running = await deps.segmentSeats.get(segment.id);
  const has = new Set(running.seats);
  const toChange = targetSeats.filter((seat) => !has.has(seat)).sort();
  const already = targetSeats.filter((seat) => has.has(seat)).sort();
  if (toChange.length === 0) {
    throw new InvalidInputError(`every selected seat already runs ${segment.id}`, 'segmentId');
  }
  const planned = planWaves(input.waves, toChange.length);
  if (by && planned.some((wave) => wave.requireApproval)) refuseUnapprovable(deps, by);
  await deps.releaseGuard?.refuseUnreleased(segment, toChange);
  const waves: RolloutWave[] = planned.map((wave) => ({
    ...wave,
    state: 'PENDING',
    succeeded: 0,
    failed: 0,
    acceptedFailed: 0,
  }));
  const seats: RolloutSeat[] = [];
  planned.forEach((wave, index) => {
    for (let i = wave.from; i < wave.to; i++) {
      seats.push({
        seat: toChange[i] as string,
        wave: index,
        state: 'PENDING',
        fromVersions: [],
        attempts: 0,
      });
    }
  });
  for (const seat of already) {
    seats.push({ seat, wave: null, state: 'SKIPPED', fromVersions: [], attempts: 0 });
  }
  return {
    segment,
    segmentSeatsRevision: running.modRevision,
    policy,
    waves,
    seats,
    skipped: already.length,
  };
}

async function seatsOf(deps: PlanDeps, input: RolloutInput): Promise<string[]> {
  const { group, selector } = input;
  if ((group == null) === (selector == null)) {
    throw new InvalidInputError(
      'give exactly one of group and selector',
      group == null ? 'group' : 'selector',
    );
  }
  const seats =
    group != null ? await deps.groups.membersOf(group) : await deps.groups.seatsMatching(selector as string);
  if (seats.length === 0)
    throw new NoMatchingSeatsError(group != null ? `group ${group}` : `selector ${selector}`);
  return [...seats];
}

/** D7: in open mode nobody but the creator exists to approve, so waves that need approval are refused. */
function refuseUnapprovable(deps: PlanDeps, by: Principal): void {
  if (by.id === OPEN_MODE_PRINCIPAL.id && !deps.selfApproval) {
    throw new ApprovalNotAllowedError(
      'waves that require approval need another principal to approve them; in open mode there is ' +
        'none (set ROLLOUT_SELF_APPROVAL=true to let the creator approve)',
    );
  }
}
