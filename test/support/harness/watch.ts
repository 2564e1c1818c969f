import type { KvStore, Watch, WatchMessage } from '../../../src/kv/kv.js';
import { withTimeout } from './wait-for.js';

/** Reads messages until `done` holds for what was read or the watch ends; fails after `timeoutMs`. */
export async function readWatch(
  watch: Watch,
  done: (messages: WatchMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<WatchMessage[]> {
  const messages: WatchMessage[] = [];
  const iterator = watch[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (!done(messages)) {
    const result = await withTimeout(
      iterator.next(),
      Math.max(0, deadline - Date.now()),
      `watch condition (read so far: ${JSON.stringify(messages)})`,
    );
    if (result.done) break;
    messages.push(result.value);
  }
  return messages;
}

/** The first `n` messages of a watch (fewer if it ends), then closes it. */
export async function readMessages(watch: Watch, n: number, timeoutMs = 5000): Promise<WatchMessage[]> {
  try {
    return await readWatch(watch, (messages) => messages.length >= n, timeoutMs);
  } finally {
    await watch.close();
  }
}

export function revisionsOf(messages: WatchMessage[]): number[] {
  return messages.flatMap((m) => (m.kind === 'events' ? [m.revision] : []));
}

export function keysOf(messages: WatchMessage[]): string[] {
  return messages.flatMap((m) =>
    m.kind === 'events' ? m.events.map((e) => (e.type === 'put' ? e.kv.key : e.key)) : [],
  );
}

/** Counts the store watches opened through `kv.watch` and which of them are still open. */
export function trackWatches(kv: KvStore) {
  const open = new Set<Watch>();
  const counts = { started: 0, open };
  const watch = kv.watch.bind(kv);
  kv.watch = (prefix, options) => {
    const w = watch(prefix, options);
    counts.started++;
    open.add(w);
    const close = w.close.bind(w);
    w.close = () => {
      open.delete(w);
      return close();
    };
    return w;
  };
  return counts;
}
