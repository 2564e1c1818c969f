import { describe, expect, it } from 'vitest';
import type { KvStore, TxnRequest } from '../../src/kv/kv.js';
import { ReadBarrierTimeoutError, RevisionBarrier } from '../../src/kv/revision-barrier.js';
import { keys } from '../../src/records/keyspace.js';
import { waitFor } from '../support/harness/wait-for.js';

/** A store that is at `revision`, counts the revision reads, and keeps the fences written. */
function fakeStore() {
  const store = {
    revision: 10,
    reads: 0,
    fences: [] as TxnRequest[],
    /** Resolves a pending revision read; reads wait for it so that tests can overlap them. */
    release: [] as (() => void)[],
    holdReads: false,
  };
  const kv = {
    ping: async () => {
      store.reads++;
      const at = store.revision;
      if (store.holdReads) await new Promise<void>((resolve) => store.release.push(resolve));
      return { revision: at };
    },
    txn: async (request: TxnRequest) => {
      store.fences.push(request);
      return { succeeded: true, revision: ++store.revision, results: [] };
    },
  } as unknown as KvStore;
  return { store, kv };
}

const settledWithin = async (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);

const FENCE = 'meta/read-fence';

describe('RevisionBarrier', () => {
  it('passes at once when the follower has applied the current revision', async () => {
    const { kv } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE });
    barrier.advance(10);
    await expect(barrier.wait()).resolves.toBeUndefined();
  });

  it('waits until the follower applies the revision the store was at when it was called', async () => {
    const { kv, store } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE, fenceAfterMs: 60_000 });
    barrier.advance(8);
    const waiting = barrier.wait();
    expect(await settledWithin(waiting)).toBe(false);
    barrier.advance(9);
    expect(await settledWithin(waiting)).toBe(false);
    barrier.advance(10);
    await waiting;
    expect(store.fences).toEqual([]);
  });

  it('shares a revision read among callers, but never one that started before they called', async () => {
    const { kv, store } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE, fenceAfterMs: 60_000 });
    barrier.advance(10);
    store.holdReads = true;
    const early = barrier.wait();
    await new Promise(setImmediate);
    // A write is acknowledged while the first read is in flight; these callers must see it.
    store.revision = 11;
    const late = Array.from({ length: 20 }, () => barrier.wait());
    store.release.shift()?.();
    await early;
    await new Promise(setImmediate);
    store.release.shift()?.();
    expect(await settledWithin(Promise.all(late))).toBe(false);
    barrier.advance(11);
    await Promise.all(late);
    expect(store.reads).toBe(2);
  });

  it('writes the fence when the revision moved where its watch cannot see, and waits for that', async () => {
    const { kv, store } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE, fenceAfterMs: 5 });
    barrier.advance(9);
    const waiting = barrier.wait();
    await waitFor(() => store.fences.length === 1, { message: 'the fence written' });
    expect(store.fences.map((f) => f.success[0])).toEqual([
      { type: 'put', key: keys.readFence, value: '10' },
    ]);
    barrier.advance(11);
    await waiting;
  });

  it('gives up with a typed error when the follower never catches up', async () => {
    const { kv } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE, fenceAfterMs: 1, timeoutMs: 30 });
    await expect(barrier.wait()).rejects.toBeInstanceOf(ReadBarrierTimeoutError);
  });

  it("ends with the caller's own reason when its signal aborts", async () => {
    const { kv } = fakeStore();
    const barrier = new RevisionBarrier(kv, { fenceKey: FENCE, fenceAfterMs: 60_000 });
    const controller = new AbortController();
    const waiting = barrier.wait(controller.signal);
    await new Promise(setImmediate);
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
  });
});
