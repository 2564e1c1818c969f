import type { KvStore } from '../../kv/kv.js';
import { type HubSubscription, WatchHub } from '../../kv/watch-hub.js';
import type { Logger } from '../../logger.js';
import { logChunkCodec, logSummaryCodec } from '../../records/install-log-schema.js';
import type { StoredInstall } from '../../records/install-records.js';
import { isFinalInstallStatus } from '../../records/install-schema.js';
import { installLogKeys } from '../../records/kinds.js';
import { Broadcast } from '../../util/broadcast.js';
import type { PollableIterator } from '../../util/pollable.js';
import type { InstallLog } from './install-log.js';
import type { InstallService } from './install-service.js';

/** One state of an install log as a subscriber sees it. */
export interface InstallLogView {
  readonly record: StoredInstall;
  readonly log: InstallLog;
  /** Seat indexes that changed since the previous view of this subscription; undefined: all of them. */
  readonly changed?: readonly number[];
}

/** Views a subscriber may fall behind by before it gets one full view in their place. */
const MAX_BACKLOG = 16;

/**
 * `installLogUpdated`: install logs as the controller writes them, from the store's watch, so any
 * replica serves any subscriber. A view is sent per summary write (the summary is the last key of
 * every log write), carrying the seats that changed since the previous view.
 *
 * One follower per record feeds all of its subscribers the same view objects, so a thousand
 * subscribers cost one read, one decode and (through the GraphQL layer's per-event result cache)
 * one execution per write (bench subscribe-1k).
 */
export class InstallEvents {
  private readonly hub: WatchHub;
  private readonly feeds = new Map<string, Broadcast<InstallLogView>>();

  constructor(
    kv: KvStore,
    private readonly installs: InstallService,
    private readonly log: Logger,
  ) {
    this.hub = new WatchHub(kv, installLogKeys.prefix, log);
  }

  /** The current log first, then each change; ends once the record has ended (or is deleted). */
  updates(recordId: string, signal: AbortSignal): PollableIterator<InstallLogView> {
    let feed = this.feeds.get(recordId);
    if (!feed?.open) {
      const created = new Broadcast<InstallLogView>((stop) => this.follow(recordId, stop), {
        // A late or lagging subscriber: every seat as of the latest view.
        catchUp: (latest) => ({ record: latest.record, log: latest.log }),
        maxBacklog: MAX_BACKLOG,
        onClose: () => {
          if (this.feeds.get(recordId) === created) this.feeds.delete(recordId);
        },
      });
      this.feeds.set(recordId, created);
      feed = created;
    }
    return feed.read(signal);
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private async *follow(recordId: string, signal: AbortSignal): AsyncGenerator<InstallLogView> {
    const subscription = this.hub.subscribe(installLogKeys.matcher(recordId), signal);
    try {
      yield* this.followFrom(recordId, subscription);
    } finally {
      subscription.close();
    }
  }

  private async *followFrom(recordId: string, subscription: HubSubscription): AsyncGenerator<InstallLogView> {
    await subscription.ready;
    const record = await this.installs.get(recordId);
    let current = await this.installs.readLog(recordId);
    if (!record || !current) return;
    const { log } = current;
    yield { record, log: log.snapshot() };
    if (isFinalInstallStatus(log.summary.status)) return;

    let changed = new Set<number>();
    for await (const event of subscription) {
      if (event.type === 'delete') return;
      if (event.type === 'resync') {
        // Changes may have been missed: read it all.
        current = await this.installs.readLog(recordId);
        if (!current) return;
        yield { record, log: current.log.snapshot() };
        if (isFinalInstallStatus(current.log.summary.status)) return;
        changed = new Set();
        continue;
      }
      const kv = event.kv;
      if (installLogKeys.isSummary(recordId, kv.key)) {
        // The summary is the last key of every log write, and the hub re-queues a key behind the
        // others when it changes again: the chunks written with this summary have been applied.
        const summary = this.decode(() => logSummaryCodec.decode(kv.key, kv.value));
        if (!summary || summary.seq <= current.log.summary.seq) continue;
        current.log.summary = summary;
        if (isFinalInstallStatus(summary.status)) {
          yield { record, log: current.log.snapshot() }; // the last event carries every seat
          return;
        }
        yield { record, log: current.log.snapshot(), changed: [...changed].sort((a, b) => a - b) };
        changed = new Set();
      } else {
        const chunk = this.decode(() => logChunkCodec.decode(kv.key, kv.value));
        const n = installLogKeys.chunkOf(kv.key);
        if (!chunk || n === undefined) continue;
        for (const index of current.log.replaceChunk(n, chunk)) changed.add(index);
      }
    }
  }

  private decode<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (err) {
      this.log.error({ err }, 'skipping an unreadable install log value');
      return undefined;
    }
  }
}
