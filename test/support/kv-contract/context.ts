import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import type { KvStore, Watch, WatchEvent, WatchMessage, WatchOptions } from '../../../src/kv/kv.js';
import { withTimeout } from '../harness/wait-for.js';

export type OpenKv = () => Promise<{ kv: KvStore; cleanup: () => Promise<void> }>;

export const MESSAGE_TIMEOUT_MS = 10_000;

/** What each test works with; the getters return the current test's store and prefix. */
export interface ContractContext {
  readonly kv: KvStore;
  /** This test's own key prefix. */
  readonly p: string;
  /** A registered watch, closed after the test, read through a timeout-guarded reader. */
  watch(prefix: string, options?: WatchOptions): Promise<WatchReader>;
}

export function contractContext(open: OpenKv): ContractContext {
  const run = randomUUID().slice(0, 8);
  let serial = 0;
  let kv: KvStore | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  let p = '';
  const watches: Watch[] = [];

  beforeEach(async () => {
    ({ kv, cleanup } = await open());
    p = `contract-${run}/${++serial}/`;
  });
  afterEach(async () => {
    await Promise.all(watches.splice(0).map((w) => w.close()));
    await cleanup?.();
    cleanup = undefined;
    kv = undefined;
  });

  return {
    get kv() {
      if (!kv) throw new Error('no store: the contract context is used outside a test');
      return kv;
    },
    get p() {
      return p;
    },
    async watch(prefix, options) {
      const w = this.kv.watch(prefix, options);
      watches.push(w);
      await withTimeout(w.ready, MESSAGE_TIMEOUT_MS, 'watch registration');
      return new WatchReader(w);
    },
  };
}

/** Reads a watch one message at a time, never waiting without a deadline. */
export class WatchReader {
  private readonly iterator: AsyncIterator<WatchMessage>;

  constructor(private readonly watch: Watch) {
    this.iterator = watch[Symbol.asyncIterator]();
  }

  nextRaw(): Promise<IteratorResult<WatchMessage>> {
    return this.iterator.next();
  }

  /** Exactly the next `n` messages; fails if the watch ends or stalls first. */
  async take(n: number, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<WatchMessage[]> {
    const messages: WatchMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (messages.length < n) {
      const left = Math.max(1, deadline - Date.now());
      const result = await withTimeout(
        this.iterator.next(),
        left,
        `watch message ${messages.length + 1} of ${n}`,
      );
      if (result.done) throw new Error(`watch ended after ${messages.length} of ${n} messages`);
      messages.push(result.value);
    }
    return messages;
  }

  async expectEnd(): Promise<void> {
    const result = await withTimeout(this.iterator.next(), MESSAGE_TIMEOUT_MS, 'end of watch');
    expect(result.done).toBe(true);
  }

  close(): Promise<void> {
    return this.watch.close();
  }
}

export function eventKey(event: WatchEvent): string {
  return event.type === 'put' ? event.kv.key : event.key;
}

/** Flattens messages to (revision, key, type) per event, the shape the sequence checks compare. */
export function summarize(
  messages: WatchMessage[],
): { revision: number; key: string; type: WatchEvent['type'] }[] {
  return messages.flatMap((m) => {
    if (m.kind !== 'events') throw new Error(`unexpected ${JSON.stringify(m)}`);
    return m.events.map((e) => ({ revision: m.revision, key: eventKey(e), type: e.type }));
  });
}
