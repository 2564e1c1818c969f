import { describe, expect, it } from 'vitest';
import { absent } from '../../../src/kv/kv.js';
import type { ContractContext } from './context.js';

/** Keys and their revisions, then reading them back with range. */
export function describeKeysAndRange(ctx: ContractContext): void {
  describeKeysAndRevisions(ctx);
  describeRange(ctx);
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
