import { describe, expect, it } from 'vitest';
import { absent, type Compare, InvalidRequestError, unchangedSince } from '../../../src/kv/kv.js';
import type { ContractContext } from './context.js';

/** Transactions, then deletePrefix. */
export function describeTransactions(ctx: ContractContext): void {
  describeTxn(ctx);
  describeDeletePrefix(ctx);
}

function describeTxn(ctx: ContractContext): void {
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
      await expect(twice).rejects.toBeInstanceOf(InvalidRequestError);
      expect(await kv.get(`${p}k`)).toBeUndefined();
      expect((await kv.ping()).revision).toBe(revision);
    });

    it("refuses etcd's default limits: over 128 ops in a branch, or a request over 1.5 MiB", async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}other`, 'x');
      const puts = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ type: 'put' as const, key: `${p}op-${i}`, value: 'v' }));
      await expect(kv.txn({ compare: [], success: puts(129) })).rejects.toBeInstanceOf(InvalidRequestError);
      const big = 'x'.repeat(1024 * 1024);
      const tooLarge = kv.txn({
        compare: [],
        success: [
          { type: 'put', key: `${p}big-1`, value: big },
          { type: 'put', key: `${p}big-2`, value: big },
        ],
      });
      await expect(tooLarge).rejects.toBeInstanceOf(InvalidRequestError);
      expect((await kv.range(p)).count).toBe(1);
      expect((await kv.ping()).revision).toBe(revision);
      // At the limits, both go through.
      expect((await kv.txn({ compare: [], success: puts(128) })).succeeded).toBe(true);
      await kv.put(`${p}big-1`, big);
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
