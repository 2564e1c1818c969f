import { describe, expect, it } from 'vitest';
import { KvError, type WatchEvent, type WatchMessage } from '../../../src/kv/kv.js';
import { withTimeout } from '../harness/wait-for.js';
import { type ContractContext, MESSAGE_TIMEOUT_MS, summarize } from './context.js';

export function describeWatch(ctx: ContractContext): void {
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
