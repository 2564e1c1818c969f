import { describe, expect, it } from 'vitest';
import { backoffDelay, retryUntilDone } from '../../src/util/backoff.js';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 5000, jitter: 0 };

  it('doubles per attempt and stops at the cap', () => {
    expect([0, 1, 2, 3, 6, 40].map((a) => backoffDelay(a, options))).toEqual([
      100, 200, 400, 800, 5000, 5000,
    ]);
  });

  it('spreads delays within the jitter band', () => {
    const low = backoffDelay(2, { ...options, jitter: 0.25 }, () => 0);
    const high = backoffDelay(2, { ...options, jitter: 0.25 }, () => 0.999999);
    expect(low).toBe(300);
    expect(high).toBe(500);
  });
});

describe('retryUntilDone', () => {
  const fast = { baseMs: 1, maxMs: 2 };

  it('retries failures until the task succeeds', async () => {
    const seen: number[] = [];
    const result = await retryUntilDone(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return 'done';
      },
      { ...fast, signal: new AbortController().signal },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('gives up at once on a permanent error', async () => {
    let calls = 0;
    const permanent = new RangeError('never works');
    await expect(
      retryUntilDone(
        async () => {
          calls++;
          throw permanent;
        },
        { ...fast, signal: new AbortController().signal, isPermanent: (e) => e instanceof RangeError },
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('rejects with the abort reason when aborted while waiting', async () => {
    const controller = new AbortController();
    const reason = new Error('stopping');
    const run = retryUntilDone(
      async () => {
        throw new Error('down');
      },
      { baseMs: 60_000, maxMs: 60_000, signal: controller.signal, onError: () => controller.abort(reason) },
    );
    await expect(run).rejects.toBe(reason);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stopping');
    const run = retryUntilDone(
      async (attempt) => {
        if (attempt === 2) controller.abort(reason);
        throw new Error('down');
      },
      { ...fast, signal: controller.signal },
    );
    await expect(run).rejects.toBe(reason);
  });
});
