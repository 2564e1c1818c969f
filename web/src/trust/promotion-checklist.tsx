import { formatDate } from '../format.js';
import type { SegmentTrustViewFieldsFragment } from '../generated/graphql.js';

type Promotion = SegmentTrustViewFieldsFragment['promotion'];

/**
 * The tested-before-production gate explaining itself: whether the segment counts as tested, on
 * which test seats it runs, and each reason (what is still missing, or how it became TESTED).
 */
export function PromotionChecklist({ promotion }: { promotion: Promotion }) {
  return (
    <section class="trust-block" aria-labelledby="promotion-title">
      <h3 id="promotion-title">Promotion</h3>
      <ul class="checklist" aria-label="Promotion checklist">
        <li class={promotion.tested ? 'check-done' : 'check-open'}>
          {promotion.tested ? `Tested ${formatDate(promotion.testedAt)}` : 'Not tested yet'}
        </li>
        <li class={promotion.testSeats.length > 0 ? 'check-done' : 'check-open'}>
          {promotion.testSeats.length > 0
            ? `Runs on test seats: ${promotion.testSeats.join(', ')}`
            : 'Runs on no test seat'}
        </li>
      </ul>
      {promotion.reasons.length > 0 && (
        <ul class="reasons" aria-label="Promotion reasons">
          {promotion.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
