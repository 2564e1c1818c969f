import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  absent,
  type Compare,
  KvError,
  type KvStore,
  LeaseNotFoundError,
  unchangedSince,
  type Watch,
  type WatchEvent,
  type WatchMessage,
  type WatchOptions,
} from '../../src/store/kv.js';
import { waitFor, withTimeout } from './wait-for.js';

export type OpenKv = () => Promise<{ kv: KvStore; cleanup: () => Promise<void> }>;

const MESSAGE_TIMEOUT_MS = 10_000;

/**
 * The behaviour every KvStore must show, run against each implementation. `open` is called once
 * per test; tests still keep to their own key prefix, so an `open` that hands out one shared store
 * (or one etcd) works too.
 */
export function describeKvContract(name: string, open: OpenKv): void {
  describe(`KvStore contract: ${name}`, () => {
    const ctx = contractContext(open);
    describeKeysAndRevisions(ctx);
    describeRange(ctx);
    describeTransactions(ctx);
    describeDeletePrefix(ctx);
    describeWatch(ctx);
    describeLeases(ctx);

    it('answers ping with the current revision', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}k`, 'v');
      expect(await kv.ping(5000)).toEqual({ revision });
    });
  });
}

/** What each test works with; the getters return the current test's store and prefix. */
interface ContractContext {
  readonly kv: KvStore;
  /** This test's own key prefix. */
  readonly p: string;
  /** A registered watch, closed after the test, read through a timeout-guarded reader. */
  watch(prefix: string, options?: WatchOptions): Promise<WatchReader>;
}

function contractContext(open: OpenKv): ContractContext {
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

function describeKeysAndRevisions(ctx: ContractContext): void {
  describe('keys and revisions', () => {
    it('creates a key with create/mod revision and version 1, and overwrites keep createRevision', async () => {
      const { kv, p } = ctx;
      const { revision: r1 } = await kv.put(`${p}k`, 'v1');
      expect(await kv.get(`${p}k`)).toEqual({
        key: `${p}k`,
        value: 'v1',
        createRevision: r1,
        modRevision: r1,
        version: 1,
      });
      const { revision: r2 } = await kv.put(`${p}k`, 'v2');
      expect(r2).toBe(r1 + 1);
      expect(await kv.get(`${p}k`)).toEqual({
        key: `${p}k`,
        value: 'v2',
        createRevision: r1,
        modRevision: r2,
        version: 2,
      });
      expect(await kv.get(`${p}missing`)).toBeUndefined();
    });

    it('moves the revision by one per changing transaction and not for reads or no-ops', async () => {
      const { kv, p } = ctx;
      const { revision: r0 } = await kv.put(`${p}a`, '0');
      const txn = await kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}a`, value: '1' },
          { type: 'put', key: `${p}b`, value: '1' },
          { type: 'delete', key: `${p}nothing` },
        ],
      });
      expect(txn).toMatchObject({ succeeded: true, revision: r0 + 1 });
      const range = await kv.range(p);
      expect(range.kvs.map((k) => [k.key, k.modRevision])).toEqual([
        [`${p}a`, r0 + 1],
        [`${p}b`, r0 + 1],
      ]);
      expect(range.revision).toBe(r0 + 1);
      expect(await kv.delete(`${p}nothing`)).toEqual({ deleted: 0, revision: r0 + 1 });
      expect(await kv.deletePrefix(`${p}none/`)).toEqual({ deleted: 0, revision: r0 + 1 });
      const failed = await kv.txn({
        compare: [absent(`${p}a`)],
        success: [{ type: 'put', key: `${p}a`, value: 'x' }],
      });
      expect(failed).toMatchObject({ succeeded: false, revision: r0 + 1 });
      expect((await kv.ping()).revision).toBe(r0 + 1);
      expect((await kv.put(`${p}c`, '1')).revision).toBe(r0 + 2);
    });

    it('deletes a key; writing it again starts a new life at version 1', async () => {
      const { kv, p } = ctx;
      const { revision: created } = await kv.put(`${p}k`, 'v1');
      await kv.put(`${p}k`, 'v2');
      const deleted = await kv.delete(`${p}k`);
      expect(deleted).toEqual({ deleted: 1, revision: created + 2 });
      expect(await kv.get(`${p}k`)).toBeUndefined();
      const { revision } = await kv.put(`${p}k`, 'v3');
      expect(await kv.get(`${p}k`)).toMatchObject({
        createRevision: revision,
        modRevision: revision,
        version: 1,
      });
    });
  });
}

