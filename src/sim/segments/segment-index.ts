import { z } from 'zod';
import type { Segment, SegmentFormat } from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { nameVersionKey } from './segment-rules.js';

/** A segment with its place in creation order. */
export interface IndexedSegment {
  readonly seq: number;
  readonly segment: Segment;
}

/**
 * What an idempotency key answered. The segment is a copy of the first answer, so a replay still
 * returns it after the segment was deleted, as the contract says ("returns the first answer").
 */
export interface KeyRecord {
  readonly fingerprint: string;
  readonly time: number;
  readonly segment: Segment;
}

export interface IndexPage {
  segments: Segment[];
  /** The seq to resume after, when more matching segments follow. */
  resumeAfter: number | undefined;
}

const FORMAT_VERSION = 1;

const segmentJson = z.object({
  uid: z.string().min(1),
  name: z.string(),
  version: z.string(),
  format: z.number().int(),
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  createTime: z.iso.datetime(),
  updateTime: z.iso.datetime(),
});

const indexJson = z.object({
  version: z.literal(FORMAT_VERSION),
  format: z.number().int(),
  nextSeq: z.number().int().positive(),
  segments: z.array(z.object({ seq: z.number().int().positive(), segment: segmentJson })),
  keys: z.array(
    z.object({ key: z.string(), fingerprint: z.string(), time: z.number(), segment: segmentJson }),
  ),
});

type SegmentJson = z.infer<typeof segmentJson>;
export type IndexJson = z.infer<typeof indexJson>;

/**
 * The simulator's record of segments and idempotency keys, in memory. Maps, not plain objects:
 * a caller's key may well be `__proto__`.
 */
export class SegmentIndex {
  private readonly ordered: IndexedSegment[] = [];
  private readonly byUid = new Map<string, IndexedSegment>();
  private readonly byNameVersion = new Map<string, string>();
  private readonly keys = new Map<string, KeyRecord>();
  private nextSeq = 1;

  constructor(readonly format: SegmentFormat) {}

  get segmentCount(): number {
    return this.ordered.length;
  }

  get(uid: string): Segment | undefined {
    return this.byUid.get(uid)?.segment;
  }

  uidOf(name: string, version: string): string | undefined {
    return this.byNameVersion.get(nameVersionKey(name, version));
  }

  keyRecord(key: string): KeyRecord | undefined {
    return this.keys.get(key);
  }

  all(): Segment[] {
    return this.ordered.map((entry) => entry.segment);
  }

  /** Records a new segment and the key that created it; returns the entry for a rollback. */
  add(segment: Segment, key: string, fingerprint: string, time: number): IndexedSegment {
    const entry = { seq: this.nextSeq++, segment };
    this.insert(entry);
    this.keys.set(key, { fingerprint, time, segment });
    return entry;
  }

  /** Undoes `add` when its save failed. */
  unadd(entry: IndexedSegment, key: string): void {
    this.remove(entry.segment.uid);
    this.keys.delete(key);
  }

  remove(uid: string): IndexedSegment | undefined {
    const entry = this.byUid.get(uid);
    if (!entry) return undefined;
    this.ordered.splice(this.positionAfter(entry.seq - 1), 1);
    this.byUid.delete(uid);
    this.byNameVersion.delete(nameVersionKey(entry.segment.name, entry.segment.version));
    return entry;
  }

  /** Puts back an entry, at its old place in creation order (after `remove`, or when loading). */
  insert(entry: IndexedSegment): void {
    this.ordered.splice(this.positionAfter(entry.seq), 0, entry);
    this.byUid.set(entry.segment.uid, entry);
    this.byNameVersion.set(nameVersionKey(entry.segment.name, entry.segment.version), entry.segment.uid);
  }

  /** Up to `limit` segments created after `afterSeq`, optionally only those named `name`. */
  page(afterSeq: number, limit: number, name?: string): IndexPage {
    const segments: Segment[] = [];
    let lastSeq = afterSeq;
    for (let i = this.positionAfter(afterSeq); i < this.ordered.length; i++) {
      const entry = this.ordered[i]!;
      if (name && entry.segment.name !== name) continue;
      // One match past a full page proves there is a next page, so the last page has no token.
      if (segments.length === limit) return { segments, resumeAfter: lastSeq };
      segments.push(entry.segment);
      lastSeq = entry.seq;
    }
    return { segments, resumeAfter: undefined };
  }

  /** Forgets keys recorded before `cutoff` (ms since the epoch); returns how many. */
  pruneKeys(cutoff: number): number {
    let pruned = 0;
    for (const [key, record] of this.keys) {
      if (record.time < cutoff) {
        this.keys.delete(key);
        pruned++;
      }
    }
    return pruned;
  }

  toJSON(): IndexJson {
    return {
      version: FORMAT_VERSION,
      format: this.format,
      nextSeq: this.nextSeq,
      segments: this.ordered.map(({ seq, segment }) => ({ seq, segment: segmentToJson(segment) })),
      keys: [...this.keys].map(([key, { fingerprint, time, segment }]) => ({
        key,
        fingerprint,
        time,
        segment: segmentToJson(segment),
      })),
    };
  }

  /** Throws when the file is not an index this code wrote: a silently emptied simulator would mislead. */
  static fromJSON(value: unknown): SegmentIndex {
    const json = indexJson.parse(value);
    const index = new SegmentIndex(json.format);
    for (const { seq, segment } of json.segments) index.insert({ seq, segment: segmentFromJson(segment) });
    for (const { key, fingerprint, time, segment } of json.keys) {
      index.keys.set(key, { fingerprint, time, segment: segmentFromJson(segment) });
    }
    index.nextSeq = json.nextSeq;
    return index;
  }

  /** Index of the first entry whose seq is greater than `seq` (binary search). */
  private positionAfter(seq: number): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ordered[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function segmentToJson(segment: Segment): SegmentJson {
  return {
    ...segment,
    createTime: (segment.createTime ?? new Date(0)).toISOString(),
    updateTime: (segment.updateTime ?? new Date(0)).toISOString(),
  };
}

function segmentFromJson(json: SegmentJson): Segment {
  return { ...json, createTime: new Date(json.createTime), updateTime: new Date(json.updateTime) };
}
