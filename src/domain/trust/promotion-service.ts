import { SegmentNotFoundError } from '../../model/errors.js';
import type { StoredInstall } from '../../records/install-records.js';
import { isFinalInstallStatus } from '../../records/install-schema.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import type { GroupService } from '../groups/group-service.js';
import type { InstallService } from '../installs/install-service.js';
import type { SegmentService, WriteGuard } from '../segments/segment-service.js';
import {
  judgePromotion,
  NOTHING_SEEN,
  type PromotionSettings,
  promotionReasons,
  type TestSeatFailure,
} from './promotion-judgement.js';
import { lifecycleOf, type PromotionView } from './trust-types.js';

export interface PromotionServiceOptions {
  segments: SegmentService;
  /** The test group's members (a read barrier first). */
  groups: Pick<GroupService, 'view' | 'membersIn'>;
  /** A segment's install records with their per-seat results (the install log). */
  installs: Pick<InstallService, 'forSegment' | 'readLog'>;
  /** The seats a segment is installed on now (its seat list). */
  seatsOf: (segmentId: string) => Promise<readonly string[]>;
  config: PromotionSettings;
  now?: () => Date;
}

/** What one judgement of a segment came to. */
export interface PromotionOutcome {
  readonly action: 'skipped' | 'waiting' | 'tested';
  /** Whether the segment record was written. */
  readonly wrote: boolean;
  /** When to judge it again by itself (the soak's end); absent: only when something changes. */
  readonly againInMs?: number;
}

/**
 * The promotion gate (SPEC-FLEET section 3): a DRAFT segment becomes TESTED by itself once it has
 * run on at least PROMOTION_MIN_SEATS seats of PROMOTION_TEST_GROUP for PROMOTION_SOAK_MINUTES with
 * no failed install of it there (any origin: a manual install, a rollout wave, converge, a
 * rollback). The leader's promotion reconciler calls `judge`; `Segment.promotion` is `view`.
 */
export class PromotionService {
  private readonly now: () => Date;