function describeRange(ctx: ContractContext): void {
  describe('range', () => {
    it('pages in key order with limit and startAfter, counting what remains', async () => {
      const { kv, p } = ctx;
      const names = ['e', 'b', 'g', 'a', 'd', 'c', 'f'];
      for (const n of names) await kv.put(`${p}items/${n}`, `value-${n}`);
      // Neighbours that share the prefix string but not the prefix.
      for (const k of [`${p}items`, `${p}itemsX`, `${p}item/a`]) await kv.put(k, 'outside');

      const all = await kv.range(`${p}items/`);
      expect(all.kvs.map((k) => k.key)).toEqual([...names].sort().map((n) => `${p}items/${n}`));
      expect(all.kvs.map((k) => k.value)).toEqual([...names].sort().map((n) => `value-${n}`));
      expect(all).toMatchObject({ count: 7, more: false });

      const pages: { keys: string[]; more: boolean; count: number }[] = [];
      let startAfter: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await kv.range(`${p}items/`, { limit: 3, ...(startAfter ? { startAfter } : {}) });
        pages.push({
          keys: page.kvs.map((k) => k.key.slice(`${p}items/`.length)),
          more: page.more,
          count: page.count,
        });
        if (!page.more) break;
        startAfter = page.kvs[page.kvs.length - 1]?.key;
      }
      expect(pages).toEqual([
        { keys: ['a', 'b', 'c'], more: true, count: 7 },
        { keys: ['d', 'e', 'f'], more: true, count: 4 },
        { keys: ['g'], more: false, count: 1 },
      ]);

      const keysOnly = await kv.range(`${p}items/`, { keysOnly: true, limit: 2 });
      expect(keysOnly.kvs.map((k) => [k.key, k.value])).toEqual([
        [`${p}items/a`, ''],
        [`${p}items/b`, ''],
      ]);
      expect(keysOnly.kvs[0]?.modRevision).toBeGreaterThan(0);
      expect(keysOnly).toMatchObject({ count: 7, more: true });
      expect(await kv.range(`${p}items/`, { limit: 7 })).toMatchObject({ count: 7, more: false });
      expect(await kv.range(`${p}nothing/`)).toMatchObject({ kvs: [], count: 0, more: false });
    });

    it('orders keys by their UTF-8 bytes, not by UTF-16 code units', async () => {
      const { kv, p } = ctx;
      // UTF-16 order would put the astral characters (surrogate pairs) before U+FFFD.
      const suffixes = ['😀', '\uFFFD', 'z', '𝄞', 'é', 'a'];
      for (const s of suffixes) await kv.put(`${p}${s}`, s);
      const byBytes = [...suffixes].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(byBytes).toEqual(['a', 'z', 'é', '\uFFFD', '𝄞', '😀']);
      expect((await kv.range(p)).kvs.map((k) => k.value)).toEqual(byBytes);
      const after = await kv.range(p, { startAfter: `${p}\uFFFD` });
      expect(after.kvs.map((k) => k.value)).toEqual(['𝄞', '😀']);
    });

    it('returns the revision the read was served at', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}k`, 'v');
      expect((await kv.range(p)).revision).toBe(revision);
    });
  });
}

function describeTransactions(ctx: ContractContext): void {
  describe('transactions', () => {
    it('lets exactly one of 20 concurrent create-if-absent transactions win', async () => {
      const { kv, p } = ctx;
      const key = `${p}lock`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kv.txn({
            compare: [absent(key)],
            success: [{ type: 'put', key, value: `writer-${i}` }],
            failure: [{ type: 'get', key }],
          }),
        ),
      );
      const winners = results.filter((r) => r.succeeded);
      expect(winners).toHaveLength(1);
      const stored = await kv.get(key);
      expect(stored).toMatchObject({ version: 1, modRevision: winners[0]?.revision });
      for (const loser of results.filter((r) => !r.succeeded)) {
        expect(loser.results).toEqual([
          { type: 'get', kv: expect.objectContaining({ value: stored?.value }) },
        ]);
        expect(loser.revision).toBeGreaterThanOrEqual(winners[0]!.revision);
      }
    });

    it('compare-and-swaps on the mod revision: one concurrent writer wins, stale writers lose', async () => {
      const { kv, p } = ctx;
      const key = `${p}doc`;
      const { revision: read } = await kv.put(key, 'v0');
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          kv.txn({
            compare: [unchangedSince(key, read)],
            success: [{ type: 'put', key, value: `v${i + 1}` }],
          }),
        ),
      );
      expect(attempts.filter((a) => a.succeeded)).toHaveLength(1);
      const current = await kv.get(key);
      expect(current?.version).toBe(2);
      const stale = await kv.txn({
        compare: [unchangedSince(key, read)],
        success: [{ type: 'put', key, value: 'stale' }],
      });
      expect(stale.succeeded).toBe(false);
      const fresh = await kv.txn({
        compare: [unchangedSince(key, current!.modRevision)],
        success: [{ type: 'put', key, value: 'fresh' }],
      });
      expect(fresh.succeeded).toBe(true);
      expect((await kv.get(key))?.value).toBe('fresh');
    });

    it('evaluates each compare target; a missing key has zero revisions and no value', async () => {
      const { kv, p } = ctx;
      const key = `${p}k`;
      const { revision: c } = await kv.put(key, 'v1');
      const { revision: m } = await kv.put(key, 'v2');
      const holds = async (...compare: Compare[]) => (await kv.txn({ compare, success: [] })).succeeded;
      const on = (
        target: 'createRevision' | 'modRevision' | 'version',
        op: '=' | '!=' | '<' | '>',
        value: number,
      ) => ({ key, target, op, value }) as const;
      const checks: [Compare, boolean][] = [
        [on('version', '=', 2), true],
        [on('version', '!=', 2), false],
        [on('version', '>', 1), true],
        [on('version', '<', 2), false],
        [on('createRevision', '=', c), true],
        [on('createRevision', '<', m), true],
        [on('modRevision', '=', m), true],
        [on('modRevision', '>', m), false],
        [{ key, target: 'value', op: '=', value: 'v2' }, true],
        [{ key, target: 'value', op: '!=', value: 'v2' }, false],
        [{ key, target: 'value', op: '!=', value: 'other' }, true],
        [absent(`${p}missing`), true],
        [{ key: `${p}missing`, target: 'modRevision', op: '=', value: 0 }, true],
        [{ key: `${p}missing`, target: 'version', op: '>', value: 0 }, false],
        [{ key: `${p}missing`, target: 'value', op: '=', value: '' }, false],
        [{ key: `${p}missing`, target: 'value', op: '!=', value: 'x' }, false],
      ];
      const outcomes = [];
      for (const [compare] of checks) outcomes.push(await holds(compare));
      expect(outcomes).toEqual(checks.map(([, expected]) => expected));
      expect(await holds(on('version', '=', 2), absent(`${p}missing`))).toBe(true);
      expect(await holds(on('version', '=', 2), absent(key))).toBe(false);
    });

    it('runs the failure branch when a compare fails and reports one result per op', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}k`, 'v1');
      await kv.put(`${p}sub/a`, '1');
      await kv.put(`${p}sub/b`, '1');
      const before = await kv.ping();
      const txn = await kv.txn({
        compare: [{ key: `${p}k`, target: 'value', op: '=', value: 'other' }],
        success: [{ type: 'put', key: `${p}k`, value: 'success-branch' }],
        failure: [
          { type: 'get', key: `${p}k` },
          { type: 'get', key: `${p}missing` },
          { type: 'put', key: `${p}new`, value: 'failure-branch' },
          { type: 'delete', key: `${p}k` },
          { type: 'deletePrefix', prefix: `${p}sub/` },
        ],
      });
      expect(txn).toMatchObject({ succeeded: false, revision: before.revision + 1 });
      expect(txn.results).toEqual([
        { type: 'get', kv: expect.objectContaining({ key: `${p}k`, value: 'v1', version: 1 }) },
        { type: 'get', kv: undefined },
        { type: 'put' },
        { type: 'delete', deleted: 1 },
        { type: 'deletePrefix', deleted: 2 },
      ]);
      expect((await kv.range(p)).kvs.map((k) => [k.key, k.value])).toEqual([[`${p}new`, 'failure-branch']]);
      const noFailureBranch = await kv.txn({ compare: [absent(`${p}new`)], success: [] });
      expect(noFailureBranch).toEqual({ succeeded: false, revision: before.revision + 1, results: [] });
    });

    it('lets later ops of a transaction read the writes of earlier ones', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}k`, 'old');
      const txn = await kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}k`, value: 'new' },
          { type: 'get', key: `${p}k` },
        ],
      });
      expect(txn.results[1]).toEqual({
        type: 'get',
        kv: expect.objectContaining({ value: 'new', version: 2, modRevision: txn.revision }),
      });
    });

    it('refuses a transaction that puts one key twice, changing nothing', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}other`, 'x');
      const twice = kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}k`, value: '1' },
          { type: 'put', key: `${p}k`, value: '2' },
        ],
      });
      await expect(twice).rejects.toThrow();
      expect(await kv.get(`${p}k`)).toBeUndefined();
      expect((await kv.ping()).revision).toBe(revision);
    });
  });
}

