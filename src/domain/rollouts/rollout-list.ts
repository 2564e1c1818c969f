import type { RolloutRecords } from '../../records/rollout-records.js';
import type { RolloutRecord } from '../../records/rollout-schema.js';
import type { RolloutFilter, RolloutPage, StoredRollout } from './rollout-types.js';

/**
 * `rollouts`: pages in creation order, oldest first (ranges of heads), or newest first (the ids,
 * keys only and bounded by ROLLOUT_HISTORY_KEEP per name, walked backwards). `after` is a rollout id.
 */
export async function listRollouts(
  records: RolloutRecords,
  size: number,
  after: string | undefined,
  filter: RolloutFilter,
  newestFirst: boolean,
): Promise<RolloutPage> {
  if (newestFirst) return listNewestFirst(records, size, after, filter);
  const items: StoredRollout[] = [];
  let cursor = after;
  for (;;) {
    const page = await records.page(Math.max(size + 1, 100), cursor);
    for (const item of page.items) {
      cursor = item.id;
      if (!matches(item.record, filter)) continue;
      if (items.length === size) return { items, hasNextPage: true, endCursor: items.at(-1)?.id };
      items.push(item);
    }
    if (!page.more) return { items, hasNextPage: false, endCursor: items.at(-1)?.id };
  }
}

async function listNewestFirst(
  records: RolloutRecords,
  size: number,
  after: string | undefined,
  filter: RolloutFilter,
): Promise<RolloutPage> {
  const ids = (await records.ids()).reverse();
  const start = after === undefined ? 0 : ids.findIndex((id) => id < after);
  const items: StoredRollout[] = [];
  for (const id of start < 0 ? [] : ids.slice(start)) {
    const stored = await records.get(id);
    if (!stored || !matches(stored.record, filter)) continue;
    if (items.length === size) return { items, hasNextPage: true, endCursor: items.at(-1)?.id };
    items.push(stored);
  }
  return { items, hasNextPage: false, endCursor: items.at(-1)?.id };
}

function matches(record: RolloutRecord, filter: RolloutFilter): boolean {
  if (filter.state && record.state !== filter.state) return false;
  if (filter.segmentName && record.name !== filter.segmentName) return false;
  if (filter.group && record.group !== filter.group) return false;
  return true;
}
