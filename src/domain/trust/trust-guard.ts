import {
  FileTamperedError,
  SegmentDeprecatedError,
  SegmentNotReleasedError,
  SignatureRequiredError,
} from '../../model/errors.js';
import type { OriginKind } from '../../records/install-schema.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { GroupService } from '../groups/group-service.js';
import type { ReleaseGuard } from '../groups/release-guard.js';
import { lifecycleOf, type SignatureJudgement } from './trust-types.js';

/** Judges a segment's signatures against the keyring and SIGNATURES_REQUIRED. */
export type JudgeSignatures = (segment: StoredSegment) => Promise<SignatureJudgement>;

/**
 * The one place that says whether a segment may go onto seats (SPEC-FLEET section 3, D6, D11):
 * a tampered file goes nowhere; a DEPRECATED segment takes no new seats; seats of protected groups
 * take only RELEASED segments whose signatures meet the policy. A rollback skips all but the
 * tamper check: putting back what ran before must not wait for a release.
 */
export class TrustGuard implements ReleaseGuard {
  constructor(
    private readonly groups: GroupService,
    private readonly judge: JudgeSignatures,
  ) {}

  async refuseUnreleased(
    segment: StoredSegment,
    seatNames: readonly string[],
    kind: OriginKind = 'MANUAL',
  ): Promise<void> {
    if (seatNames.length === 0) return;
    refuseTampered(segment);
    if (kind === 'ROLLBACK') return;
    const { record } = segment;
    if (lifecycleOf(record) === 'DEPRECATED')
      throw new SegmentDeprecatedError(segment.id, record.deprecated?.note ?? 'deprecated');
    const problem = await this.protectedProblem(segment, seatNames);
    if (problem) throw problem;
  }

  /**
   * The rollout engine's question before each forward step (`RolloutTrust`): a tampered file ends
   * the rollout; a deprecation or a protected group's unmet policy pauses it with the reason.
   */
  async problem(
    segment: StoredSegment,
    seatNames: readonly string[],
  ): Promise<{ reason: string; fatal: boolean } | undefined> {
    if (seatNames.length === 0) return undefined;
    const tampered = tamperedReason(segment);
    if (tampered !== undefined)
      return { reason: new FileTamperedError(segment.id, tampered).message, fatal: true };
    const { record } = segment;
    if (lifecycleOf(record) === 'DEPRECATED')
      return {
        reason: new SegmentDeprecatedError(segment.id, record.deprecated?.note ?? '').message,
        fatal: false,
      };
    const problem = await this.protectedProblem(segment, seatNames);
    return problem && { reason: problem.message, fatal: false };
  }

  /**
   * Why seats of protected groups among `seatNames` may not get the segment now, if they may not:
   * SEGMENT_NOT_RELEASED naming them, or SIGNATURE_REQUIRED once signatures fell below the policy
   * (a key revoked). The rollout engine asks this before every step, so a running rollout pauses.
   */
  async protectedProblem(
    segment: StoredSegment,
    seatNames: readonly string[],
  ): Promise<SegmentNotReleasedError | SignatureRequiredError | undefined> {
    const held = await this.protectedSeats(seatNames);
    if (held.seats.length === 0) return undefined;
    if (lifecycleOf(segment.record) !== 'RELEASED')
      return new SegmentNotReleasedError(segment.id, held.seats, held.groups);
    const judgement = await this.judge(segment);
    if (!judgement.meetsPolicy)
      return new SignatureRequiredError(segment.id, judgement.required, judgement.validKeys);
    return undefined;
  }

  private async protectedSeats(seatNames: readonly string[]): Promise<{ seats: string[]; groups: string[] }> {
    const view = await this.groups.view();
    const guarded = [...view.groups.values()].filter((group) => group.protected);
    const seats: string[] = [];
    const groups = new Set<string>();
    if (guarded.length === 0) return { seats, groups: [] };
    for (const seat of seatNames) {
      const holding = guarded.filter((group) => view.seats.matches(seat, this.groups.selectorOf(group)));
      if (holding.length === 0) continue;
      seats.push(seat);
      for (const group of holding) groups.add(group.name);
    }
    return { seats: seats.sort(), groups: [...groups].sort() };
  }
}

/** Why the segment's stored file is blocked (D11: found changed), or undefined when it is not. */
export function tamperedReason(segment: StoredSegment): string | undefined {
  const integrity = segment.record.integrity;
  if (integrity?.status !== 'TAMPERED') return undefined;
  return integrity.reason ?? `found changed at ${integrity.checkedAt}`;
}

/** D11: a file found changed is blocked everywhere until `verifySegmentFile` finds it right again. */
export function refuseTampered(segment: StoredSegment): void {
  const reason = tamperedReason(segment);
  if (reason !== undefined) throw new FileTamperedError(segment.id, reason);
}
