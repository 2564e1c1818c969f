import type { KeyValue, KvStore } from '../../kv/kv.js';
import { type HubSubscription, WatchHub } from '../../kv/watch-hub.js';
import type { Logger } from '../../logger.js';
import { keys } from '../../records/keyspace.js';
import { isFinalRolloutState, rolloutCodec } from '../../records/rollout-schema.js';
import { Broadcast } from '../../util/broadcast.js';
import type { PollableIterator } from '../../util/pollable.js';
import type { StoredRollout } from './rollout-types.js';

/** What the feed reads a rollout with: the service's `get`, so reads go through its barrier. */
export interface RolloutReader {
  get(id: string): Promise<StoredRollout | undefined>;
}

/**
 * Every event is a whole rollout head, so a reader that falls behind loses nothing by skipping to the
 * newest one: a short backlog keeps a slow dashboard from holding a queue of stale heads.
 */
const MAX_BACKLOG = 4;

/**
 * `rolloutUpdated`: rollout heads (`rollouts/<id>`) as the controller writes them, from the store's
 * watch, so any replica serves any subscriber. The head carries the seat counts (the seat chunks are
 * not watched), so an event costs one decode.
 *
 * One follower per rollout feeds all of its subscribers the same objects (as `InstallEvents` does), so
 * a hundred dashboards on one rollout cost one decode and one GraphQL execution per write.
 */
export class RolloutEvents {
  private readonly hub: WatchHub;
  private readonly feeds = new Map<string, Broadcast<StoredRollout>>();

  constructor(
    kv: KvStore,
    private readonly rollouts: RolloutReader,
    private readonly log: Logger,
  ) {
    this.hub = new WatchHub(kv, keys.rollouts, log);
  }

  /** The rollout now, then each change; ends after a final state or its deletion (at once if unknown). */
  updates(id: string, signal: AbortSignal): PollableIterator<StoredRollout> {
    let feed = this.feeds.get(id);
    if (!feed?.open) {
      const created = new Broadcast<StoredRollout>((stop) => this.follow(id, stop), {
        // Each event is complete: a late reader starts from the newest head.
        catchUp: (latest) => latest,
        maxBacklog: MAX_BACKLOG,
        onClose: () => {
          if (this.feeds.get(id) === created) this.feeds.delete(id);
        },
      });
      this.feeds.set(id, created);
      feed = created;
    }
    return feed.read(signal);
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private async *follow(id: string, signal: AbortSignal): AsyncGenerator<StoredRollout> {
    const key = keys.rollout(id);
    const subscription = this.hub.subscribe((k) => k === key, signal);
    try {
      yield* this.followFrom(id, subscription);
    } finally {
      subscription.close();
    }
  }

  private async *followFrom(id: string, subscription: HubSubscription): AsyncGenerator<StoredRollout> {
    // The current head is read after the watch is in place, so no write falls in between; a write
    // both read here and seen on the watch is sent once (by its revision).
    await subscription.ready;
    let last = await this.rollouts.get(id);
    if (!last) return;
    yield last;
    if (isFinalRolloutState(last.record.state)) return;
    for await (const event of subscription) {
      if (event.type === 'delete') {
        if (event.revision <= last.modRevision) continue; // older than what was read
        return;
      }
      const next = event.type === 'put' ? this.decode(id, event.kv) : await this.rollouts.get(id);
      if (event.type === 'resync' && !next) return; // deleted while the watch was away
      if (!next || next.modRevision <= last.modRevision) continue;
      last = next;
      yield next;
      if (isFinalRolloutState(next.record.state)) return;
    }
  }

  private decode(id: string, kv: KeyValue): StoredRollout | undefined {
    try {
      return { id, record: rolloutCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
    } catch (err) {
      this.log.error({ err, key: kv.key }, 'skipping an unreadable rollout record');
      return undefined;
    }
  }
}