function describeDeletePrefix(ctx: ContractContext): void {
  describe('deletePrefix', () => {
    it('deletes exactly the keys under the prefix, in one revision', async () => {
      const { kv, p } = ctx;
      for (const k of ['d/a', 'd/b', 'd/c/x', 'd', 'dX', 'c']) await kv.put(`${p}${k}`, k);
      const w = await ctx.watch(p);
      const result = await kv.deletePrefix(`${p}d/`);
      expect(result.deleted).toBe(3);
      expect((await kv.range(p)).kvs.map((k) => k.value)).toEqual(['c', 'd', 'dX']);
      const [message] = await w.take(1);
      expect(message).toEqual({
        kind: 'events',
        revision: result.revision,
        events: ['d/a', 'd/b', 'd/c/x'].map((k) => ({
          type: 'delete',
          key: `${p}${k}`,
          modRevision: result.revision,
        })),
      });
      expect(await kv.deletePrefix(`${p}d/`)).toEqual({ deleted: 0, revision: result.revision });
    });
  });
}

function describeWatch(ctx: ContractContext): void {
  describe('watch', () => {
    it('delivers changes under its prefix made after it is ready, and nothing else', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}w/before`, 'x');
      const w = await ctx.watch(`${p}w/`);
      const { revision: r1 } = await kv.put(`${p}w/a`, '1');
      await kv.put(`${p}other`, 'x');
      await kv.put(`${p}w`, 'x');
      const { revision: r4 } = await kv.delete(`${p}w/a`);
      expect(await w.take(2)).toEqual([
        {
          kind: 'events',
          revision: r1,
          events: [
            {
              type: 'put',
              kv: { key: `${p}w/a`, value: '1', createRevision: r1, modRevision: r1, version: 1 },
            },
          ],
        },
        { kind: 'events', revision: r4, events: [{ type: 'delete', key: `${p}w/a`, modRevision: r4 }] },
      ]);
    });

    it('resumes from a revision with no event lost or repeated', async () => {
      const { kv, p } = ctx;
      const expected: { revision: number; key: string; type: WatchEvent['type'] }[] = [];
      // Puts over three keys, and every fourth step deletes the key it lands on (put 3 steps ago).
      const write = async (i: number) => {
        const key = `${p}r/${i % 3}`;
        if (i % 4 === 3) {
          const { deleted, revision } = await kv.delete(key);
          expect(deleted).toBe(1);
          expected.push({ revision, key, type: 'delete' });
        } else {
          expected.push({ revision: (await kv.put(key, `v${i}`)).revision, key, type: 'put' });
        }
      };
      for (let i = 0; i < 10; i++) await write(i);

      const from = expected[3]!.revision;
      const first = await ctx.watch(`${p}r/`, { fromRevision: from });
      const seen = summarize(await first.take(7));
      expect(seen).toEqual(expected.slice(3));
      await first.close();

      for (let i = 10; i < 15; i++) await write(i);
      const resumed = await ctx.watch(`${p}r/`, { fromRevision: seen[seen.length - 1]!.revision + 1 });
      const rest = summarize(await resumed.take(5));
      expect(rest).toEqual(expected.slice(10));
      // Nothing further is pending: the next message is the marker written now.
      const { revision: marker } = await kv.put(`${p}r/marker`, 'm');
      expect(summarize(await resumed.take(1))).toEqual([
        { revision: marker, key: `${p}r/marker`, type: 'put' },
      ]);
    });

    it('delivers the events of one transaction in one message, in transaction order', async () => {
      const { kv, p } = ctx;
      await kv.put(`${p}t/z`, 'old');
      const w = await ctx.watch(`${p}t/`);
      const txn = await kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}t/b`, value: '1' },
          { type: 'delete', key: `${p}t/z` },
          { type: 'put', key: `${p}t/a`, value: '2' },
        ],
      });
      expect(summarize(await w.take(1))).toEqual([
        { revision: txn.revision, key: `${p}t/b`, type: 'put' },
        { revision: txn.revision, key: `${p}t/z`, type: 'delete' },
        { revision: txn.revision, key: `${p}t/a`, type: 'put' },
      ]);
    });

    it('attaches prevKv only when asked', async () => {
      const { kv, p } = ctx;
      const plain = await ctx.watch(`${p}k`);
      const withPrev = await ctx.watch(`${p}k`, { prevKv: true });
      const { revision: r1 } = await kv.put(`${p}k`, 'v1');
      await kv.put(`${p}k`, 'v2');
      const { revision: r3 } = await kv.delete(`${p}k`);

      const prevs = (messages: WatchMessage[]) =>
        messages.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.prevKv?.value ?? null) : []));
      const detailed = await withPrev.take(3);
      expect(prevs(detailed)).toEqual([null, 'v1', 'v2']);
      expect(detailed[2]).toEqual({
        kind: 'events',
        revision: r3,
        events: [
          {
            type: 'delete',
            key: `${p}k`,
            modRevision: r3,
            prevKv: { key: `${p}k`, value: 'v2', createRevision: r1, modRevision: r1 + 1, version: 2 },
          },
        ],
      });
      const bare = await plain.take(3);
      expect(prevs(bare)).toEqual([null, null, null]);
      expect(bare.every((m) => m.kind === 'events' && m.events.every((e) => e.prevKv === undefined))).toBe(
        true,
      );
    });

    it('buffers for a slow consumer without holding up writers or losing events', async () => {
      const { kv, p } = ctx;
      const w = await ctx.watch(`${p}s/`);
      const revisions: number[] = [];
      for (let i = 0; i < 150; i++) revisions.push((await kv.put(`${p}s/${i % 7}`, String(i))).revision);
      const messages = await w.take(150);
      expect(messages.map((m) => (m.kind === 'events' ? m.revision : -1))).toEqual(revisions);
    });

    it('waits for a future start revision', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}f/a`, '1');
      const w = await ctx.watch(`${p}f/`, { fromRevision: revision + 2 });
      await kv.put(`${p}f/b`, '1');
      const { revision: wanted } = await kv.put(`${p}f/c`, '1');
      expect(summarize(await w.take(1))).toEqual([{ revision: wanted, key: `${p}f/c`, type: 'put' }]);
    });

    it('answers compacted and ends when the start revision was compacted away', async () => {
      const { kv, p } = ctx;
      const { revision: first } = await kv.put(`${p}c/k`, '1');
      await kv.put(`${p}c/k`, '2');
      const { revision: compactedAt } = await kv.put(`${p}c/k`, '3');
      await kv.compact(compactedAt);

      const old = await ctx.watch(`${p}c/`, { fromRevision: first });
      expect(await old.take(1)).toEqual([{ kind: 'compacted', compactRevision: compactedAt }]);
      await old.expectEnd();

      const kept = await ctx.watch(`${p}c/`, { fromRevision: compactedAt });
      expect(summarize(await kept.take(1))).toEqual([{ revision: compactedAt, key: `${p}c/k`, type: 'put' }]);
    });

    it('treats compacting again as a no-op and refuses a revision the store has not reached', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}c2/k`, '1');
      await kv.compact(revision);
      await expect(kv.compact(revision)).resolves.toBeUndefined();
      await expect(kv.compact(revision + 1_000_000)).rejects.toBeInstanceOf(KvError);
      expect((await kv.get(`${p}c2/k`))?.value).toBe('1');
    });

    it('ends the iteration on close() and on abort, releasing a pending next()', async () => {
      const { p } = ctx;
      const closed = await ctx.watch(`${p}x/`);
      const pending = closed.nextRaw();
      await closed.close();
      expect(await withTimeout(pending, MESSAGE_TIMEOUT_MS, 'next() after close')).toEqual({
        done: true,
        value: undefined,
      });

      const controller = new AbortController();
      const aborted = await ctx.watch(`${p}x/`, { signal: controller.signal });
      const waiting = aborted.nextRaw();
      controller.abort();
      expect((await withTimeout(waiting, MESSAGE_TIMEOUT_MS, 'next() after abort')).done).toBe(true);
    });
  });
}

