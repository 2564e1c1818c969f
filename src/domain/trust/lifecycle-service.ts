import {
  InvalidInputError,
  SegmentDeletingError,
  SegmentDeprecatedError,
  SegmentNotFoundError,
  SegmentNotTestedError,
  SignatureRequiredError,
} from '../../model/errors.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import type { Lifecycle } from '../../records/segment-trust-schema.js';
import type { SegmentService, WriteGuard } from '../segments/segment-service.js';
import type { JudgeSignatures } from './trust-guard.js';
import { lifecycleOf, type PromotionView } from './trust-types.js';

/** Reasons and notes are for people; a bound keeps one from filling the record. */
export const MAX_LIFECYCLE_NOTE_LENGTH = 500;

export interface LifecycleServiceOptions {
  segments: SegmentService;
  /** Where the promotion gate stands: release refuses a DRAFT segment with its reasons. */
  promotionView: (record: SegmentRecord) => PromotionView;
  /** Re-hashes the stored file and records the result; FILE_TAMPERED when it changed (D11). */
  checkFile: (segment: StoredSegment) => Promise<StoredSegment>;
  judge: JudgeSignatures;
  /** The seats each segment is installed on, for the migration (D9). */
  installedSeats: () => Promise<Map<string, readonly string[]>>;
  now?: () => Date;
}

/**
 * The release lifecycle (SPEC-FLEET section 3): DRAFT → TESTED → RELEASED → DEPRECATED. TESTED
 * comes by itself from the promotion gate or from an admin; RELEASED only from TESTED, with the
 * stored file hashing right and the signatures meeting the policy; DEPRECATED from any state.
 */
export class LifecycleService {
  private readonly now: () => Date;

  constructor(private readonly options: LifecycleServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** An admin vouches for a DRAFT segment (audited by the caller). TESTED or RELEASED already: unchanged. */
  markTested(id: string, reason: string, by: string): Promise<StoredSegment> {
    const note = checkNote(reason, 'reason', true);
    return this.options.segments.modify(id, (current) => {
      const lifecycle = usable(current);
      if (lifecycle !== 'DRAFT') return undefined;
      return { ...current.record, lifecycle: 'TESTED', tested: this.transition(by, note) };
    });
  }

  /**
   * TESTED → RELEASED. Checked in this order: DEPRECATED, not TESTED (with the gate's reasons), the
   * stored file (re-hashed now), the signature policy. RELEASED already: unchanged.
   */
  async release(id: string, note: string | undefined, by: string): Promise<StoredSegment> {
    const text = note === undefined ? undefined : checkNote(note, 'note', false);
    const segment = await this.options.segments.get(id);
    if (!segment) throw new SegmentNotFoundError(id);
    if (this.refuseRelease(segment) === 'RELEASED') return segment;
    const checked = await this.options.checkFile(segment);
    const judgement = await this.options.judge(checked);
    if (!judgement.meetsPolicy) throw new SignatureRequiredError(id, judgement.required, judgement.validKeys);
    return this.options.segments.modify(
      id,
      (current) => {
        // Decided on what was read; a change in between (deprecated, re-uploaded) is judged again.
        if (
          current.record.instanceId !== checked.record.instanceId ||
          this.refuseRelease(current) === 'RELEASED'
        )
          return undefined;
        const released = this.transition(by, text);
        return { ...current.record, lifecycle: 'RELEASED', released };
      },
      [],
      checked,
    );
  }

  /** Any state → DEPRECATED: no new installs or rollouts; what runs stays. DEPRECATED already: unchanged. */
  deprecate(id: string, reason: string, by: string): Promise<StoredSegment> {
    const note = checkNote(reason, 'reason', true);
    return this.options.segments.modify(id, (current) => {
      if (current.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(id);
      if (lifecycleOf(current.record) === 'DEPRECATED') return undefined;
      return { ...current.record, lifecycle: 'DEPRECATED', deprecated: this.transition(by, note) };
    });
  }

  /**
   * D9, once per record: a segment stored before lifecycles existed becomes RELEASED (by
   * "migration") when it is installed on any seat, else DRAFT. Run by the leader at the start of
   * its term; records that have a lifecycle are left alone, so it is idempotent.
   */
  async migrate(guard: WriteGuard): Promise<number> {
    const pending = (await this.options.segments.all()).filter((s) => s.record.lifecycle === undefined);
    if (pending.length === 0) return 0;
    const installed = await this.options.installedSeats();
    let migrated = 0;
    for (const segment of pending) {
      const inUse = (installed.get(segment.id)?.length ?? 0) > 0;
      const written = await this.options.segments.modify(
        segment.id,
        (current) => {
          if (current.record.lifecycle !== undefined) return undefined;
          if (!inUse) return { ...current.record, lifecycle: 'DRAFT' };
          return { ...current.record, lifecycle: 'RELEASED', released: this.transition('migration') };
        },
        guard,
        segment,
      );
      if (written.modRevision !== segment.modRevision) migrated++;
    }
    return migrated;
  }

  /** Why `segment` may not be released; 'RELEASED' when it already is (nothing to do). */
  private refuseRelease(segment: StoredSegment): Lifecycle {
    const lifecycle = usable(segment);
    if (lifecycle === 'DRAFT')
      throw new SegmentNotTestedError(segment.id, this.options.promotionView(segment.record).reasons);
    return lifecycle;
  }

  private transition(by: string, note?: string) {
    return { at: this.now().toISOString(), by, ...(note === undefined ? {} : { note }) };
  }
}

/** The segment's lifecycle, refusing one being deleted or DEPRECATED (no way back from either). */
function usable(segment: StoredSegment): Lifecycle {
  if (segment.record.deleteStatus !== 'NONE') throw new SegmentDeletingError(segment.id);
  const lifecycle = lifecycleOf(segment.record);
  if (lifecycle === 'DEPRECATED')
    throw new SegmentDeprecatedError(segment.id, segment.record.deprecated?.note ?? 'deprecated');
  return lifecycle;
}

function checkNote(text: string, field: string, required: boolean): string {
  const trimmed = text.trim();
  if (required && trimmed.length === 0) throw new InvalidInputError(`a ${field} is required`, field);
  if (trimmed.length > MAX_LIFECYCLE_NOTE_LENGTH)
    throw new InvalidInputError(`a ${field} has at most ${MAX_LIFECYCLE_NOTE_LENGTH} characters`, field);
  return trimmed;
}
