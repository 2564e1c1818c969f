import type { Logger } from '../../logger.js';
import { keys } from '../../store/keyspace.js';
import type { KvStore } from '../../store/kv.js';
import { type StoredSegment, toStored } from '../../store/segment-records.js';
import { type HubSubscription, WatchHub } from '../../store/watch-hub.js';
import type { SegmentService } from './segment-service.js';

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
    this.hub = new WatchHub(kv, keys.segments, log);
  }

  /**
   * One segment: its current state first, then each change; ends when the segment is deleted.
   * Without an id: every change to any segment from now on.
   */
  async *updates(id: string | undefined, signal: AbortSignal): AsyncGenerator<StoredSegment> {
    const key = id === undefined ? undefined : keys.segment(id);
    const subscription = this.hub.subscribe((k) => key === undefined || k === key, signal);
    try {
      yield* this.follow(id, subscription);
    } finally {
      subscription.close();
    }
  }

  private async *follow(
    id: string | undefined,
    subscription: HubSubscription,
  ): AsyncGenerator<StoredSegment> {
    await subscription.ready;
    // The current state is read after the watch is in place, so no change falls in between; a
    // change both read here and seen on the watch is sent once.
    let sentRevision = 0;
    if (id !== undefined) {
      const current = await this.segments.get(id);
      if (!current) return;
      sentRevision = current.modRevision;
      yield current;
    }
    for await (const event of subscription) {
      if (event.type === 'delete') {
        if (id !== undefined) return;
        continue;
      }
      const segment = event.type === 'put' ? this.decode(event.kv) : await this.reread(id);
      if (event.type === 'resync' && id !== undefined && !segment) return;
      if (!segment || segment.modRevision <= sentRevision) continue;
      if (id !== undefined) sentRevision = segment.modRevision;
      yield segment;
    }
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private async reread(id: string | undefined): Promise<StoredSegment | undefined> {
    return id === undefined ? undefined : this.segments.get(id);
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
