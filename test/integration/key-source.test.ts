import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KeySourceOptions, runKeySource } from '../../src/controller/key-source.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import { type KvStore, StoreUnavailableError } from '../../src/kv/kv.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';
import { contractContext, type OpenKv } from '../support/kv-contract/context.js';

const policy = etcdSuitePolicy();
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('key source on the embedded store', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let stores = 0;
  beforeAll(async () => {
    temp = await tempDir('seghub-key-source');
  });
  afterAll(() => temp?.remove());
  describeKeySource(async () => {
    const kv = await openEmbeddedKv({ dir: path.join(temp.dir, `store-${++stores}`) });
    return { kv, cleanup: () => kv.close() };
  });
});

describe.runIf(policy.run || policy.missingInCi)('key source on etcd', () => {
  let etcd: EtcdProcess;
  beforeAll(async () => {
    if (policy.missingInCi) {
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    }
    etcd = await startEtcd();
  });
  afterAll(() => etcd?.stop());
  describeKeySource(async () => {
    const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix: `/key-source-${randomUUID()}/` });
    return { kv, cleanup: () => kv.close() };
  });
});

/** What a running source reported, in order: a value for a key that exists, undefined for one that is gone. */
interface Recorder {
  reports: [string, string | undefined][];
  /** The latest report per key. */
  latest(): Map<string, string | undefined>;
  count(key: string): number;
}