  constructor(private readonly options: PromotionServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** PROMOTION_TEST_GROUP: the reconciler looks again when its membership changes. */
  get testGroup(): string {
    return this.options.config.testGroup;
  }

  /**
   * Judges one segment from what runs and failed on the test group now; writes its `promotion`
   * state when that changed, and `lifecycle: TESTED` when the soak is over. Only DRAFT segments
   * that are not being deleted are judged.
   */
  async judge(segmentId: string, guard: WriteGuard = []): Promise<PromotionOutcome> {
    const { segments, groups, config } = this.options;
    const segment = await segments.get(segmentId);
    if (!segment || !judged(segment.record)) return { action: 'skipped', wrote: false };
    const members = groups.membersIn(await groups.view(), config.testGroup);
    const testSeats = new Set(members ?? []);
    const installed = await this.options.seatsOf(segmentId);
    // Most segments never reach a test seat: with nothing seen before and nothing running there,
    // their install records (and logs) need not be read at every resync.
    if (!segment.record.promotion && members && !installed.some((seat) => testSeats.has(seat)))
      return { action: 'waiting', wrote: false };
    const failures = await this.failuresOn(segmentId, testSeats);
    const now = this.now();
    const judgement = judgePromotion(
      {
        state: segment.record.promotion,
        running: members && installed.filter((seat) => testSeats.has(seat)),
        failures,
        now,
      },
      config,
    );
    const againInMs = judgement.soakEndsAt && Math.max(0, judgement.soakEndsAt.getTime() - now.getTime());
    const outcome = {
      action: judgement.tested ? ('tested' as const) : ('waiting' as const),
      ...(againInMs === undefined ? {} : { againInMs }),
    };
    if (!judgement.changed && !judgement.tested) return { ...outcome, wrote: false };
    let wrote = false;
    const tested = { at: now.toISOString(), by: 'promotion', note: judgement.reasons.join('; ') };
    try {
      await segments.modify(
        segmentId,
        (current) => {
          // Someone marked it (or started deleting it) meanwhile: their word stands.
          wrote = judged(current.record);
          if (!wrote) return undefined;
          return {
            ...current.record,
            promotion: judgement.state,
            ...(judgement.tested ? { lifecycle: 'TESTED' as const, tested } : {}),
          };
        },
        guard,
        segment,
      );
    } catch (error) {
      if (error instanceof SegmentNotFoundError) return { action: 'skipped', wrote: false };
      throw error;
    }
    return { ...outcome, wrote };
  }

  /** `Segment.promotion`: where the gate stands for this record, in words, at `now`. */
  view(
    record: Pick<SegmentRecord, 'lifecycle' | 'tested' | 'released' | 'deprecated' | 'promotion'>,
    now: Date = this.now(),
  ): PromotionView {
    const lifecycle = lifecycleOf(record);
    const { tested, released, deprecated } = record;
    const testSeats = record.promotion?.testSeats ?? [];
    const base = { testSeats, ...(tested ? { testedAt: tested.at } : {}) };
    if (lifecycle === 'DRAFT') {
      const reasons = promotionReasons(record.promotion ?? NOTHING_SEEN, this.options.config, now);
      return { ...base, tested: false, reasons };
    }
    if (tested) {
      const why =
        tested.by === 'promotion'
          ? (tested.note ?? `marked TESTED by the promotion gate at ${tested.at}`)
          : `marked tested by ${tested.by} at ${tested.at}${tested.note ? `: ${tested.note}` : ''}`;
      return { ...base, tested: true, reasons: [why] };
    }
    if (released) {
      const before = released.by === 'migration' ? ' (it ran on seats before lifecycles existed)' : '';
      return { ...base, tested: true, reasons: [`released by ${released.by} at ${released.at}${before}`] };
    }
    const note = deprecated?.note ? `: ${deprecated.note}` : '';
    const who = deprecated ? ` by ${deprecated.by} at ${deprecated.at}` : '';
    return { ...base, tested: false, reasons: [`deprecated${who} before it was tested${note}`] };
  }

  /**
   * Every install record of the segment with failed test seats: how many, the first of them, and
   * when (its end; for a record still running, its log's last change).
   */
  private async failuresOn(segmentId: string, testSeats: ReadonlySet<string>): Promise<TestSeatFailure[]> {
    if (testSeats.size === 0) return [];
    const out: TestSeatFailure[] = [];
    for (const stored of await this.options.installs.forSegment(segmentId)) {
      const failure = await this.failureIn(stored, testSeats);
      if (failure) out.push(failure);
    }
    return out;
  }

  private async failureIn(
    stored: StoredInstall,
    testSeats: ReadonlySet<string>,
  ): Promise<TestSeatFailure | undefined> {
    const { record } = stored;
    // The log's seat order starts with the install seats: index i is installSeats[i].
    const indexes = record.installSeats.flatMap((seat, i) => (testSeats.has(seat) ? [i] : []));
    if (indexes.length === 0 || record.status === 'PENDING') return undefined;
    const read = await this.options.installs.readLog(stored.id);
    if (!read || read.log.summary.failed === 0) return undefined;
    const failed = indexes.filter((i) => read.log.seat(i).state === 'FAILED');
    const first = failed[0];
    if (first === undefined) return undefined;
    const { summary } = read.log;
    const ended = isFinalInstallStatus(record.status);
    return {
      installId: stored.id,
      failed: failed.length,
      seat: record.installSeats[first] as string,
      error: read.log.seat(first).error ?? record.error ?? 'failed',
      at: (ended ? (record.finishedAt ?? summary.finishedAt) : undefined) ?? summary.updatedAt,
    };
  }
}

/** Whether the gate still has a say: DRAFT, and not on its way out. */
function judged(record: SegmentRecord): boolean {
  return lifecycleOf(record) === 'DRAFT' && record.deleteStatus === 'NONE';
}
