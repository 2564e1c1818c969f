import type { KvStore } from '../../kv/kv.js';
import { type HubSubscription, WatchHub } from '../../kv/watch-hub.js';
import type { Logger } from '../../logger.js';
import { segmentChangeKeys } from '../../records/kinds.js';
import { type StoredSegment, toStored } from '../../records/segment-records.js';
import type { SegmentService } from './segment-service.js';

/**
 * A segment as `segmentUpdated` sends it. `deleted` is set on one event only, the tombstone: the
 * segment is gone from seghub (deleted, or removed by the remote sync) and the other fields are its
 * last state. It is the last event about that segment; a single-segment subscription ends after it.
 */
export type SegmentUpdate = StoredSegment & { readonly deleted?: boolean };

/**
 * `segmentUpdated`: segment records as they change in the store, whichever process wrote them.
 */
export class SegmentEvents {
  private readonly hub: WatchHub;

  constructor(
    kv: KvStore,
    private readonly segments: SegmentService,
    private readonly log: Logger,
  ) {
    // Deletes carry the removed record, so a subscriber to every segment can be told what went. Seat
    // lists are watched too: installing changes a segment's `seats` without touching its record.
    this.hub = new WatchHub(kv, segmentChangeKeys.prefix, log, { prevKv: true });
  }

  /**
   * One segment: its current state first, then each change (to the record or to its seat list), then
   * a tombstone when it is gone, and the end. Without an id: every change to any segment from now
   * on, tombstones included.
   */
  async *updates(id: string | undefined, signal: AbortSignal): AsyncGenerator<SegmentUpdate> {
    const subscription = this.hub.subscribe(segmentChangeKeys.matcher(id), signal);
    try {
      yield* id === undefined ? this.followAll(subscription) : this.followOne(id, subscription);
    } finally {
      subscription.close();
    }
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private async *followAll(subscription: HubSubscription): AsyncGenerator<SegmentUpdate> {
    await subscription.ready;
    for await (const event of subscription) {
      const seatsOf = segmentChangeKeys.seatListOwner(event.key);
      if (seatsOf !== undefined) {
        // A seat list is only ever deleted with its segment, whose own delete is the tombstone.
        const segment = event.type === 'put' ? await this.segments.get(seatsOf) : undefined;
        if (segment) yield segment;
      } else if (event.type === 'put') {
        const segment = this.decode(event.kv);
        if (segment) yield segment;
      } else if (event.type === 'delete' && event.prevKv) {
        const last = this.decode(event.prevKv);
        if (last) yield tombstone(last, event.revision);
      }
    }
  }

  private async *followOne(id: string, subscription: HubSubscription): AsyncGenerator<SegmentUpdate> {
    await subscription.ready;
    // The current state is read after the watch is in place, so no change falls in between; a
    // change both read here and seen on the watch is sent once.
    let last = await this.segments.get(id);
    if (!last) return;
    yield last;
    for await (const event of subscription) {
      if (segmentChangeKeys.seatListOwner(event.key) !== undefined) {
        if (event.type === 'delete') continue; // removed with the segment: its delete ends the stream
        const segment = await this.segments.get(id);
        if (!segment || segment.record.instanceId !== last.record.instanceId) {
          yield tombstone(last, last.modRevision);
          return;
        }
        last = segment;
        yield segment; // same record, new seats
        continue;
      }
      // Changes the first read already includes (a delete of an earlier upload among them) are old news.
      if (event.type === 'delete' && event.revision <= last.modRevision) continue;
      if (event.type === 'delete') {
        const removed = event.prevKv ? this.decode(event.prevKv) : undefined;
        yield tombstone(removed ?? last, event.revision);
        return;
      }
      let segment: StoredSegment | undefined;
      if (event.type === 'put') {
        segment = this.decode(event.kv);
        if (!segment || segment.modRevision <= last.modRevision) continue;
      } else {
        segment = await this.segments.get(id);
      }
      // Gone (seen after a resync), or replaced by a later upload of the same name and version
      // while this subscriber's queue folded the delete into the put: the segment it followed is gone.
      if (!segment || segment.record.instanceId !== last.record.instanceId) {
        yield tombstone(last, last.modRevision);
        return;
      }
      if (segment.modRevision <= last.modRevision) continue;
      last = segment;
      yield segment;
    }
  }

  private decode(kv: Parameters<typeof toStored>[0]): StoredSegment | undefined {
    try {
      return toStored(kv);
    } catch (err) {
      this.log.error({ err, key: kv.key }, 'skipping an unreadable segment record');
      return undefined;
    }
  }
}

function tombstone(last: StoredSegment, revision: number): SegmentUpdate {
  return { ...last, modRevision: revision, deleted: true };
}
