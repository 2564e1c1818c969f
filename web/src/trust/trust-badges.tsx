import { formatDate } from '../format.js';
import type { IntegrityStatus, Lifecycle } from '../generated/graphql.js';

const LIFECYCLE_TITLES: Record<Lifecycle, string> = {
  DRAFT: 'Uploaded; not yet tested on the test group',
  TESTED: 'Ran on the test group (or marked tested); may be released',
  RELEASED: 'Released: protected groups may install it',
  DEPRECATED: 'Deprecated: no new installs or rollouts',
};

/** Where the segment is in DRAFT → TESTED → RELEASED → DEPRECATED, in the API's own words. */
export function LifecycleBadge({ lifecycle }: { lifecycle: Lifecycle }) {
  return (
    <span
      class={`badge badge-lifecycle badge-${lifecycle.toLowerCase()}`}
      title={LIFECYCLE_TITLES[lifecycle]}
      data-testid="lifecycle"
    >
      {lifecycle}
    </span>
  );
}

interface IntegrityBadgeProps {
  integrity: { status: IntegrityStatus; checkedAt?: string | null; reason?: string | null };
}

/**
 * Shown only when the stored file no longer hashes to its SHA-256: seghub then blocks the segment
 * everywhere, which an operator must see at a glance. OK and UNCHECKED say nothing in a list.
 */
export function TamperedBadge({ integrity }: IntegrityBadgeProps) {
  if (integrity.status !== 'TAMPERED') return null;
  const checked = `checked ${formatDate(integrity.checkedAt)}`;
  return (
    <span
      class="badge badge-tampered"
      title={integrity.reason ? `${integrity.reason} (${checked})` : checked}
      data-testid="integrity"
    >
      TAMPERED
    </span>
  );
}
