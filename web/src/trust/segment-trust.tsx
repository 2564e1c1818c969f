import { useState } from 'preact/hooks';
import { formatDate } from '../format.js';
import type { SegmentTrustViewFieldsFragment } from '../generated/graphql.js';
import { LifecycleActions } from './lifecycle-actions.js';
import { PromotionChecklist } from './promotion-checklist.js';
import { SignatureList } from './signature-list.js';
import { LifecycleBadge, TamperedBadge } from './trust-badges.js';

interface SegmentTrustProps {
  segment: SegmentTrustViewFieldsFragment;
  /** The segment changed here: the page reads it again. */
  onChanged(): void;
}

/** A segment's place in the release lifecycle: badges, the promotion checklist, signatures, the moves. */
export function SegmentTrust({ segment, onChanged }: SegmentTrustProps) {
  // A mutation's answer is shown at once, until the page's next read of the segment replaces it.
  const [answer, setAnswer] = useState<{
    of: SegmentTrustViewFieldsFragment;
    next: SegmentTrustViewFieldsFragment;
  }>();
  const shown = answer?.of === segment ? answer.next : segment;
  const { integrity } = shown;

  return (
    <section class="segment-trust" aria-label="Release lifecycle">
      <dl class="facts">
        <dt>Lifecycle</dt>
        <dd>
          <LifecycleBadge lifecycle={shown.lifecycle} />
          <TamperedBadge integrity={integrity} />
          {shown.releasedAt && (
            <div class="muted">
              released {formatDate(shown.releasedAt)} by {shown.releasedBy ?? '—'}
              {shown.releaseNote && `: ${shown.releaseNote}`}
            </div>
          )}
          {shown.deprecatedReason && <div class="muted">deprecated: {shown.deprecatedReason}</div>}
        </dd>
        <dt>File check</dt>
        <dd>
          {integrity.status === 'UNCHECKED'
            ? 'not checked yet'
            : `${integrity.status} ${formatDate(integrity.checkedAt)}`}
          {integrity.reason && <div class="trust-error">{integrity.reason}</div>}
        </dd>
      </dl>
      <PromotionChecklist promotion={shown.promotion} />
      <SignatureList status={shown.signatureStatus} signatures={shown.signatures} />
      <LifecycleActions
        segment={shown}
        onAnswer={(next) => {
          setAnswer({ of: segment, next });
          onChanged();
        }}
      />
    </section>
  );
}
