import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ReconcileObservation,
  type ReconcileResult,
  runWorkers,
} from '../../src/controller/run-workers.js';
import { WorkQueue, type WorkQueueOptions } from '../../src/controller/work-queue.js';
import { waitFor } from '../support/harness/wait-for.js';

/** Jitter at its midpoint: backoff delays are exact (5, 10, 20, ... ms). */
const exact: WorkQueueOptions = { random: () => 0.5 };
const silent = pino({ level: 'silent' });

/** Takes every key queued now, in order, marking each done. */
async function drain(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.length > 0) {
    const key = (await queue.get())!;
    keys.push(key);
    queue.done(key);
  }
  return keys;
}

describe('work queue', () => {
  it('holds a key once however often it is added, and hands keys out oldest first', async () => {
    const queue = new WorkQueue();
    for (const key of ['a', 'b', 'a', 'c', 'b', 'a']) queue.add(key);
    expect(queue.length).toBe(3);
    expect(await drain(queue)).toEqual(['a', 'b', 'c']);
  });

  it('queues a key added while it is processed only once it is done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(0);
    queue.done('a');
    expect(await drain(queue)).toEqual(['a']);
  });

  it('hands a key to a get that was already waiting', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.add('a');
    expect(await waiting).toBe('a');
    queue.add('a');
    expect(queue.length).toBe(0);
  });

  it('never lets two workers reconcile one key at once', async () => {
    const queue = new WorkQueue();
    const active = new Set<string>();
    const overlaps: string[] = [];
    let maxActive = 0;
    let runs = 0;
    const controller = new AbortController();
    const reconcile = async (key: string): Promise<ReconcileResult> => {
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      maxActive = Math.max(maxActive, active.size);
      await new Promise(setImmediate);
      // Re-added mid-reconcile, as a watch event would: the key is dirty while a worker holds it.
      queue.add(key);
      queue.add(['a', 'b', 'c'][runs % 3]!);
      await new Promise(setImmediate);
      active.delete(key);
      runs++;
    };
    const workers = runWorkers(queue, reconcile, {
      workers: 4,
      signal: controller.signal,
      logger: silent,
      name: 'test',
    });
    for (const key of ['a', 'b', 'c', 'a', 'b', 'c']) queue.add(key);
    await waitFor(() => runs >= 200, { message: '200 reconciles' });
    controller.abort();
    await workers;
    expect(overlaps).toEqual([]);
    expect(maxActive).toBeGreaterThan(1);
  });
});

describe('work queue timing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('adds a key after a delay, the earliest of several delayed adds winning', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 1000);
    queue.addAfter('a', 200);
    queue.addAfter('a', 500);
    await vi.advanceTimersByTimeAsync(199);
    expect(queue.length).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await drain(queue)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(queue.length).toBe(0);
  });

  it('queues at once a key that waits for a delayed add, and drops the delayed one', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 1000);
    queue.add('a');
    expect(await drain(queue)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(queue.length).toBe(0);
  });

  it('backs off each key on its own, doubling up to the cap, until it is forgotten', async () => {
    const queue = new WorkQueue({ ...exact, maxDelayMs: 100 });
    const delays = Array.from({ length: 6 }, () => queue.addRateLimited('a'));
    expect(delays).toEqual([5, 10, 20, 40, 80, 100]);
    expect(queue.failures('a')).toBe(6);
    expect(queue.addRateLimited('b')).toBe(5);
    queue.forget('a');
    expect(queue.failures('a')).toBe(0);
    expect(queue.addRateLimited('a')).toBe(5);
    // The key arrives when its delay has passed, not before.
    await vi.advanceTimersByTimeAsync(4);
    expect(queue.length).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await drain(queue)).toEqual(['a', 'b']);
  });

  it('spreads a burst of failures beyond the bucket over time', async () => {
    const queue = new WorkQueue({ ...exact, baseDelayMs: 1, ratePerSecond: 10, burst: 5 });
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    for (const key of keys) queue.addRateLimited(key);
    await vi.advanceTimersByTimeAsync(1);
    expect(await drain(queue)).toEqual(keys.slice(0, 5));
    // 10 per second: each key past the burst waits 100 ms longer than the one before.
    let now = 1;
    for (const [i, key] of keys.slice(5).entries()) {
      const due = 100 * (i + 1);
      await vi.advanceTimersByTimeAsync(due - 1 - now);
      expect(queue.length).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      now = due;
      expect(await drain(queue)).toEqual([key]);
    }
  });

  it('shutDown wakes every waiting get, ignores further adds and leaves no timer behind', async () => {
    const queue = new WorkQueue();
    const waiting = [queue.get(), queue.get()];
    queue.addAfter('later', 1000);
    queue.addRateLimited('failed');
    expect(vi.getTimerCount()).toBe(2);
    queue.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    expect(vi.getTimerCount()).toBe(0);
    queue.add('a');
    queue.addAfter('b', 10);
    expect(queue.length).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });
});

describe('runWorkers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(reconcile: (key: string, signal: AbortSignal) => Promise<ReconcileResult>) {
    const queue = new WorkQueue(exact);
    const controller = new AbortController();
    const observed: ReconcileObservation[] = [];
    const warnings: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const done = runWorkers(queue, reconcile, {
      workers: 2,
      signal: controller.signal,
      logger,
      name: 'test',
      observe: (o) => observed.push(o),
    });
    return { queue, controller, observed, warnings, done };
  }

  it('retries a failing key with growing backoff, then forgets its failures once it succeeds', async () => {
    const calls: number[] = [];
    const { queue, controller, observed, warnings, done } = start(async () => {
      calls.push(performance.now());
      if (calls.length <= 3) throw new Error(`failure ${calls.length}`);
    });
    queue.add('a');
    await vi.advanceTimersByTimeAsync(1000);
    const t0 = calls[0]!;
    expect(calls.map((t) => t - t0)).toEqual([0, 5, 15, 35]);
    expect(queue.failures('a')).toBe(0);
    expect(observed.map((o) => o.outcome)).toEqual(['error', 'error', 'error', 'success']);
    expect(warnings.map((w) => [w.key, w.failures])).toEqual([
      ['a', 1],
      ['a', 2],
      ['a', 3],
    ]);
    controller.abort();
    await done;
  });

  it('reconciles again after the delay a result asks for', async () => {
    const calls: number[] = [];
    const { queue, controller, observed, done } = start(async () => {
      calls.push(performance.now());
      return { requeueAfterMs: 1000 };
    });
    queue.add('a');
    await vi.advanceTimersByTimeAsync(2500);
    expect(calls.map((t) => t - calls[0]!)).toEqual([0, 1000, 2000]);
    expect(observed.every((o) => o.outcome === 'requeue' && o.name === 'test')).toBe(true);
    controller.abort();
    await done;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('on abort stops taking keys and resolves only once in-flight reconciles returned', async () => {
    let finish!: () => void;
    const seen: { key: string; signal: AbortSignal }[] = [];
    const { queue, controller, done } = start((key, signal) => {
      seen.push({ key, signal });
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    queue.add('a');
    await vi.advanceTimersByTimeAsync(0);
    let resolved = false;
    void done.then(() => {
      resolved = true;
    });
    controller.abort();
    queue.add('b');
    await vi.advanceTimersByTimeAsync(100);
    expect(resolved).toBe(false);
    expect(seen.map((s) => [s.key, s.signal.aborted])).toEqual([['a', true]]);
    finish();
    await done;
    expect(seen).toHaveLength(1);
  });
});