function describeLeases(ctx: ContractContext): void {
  describe('leases', () => {
    it('attaches keys to a lease; revoking deletes them in one revision and aborts the signal', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(30);
      expect(lease.signal.aborted).toBe(false);
      await kv.put(`${p}l/a`, '1', { lease: lease.id });
      await kv.put(`${p}l/b`, '1', { lease: lease.id });
      await kv.put(`${p}l/c`, 'not leased');
      expect((await kv.get(`${p}l/a`))?.lease).toBe(lease.id);
      expect((await kv.get(`${p}l/c`))?.lease).toBeUndefined();
      const w = await ctx.watch(`${p}l/`);
      await lease.revoke();
      expect(lease.signal.aborted).toBe(true);
      expect((await kv.range(`${p}l/`)).kvs.map((k) => k.key)).toEqual([`${p}l/c`]);
      const [message] = await w.take(1);
      expect(message?.kind === 'events' && message.events.map((e) => [e.type, eventKey(e)])).toEqual([
        ['delete', `${p}l/a`],
        ['delete', `${p}l/b`],
      ]);
    });

    it('rejects a put on an unknown lease with LeaseNotFoundError, changing nothing', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(30);
      await lease.revoke();
      const { revision } = await kv.put(`${p}marker`, 'x');
      await expect(kv.put(`${p}k`, 'v', { lease: lease.id })).rejects.toBeInstanceOf(LeaseNotFoundError);
      await expect(
        kv.txn({
          compare: [],
          success: [
            { type: 'put', key: `${p}plain`, value: 'v' },
            { type: 'put', key: `${p}k`, value: 'v', lease: lease.id },
          ],
        }),
      ).rejects.toBeInstanceOf(LeaseNotFoundError);
      expect((await kv.range(p)).kvs.map((k) => k.key)).toEqual([`${p}marker`]);
      expect((await kv.ping()).revision).toBe(revision);
    });

    it('lets a released lease expire: its keys are deleted', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(1);
      const { revision } = await kv.put(`${p}e/k`, 'v', { lease: lease.id });
      const w = await ctx.watch(`${p}e/`, { fromRevision: revision + 1 });
      lease.release();
      const [message] = await w.take(1, 15_000);
      expect(message?.kind === 'events' && message.events).toEqual([
        { type: 'delete', key: `${p}e/k`, modRevision: message?.kind === 'events' ? message.revision : -1 },
      ]);
      expect(await kv.get(`${p}e/k`)).toBeUndefined();
      await waitFor(() => lease.signal.aborted, { timeoutMs: 5000, message: 'lease signal aborted' });
    });

    it('keeps a lease alive past its TTL until released or revoked', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(1);
      await kv.put(`${p}alive`, 'v', { lease: lease.id });
      // Time itself is the subject: several TTLs pass, and keep-alive must have held the key.
      await sleep(3500);
      expect((await kv.get(`${p}alive`))?.lease).toBe(lease.id);
      expect(lease.signal.aborted).toBe(false);
      await lease.revoke();
      expect(await kv.get(`${p}alive`)).toBeUndefined();
    });
  });
}

/** Reads a watch one message at a time, never waiting without a deadline. */
class WatchReader {
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

function eventKey(event: WatchEvent): string {
  return event.type === 'put' ? event.kv.key : event.key;
}

/** Flattens messages to (revision, key, type) per event, the shape the sequence checks compare. */
function summarize(messages: WatchMessage[]): { revision: number; key: string; type: WatchEvent['type'] }[] {
  return messages.flatMap((m) => {
    if (m.kind !== 'events') throw new Error(`unexpected ${JSON.stringify(m)}`);
    return m.events.map((e) => ({ revision: m.revision, key: eventKey(e), type: e.type }));
  });
}