function describeKeySource(open: OpenKv): void {
  const ctx = contractContext(open);
  const running: { controller: AbortController; done: Promise<void> }[] = [];
  // Registered after the context's hooks, so it runs before the store is closed.
  afterEach(async () => {
    for (const source of running) source.controller.abort();
    await Promise.all(running.splice(0).map((source) => source.done));
  });

  function start(store: KvStore, prefix: string, options: Partial<KeySourceOptions> = {}): Recorder {
    const controller = new AbortController();
    const reports: Recorder['reports'] = [];
    const done = runKeySource(store, prefix, {
      onKey: (key, kv) => reports.push([key, kv?.value]),
      resyncMs: 60_000,
      signal: controller.signal,
      logger,
      ...options,
    });
    running.push({ controller, done });
    return {
      reports,
      latest: () => new Map(reports),
      count: (key) => reports.filter(([k]) => k === key).length,
    };
  }

  describe('key source', () => {
    it('lists existing keys page by page, each once, and only those under its prefix', async () => {
      const { kv, p } = ctx;
      const keys = Array.from({ length: 7 }, (_, i) => `${p}w/${i}`);
      for (const key of keys) await kv.put(key, `v-${key}`);
      await kv.put(`${p}other/x`, 'outside');
      const source = start(kv, `${p}w/`, { pageSize: 3 });
      await waitFor(() => source.latest().size === 7, { message: 'seven listed keys' });
      // Once a later put arrives the list is over: nothing listed twice, nothing from outside.
      await kv.put(`${p}w/after`, 'x');
      await waitFor(() => source.latest().has(`${p}w/after`), { message: 'the later put' });
      expect(source.reports).toEqual([...keys.map((key) => [key, `v-${key}`]), [`${p}w/after`, 'x']]);
    });

    it('reports later puts with their value and deletes without one', async () => {
      const { kv, p } = ctx;
      const source = start(kv, p);
      await kv.put(`${p}a`, '1');
      await waitFor(() => source.latest().get(`${p}a`) === '1', { message: 'a=1' });
      await kv.put(`${p}b`, '1');
      await kv.put(`${p}a`, '2');
      await kv.delete(`${p}b`);
      await waitFor(() => source.count(`${p}b`) === 2, { message: 'b put and deleted' });
      expect(source.latest()).toEqual(
        new Map([
          [`${p}a`, '2'],
          [`${p}b`, undefined],
        ]),
      );
    });

    it('reports only keys passing the filter, and one that stops passing as gone', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}listed-keep`, 'keep');
      await kv.put(`${p}listed-skip`, 'skip');
      const source = start(kv, p, { filter: (entry) => entry.value === 'keep' });
      await waitFor(() => source.count(`${p}listed-keep`) === 1, { message: 'the listed key' });
      await kv.put(`${p}later-skip`, 'skip');
      await kv.put(`${p}later-keep`, 'keep');
      await kv.put(`${p}listed-keep`, 'skip');
      await kv.delete(`${p}listed-skip`);
      await kv.put(`${p}sentinel`, 'keep');
      await waitFor(() => source.latest().has(`${p}sentinel`), { message: 'the sentinel' });
      expect(source.reports).toEqual([
        [`${p}listed-keep`, 'keep'],
        [`${p}later-keep`, 'keep'],
        [`${p}listed-keep`, undefined],
        [`${p}sentinel`, 'keep'],
      ]);
    });

    it('lists again when its watch start was compacted away, reporting what changed meanwhile', async () => {
      const { kv, p } = ctx;
      for (const key of ['a', 'b', 'c']) await kv.put(`${p}${key}`, '1');
      // The first list is held back after it was read, so the changes below fall between the
      // list's revision and the watch that follows it, and compaction then removes them.
      const held = holdFirstRange(kv);
      const source = start(held.store, p);
      await waitFor(() => held.reached, { message: 'the first list read' });
      await kv.put(`${p}d`, '1');
      await kv.put(`${p}a`, '2');
      await kv.delete(`${p}b`);
      const { revision } = await kv.put(`${p}c`, '2');
      await kv.compact(revision);
      held.release();
      await waitFor(() => source.latest().get(`${p}c`) === '2', { message: 'the re-list' });
      expect(source.latest()).toEqual(
        new Map([
          [`${p}a`, '2'],
          [`${p}b`, undefined],
          [`${p}c`, '2'],
          [`${p}d`, '1'],
        ]),
      );
      // And the watch after the re-list works.
      await kv.put(`${p}e`, '1');
      await waitFor(() => source.latest().get(`${p}e`) === '1', { message: 'a put after the re-list' });
    });

    it('reports every key again at each resync, unchanged or not', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}a`, '1');
      const source = start(kv, p, { resyncMs: 100 });
      await waitFor(() => source.count(`${p}a`) >= 3, { message: 'two resyncs' });
      await kv.put(`${p}b`, '1');
      await waitFor(() => source.count(`${p}b`) >= 2, { message: 'the new key resynced' });
      expect(new Set(source.reports.map(([, value]) => value))).toEqual(new Set(['1']));
    });

    it('outlasts a store that fails for a while, retrying with backoff', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}a`, '1');
      const flaky = failingRanges(kv, 3);
      const source = start(flaky.store, p, { retry: { baseMs: 10, maxMs: 50 } });
      await waitFor(() => source.latest().get(`${p}a`) === '1', { message: 'the list after the outage' });
      expect(flaky.failed).toBe(3);
      await kv.put(`${p}a`, '2');
      await waitFor(() => source.latest().get(`${p}a`) === '2', { message: 'the watch after the outage' });
    });
  });
}

/** `kv` with every call passed through except `range`, which `range` replaces. */
function withRange(kv: KvStore, range: KvStore['range']): KvStore {
  return new Proxy(kv, {
    get(target, property) {
      if (property === 'range') return range;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A view of `kv` whose first range result is held back until `release()`. */
function holdFirstRange(kv: KvStore) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { reached: false, release, store: kv };
  state.store = withRange(kv, async (prefix, options) => {
    const result = await kv.range(prefix, options);
    if (!state.reached) {
      state.reached = true;
      await gate;
    }
    return result;
  });
  return state;
}

/** A view of `kv` whose first `failures` range calls fail as an unreachable store's would. */
function failingRanges(kv: KvStore, failures: number) {
  const state = { failed: 0, store: kv };
  state.store = withRange(kv, async (prefix, options) => {
    if (state.failed < failures) {
      state.failed++;
      throw new StoreUnavailableError('store unreachable (test)');
    }
    return kv.range(prefix, options);
  });
  return state;
}
