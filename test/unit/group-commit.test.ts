import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/util/group-commit.js';

/** A flush the test completes by hand, recording the batches it was given. */
function manualFlush() {
  const batches: number[][] = [];
  const finishers: Array<(error?: Error) => void> = [];
  const flush = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      finishers.push((error) => (error ? reject(error) : resolve()));
    });
  const finish = async (error?: Error) => {
    finishers.shift()?.(error);
    // Let the next batch start.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, flush, finish };
}

describe('group commit', () => {
  it('flushes a lone item at once and what arrives meanwhile together, next', async () => {
    const { batches, flush, finish } = manualFlush();
    const commits = new GroupCommit(flush);
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const later = [commits.submit(2), commits.submit(3), commits.submit(4)];
    expect(batches).toHaveLength(1);
    await finish();
    await first;
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await finish();
    await Promise.all(later);
  });

  it('never waits on a flush that began before the item was submitted', async () => {
    const { batches, flush, finish } = manualFlush();
    const commits = new GroupCommit(flush);
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    let secondDone = false;
    const second = commits.submit(2).then(() => {
      secondDone = true;
    });
    await finish();
    await first;
    expect(secondDone).toBe(false);
    expect(batches.at(-1)).toEqual([2]);
    await finish();
    await second;
    expect(secondDone).toBe(true);
  });

  it('splits batches at maxBatch and fails every caller of a failed flush, only them', async () => {
    const { batches, flush, finish } = manualFlush();
    const commits = new GroupCommit(flush, 2);
    const first = commits.submit(0);
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = [1, 2, 3].map((n) =>
      commits.submit(n).then(
        () => 'written',
        (error: Error) => error.message,
      ),
    );
    await finish();
    await first;
    expect(batches).toEqual([[0], [1, 2]]);
    await finish(new Error('store unavailable'));
    expect(batches.at(-1)).toEqual([3]);
    await finish();
    expect(await Promise.all(outcomes)).toEqual(['store unavailable', 'store unavailable', 'written']);
  });
});
