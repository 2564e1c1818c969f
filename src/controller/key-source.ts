import { setTimeout as delay } from 'node:timers/promises';
import type { KeyValue, KvStore, WatchEvent } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { type BackoffOptions, backoffDelay } from '../util/backoff.js';

export interface KeySourceOptions {
  /** A key exists now (`kv` given) or is gone (no `kv`). Typically `queue.add(key)`. */
  onKey(key: string, kv?: KeyValue): void;
  /** Which keys the consumer cares about (default: all); a key that stops passing counts as deleted. */
  filter?(kv: KeyValue): boolean;
  /** Re-list and report every key this often (0 or Infinity: never). */
  resyncMs: number;
  /** Keys per range request while listing. */
  pageSize?: number;
  /** Aborting ends the source. */
  signal: AbortSignal;
  logger: Logger;
  /** Pause between failed attempts to list or watch. */
  retry?: BackoffOptions;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_RETRY: BackoffOptions = { baseMs: 100, maxMs: 10_000 };

/**
 * An informer-like source of keys under `prefix`: lists them all, then follows a watch, reporting
 * each key that exists or changes to `onKey`. A compacted or failed watch leads to a fresh list (after
 * a pause when something failed), so neither compaction nor a store outage ends the source; every
 * `resyncMs` it lists again and reports every key, as controller-runtime's periodic resync does.
 * Resolves once `signal` aborts.
 */
export async function runKeySource(store: KvStore, prefix: string, options: KeySourceOptions): Promise<void> {
  await new KeySource(store, prefix, options).run();
}

type CycleEnd = 'compacted' | 'resync' | 'stopped';

class KeySource {
  /** Keys last reported as present: lets a re-list report deletions that no watch delivered. */
  private known = new Set<string>();
  /** Failed attempts since the last healthy watch; grows the pause before the next one. */
  private failures = 0;
  private readonly filter: (kv: KeyValue) => boolean;
  private readonly log: Logger;

  constructor(
    private readonly store: KvStore,
    private readonly prefix: string,
    private readonly options: KeySourceOptions,
  ) {
    this.filter = options.filter ?? (() => true);
    this.log = options.logger.child({ component: 'key-source', prefix });
  }

  async run(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      try {
        const revision = await this.list();
        const end = await this.follow(revision + 1);
        this.failures = 0;
        if (end === 'compacted') this.log.info({ revision }, 'watch compacted; listing again');
      } catch (error) {
        if (signal.aborted) break;
        await this.pause(error);
      }
    }
  }

  /** Reports every key passing the filter, and every known key that is gone; returns the list's revision. */
  private async list(): Promise<number> {
    const { signal, onKey, pageSize = DEFAULT_PAGE_SIZE } = this.options;
    const present = new Set<string>();
    let revision: number | undefined;
    let startAfter: string | undefined;
    for (let more = true; more; ) {
      signal.throwIfAborted();
      const page = await this.store.range(this.prefix, { limit: pageSize, startAfter });
      // Each page is read at its own (later) revision. Watching from the first page's revision
      // replays what changed while paging (harmless repeats); a later one would lose changes to
      // keys on earlier pages.
      revision ??= page.revision;
      for (const kv of page.kvs) {
        if (!this.filter(kv)) continue;
        present.add(kv.key);
        onKey(kv.key, kv);
      }
      more = page.more && page.kvs.length > 0;
      startAfter = page.kvs.at(-1)?.key;
    }
    for (const key of this.known) if (!present.has(key)) onKey(key);
    this.known = present;
    this.log.debug({ revision, keys: present.size }, 'listed');
    return revision ?? 0;
  }

  /** Applies watch events from `fromRevision` until the watch is compacted, a resync is due, or the source stops. */
  private async follow(fromRevision: number): Promise<CycleEnd> {
    const { signal, resyncMs } = this.options;
    const cycle = new AbortController();
    let resyncDue = false;
    const stop = () => cycle.abort();
    signal.addEventListener('abort', stop, { once: true });
    const timer =
      resyncMs > 0 && Number.isFinite(resyncMs)
        ? setTimeout(() => {
            resyncDue = true;
            cycle.abort();
          }, resyncMs)
        : undefined;
    try {
      if (signal.aborted) return 'stopped';
      for await (const message of this.store.watch(this.prefix, { fromRevision, signal: cycle.signal })) {
        if (message.kind === 'compacted') return 'compacted';
        this.failures = 0;
        for (const event of message.events) this.apply(event);
      }
      if (resyncDue) return 'resync';
      if (signal.aborted) return 'stopped';
      throw new Error('watch ended without being asked to');
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      cycle.abort();
    }
  }

  private apply(event: WatchEvent): void {
    if (event.type === 'put' && this.filter(event.kv)) {
      this.known.add(event.kv.key);
      this.options.onKey(event.kv.key, event.kv);
      return;
    }
    // A key that stops passing the filter leaves the consumer's view just as a deleted one does;
    // deletes of keys that never passed are none of its business.
    const key = event.type === 'put' ? event.kv.key : event.key;
    if (this.known.delete(key)) this.options.onKey(key);
  }

  private async pause(error: unknown): Promise<void> {
    const retryInMs = backoffDelay(this.failures, this.options.retry ?? DEFAULT_RETRY);
    this.failures += 1;
    this.log.warn(
      { err: error, failures: this.failures, retryInMs },
      'listing or watching keys failed; trying again after a pause',
    );
    // Abort ends the pause early; the loop then sees the aborted signal and stops.
    await delay(retryInMs, undefined, { signal: this.options.signal }).catch(() => undefined);
  }
}
