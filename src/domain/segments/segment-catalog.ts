import { SegmentNotFoundError } from '../../model/errors.js';
import { compareVersions, parseSegmentId } from '../../model/segment-identity.js';
import type { SdpTarget, SegmentFormat } from '../../model/targets.js';
import type { SegmentCache, SegmentView } from '../../records/segment-cache.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { DeleteStatus, SyncStatus } from '../../records/segment-schema.js';
import { firstIndex } from '../../util/sorted-list.js';
import { pageSize } from '../page-size.js';

export interface SegmentFilter {
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  format?: SegmentFormat;
  target?: SdpTarget;
  syncStatus?: SyncStatus;
  isLocal?: boolean;
  /** On at least one seat (true) or on none (false). */
  installed?: boolean;
  deleteStatus?: DeleteStatus;
}

/** A position in list order: the name and version of the last segment a client saw. */
export interface SegmentPosition {
  name: string;
  version: string;
}

export interface SegmentPage {
  segments: StoredSegment[];
  hasNextPage: boolean;
  /** Segments matching the filter, on every page. */
  totalCount: number;
}

/**
 * List order: by name, then newest version first. Total, so that a position between two pages
 * stays put while segments come and go.
 */
export function segmentListOrder(a: StoredSegment, b: StoredSegment): number {
  return comparePosition(a, b.record);
}

function comparePosition({ record }: StoredSegment, position: SegmentPosition): number {
  return (
    compareStrings(record.name, position.name) ||
    compareVersions(position.version, record.version) ||
    compareStrings(record.version, position.version)
  );
}

/**
 * The read side of segments for clients: pages, filters, versions and seat lists, served from the
 * in-memory cache.
 */
export class SegmentCatalog {
  /**
   * The segments matching recent filters, in list order, while the cache has not changed since:
   * a dashboard paging or polling a filtered list scans 100,000 records once, not per request.
   */
  private readonly filtered = new Map<string, { generation: number; segments: readonly StoredSegment[] }>();

  constructor(private readonly cache: SegmentCache) {}

  /**
   * Reads that share one read barrier, taken at the first of them: each sees at least what the
   * caller had written before it asked. One per request.
   */
  reader(signal?: AbortSignal): CatalogReader {
    return new CatalogReader(this.cache, this, signal);
  }

  /** Whether any record names this file (a deletion's last question before removing it). */
  async fileInUse(sha256: string): Promise<boolean> {
    return (await this.cache.fresh()).usesFile(sha256);
  }

  /** Every file some record names, by SHA-256. */
  async filesInUse(): Promise<Set<string>> {
    return new Set((await this.cache.fresh()).files());
  }

  /** Every segment, in list order. */
  async all(): Promise<StoredSegment[]> {
    return [...(await this.cache.fresh()).segments];
  }

  /** The segments of `view` matching `filter`, in list order; read synchronously. */
  matching(view: SegmentView, filter: SegmentFilter): readonly StoredSegment[] {
    const key = filterKey(filter);
    if (key === undefined) return view.segments;
    const memo = this.filtered.get(key);
    this.filtered.delete(key);
    const segments =
      memo?.generation === view.generation ? memo.segments : view.segments.filter(matcher(filter, view));
    this.filtered.set(key, { generation: view.generation, segments });
    if (this.filtered.size > FILTER_MEMO_SIZE) this.filtered.delete(this.filtered.keys().next().value!);
    return segments;
  }
}

const FILTER_MEMO_SIZE = 64;

export class CatalogReader {
  private barrier: Promise<unknown> | undefined;

  constructor(
    private readonly cache: SegmentCache,
    private readonly catalog: SegmentCatalog,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async page({
    first,
    after,
    filter = {},
  }: {
    first?: number;
    after?: SegmentPosition;
    filter?: SegmentFilter;
  }): Promise<SegmentPage> {
    const size = pageSize(first);
    const view = await this.view();
    const matching = this.catalog.matching(view, filter);
    const start = after ? firstIndex(matching, (s) => comparePosition(s, after) > 0) : 0;
    return {
      segments: matching.slice(start, start + size),
      hasNextPage: start + size < matching.length,
      totalCount: matching.length,
    };
  }

  /** Every version of the segment's name, newest first; SEGMENT_NOT_FOUND when `id` is not one. */
  async versions(id: string): Promise<StoredSegment[]> {
    const parsed = parseSegmentId(id);
    if (!parsed) throw new SegmentNotFoundError(id);
    const view = await this.view();
    if (!view.get(id)) throw new SegmentNotFoundError(id);
    return versionsOf(view, parsed.name);
  }

  /** The seats each segment is installed on, in the order of `ids` (empty for unknown ids). */
  async seatLists(ids: readonly string[]): Promise<(readonly string[])[]> {
    const view = await this.view();
    return ids.map((id) => view.seatsOf(id));
  }

  /** The segments installed on each seat (by its seat lists), in the order of `seatNames`. */
  async segmentsOnSeats(seatNames: readonly string[]): Promise<StoredSegment[][]> {
    const view = await this.view();
    return seatNames.map((seat) =>
      [...view.segmentsOnSeat(seat)].flatMap((id) => view.get(id) ?? []).sort(segmentListOrder),
    );
  }

  private async view(): Promise<SegmentView> {
    this.barrier ??= this.cache.fresh(this.signal);
    await this.barrier;
    return this.cache.current();
  }
}

function versionsOf(view: SegmentView, name: string): StoredSegment[] {
  const out: StoredSegment[] = [];
  for (let i = firstIndex(view.segments, (s) => s.record.name >= name); i < view.segments.length; i++) {
    const segment = view.segments[i]!;
    if (segment.record.name !== name) break;
    out.push(segment);
  }
  return out;
}

type Matcher = (segment: StoredSegment) => boolean;

function matcher(filter: SegmentFilter, view: SegmentView): Matcher {
  // Names are lower case (see `segment-identity.ts`): only the needle needs folding.
  const needle = filter.nameContains?.toLowerCase();
  const checks: Matcher[] = [];
  if (needle) checks.push((s) => s.record.name.includes(needle));
  if (filter.format) checks.push((s) => s.record.format === filter.format);
  if (filter.target) checks.push((s) => s.record.target === filter.target);
  if (filter.syncStatus) checks.push((s) => s.record.sync.status === filter.syncStatus);
  if (filter.deleteStatus) checks.push((s) => s.record.deleteStatus === filter.deleteStatus);
  if (filter.isLocal !== undefined) checks.push((s) => s.record.isLocal === filter.isLocal);
  if (filter.installed !== undefined) {
    checks.push((s) => view.seatsOf(s.id).length > 0 === filter.installed);
  }
  return (segment) => checks.every((check) => check(segment));
}

/** A stable key for a filter; undefined for one that matches everything. */
function filterKey(filter: SegmentFilter): string | undefined {
  const set = Object.entries(filter).filter(([, value]) => value !== undefined && value !== '');
  return set.length === 0 ? undefined : JSON.stringify(set.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
