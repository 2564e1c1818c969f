import type { KeyValue, KvStore, WatchEvent } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { retryUntilDone } from '../util/backoff.js';

const LIST_PAGE = 1000;

/** One list-then-watch pass of an in-memory view: what it lists and what it does with what it reads. */
export interface FollowPass {
  /** Prefixes to list, in order, each with what to do with every key-value read under it. */
  readonly lists: readonly { readonly prefix: string; readonly each: (kv: KeyValue) => void }[];
  /** Every list has been read: the view built from them replaces the old; it reflects at least `revision`. */
  listed(revision: number): void;
  /** Watch events after the list, in store order; the view reflects `revision` once they are applied. */
  changed(events: readonly WatchEvent[], revision: number): void;
}

export interface FollowOptions {
  readonly kv: KvStore;
  readonly log: Logger;
  /** Ends the loop. */
  readonly signal: AbortSignal;
  /** Named in log lines ("seat cache"). */
  readonly name: string;
}

/**
 * Keeps an in-memory view of some prefixes current, as a Kubernetes informer does: list them, then
 * follow one watch of the store from the first page's revision; list again whenever the watch
 * cannot resume (compaction; after a backoff, a lost store). `pass()` makes a fresh pass each time.
 *
 * Pages after the first are read at later revisions, and the watch replays those changes again:
 * `changed` must skip a change no newer than what it holds (compare `modRevision`s).
 */
export async function followStore(options: FollowOptions, pass: () => FollowPass): Promise<void> {
  const { signal, log, name } = options;
  while (!signal.aborted) {
    // A pass that ends without failing (the watch was compacted away) starts the backoff over.
    await retryUntilDone(() => listAndWatch(options, pass()), {
      baseMs: 200,
      maxMs: 5000,
      signal,
      onError: (err, _attempt, retryInMs) =>
        log.warn({ err, retryInMs }, `${name} lost the store; listing again`),
    }).catch(() => {});
  }
}

async function listAndWatch({ kv, log, name, signal }: FollowOptions, pass: FollowPass): Promise<void> {
  const [head, ...rest] = pass.lists;
  if (!head) throw new Error(`${name}: nothing to list`);
  const first = await kv.range(head.prefix, { limit: LIST_PAGE });
  const watch = kv.watch('', { fromRevision: first.revision + 1, signal });
  try {
    first.kvs.forEach(head.each);
    if (first.more) await listRest(kv, head.prefix, first.kvs.at(-1)?.key, head.each);
    for (const list of rest) await listRest(kv, list.prefix, undefined, list.each);
    pass.listed(first.revision);
    for await (const message of watch) {
      if (message.kind === 'compacted') {
        log.warn({ compactRevision: message.compactRevision }, `${name}: watch compacted; listing again`);
        return;
      }
      pass.changed(message.events, message.revision);
    }
  } finally {
    await watch.close();
  }
}

async function listRest(
  kv: KvStore,
  prefix: string,
  after: string | undefined,
  each: (kv: KeyValue) => void,
) {
  for (let startAfter = after; ; ) {
    const page = await kv.range(prefix, { limit: LIST_PAGE, startAfter });
    for (const item of page.kvs) each(item);
    if (!page.more || page.kvs.length === 0) return;
    startAfter = page.kvs.at(-1)?.key;
  }
}

/** A record no codec can read is left out of a view (and logged), not allowed to stop it. */
export function decodeOrSkip<T>(
  kv: KeyValue,
  codec: (kv: KeyValue) => T,
  log: Logger,
  name: string,
): T | undefined {
  try {
    return codec(kv);
  } catch (err) {
    log.error({ err, key: kv.key }, `unreadable record left out of the ${name}`);
    return undefined;
  }
}
