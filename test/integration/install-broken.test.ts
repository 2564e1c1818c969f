import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * A reconcile that fails the same way every time ends in a visible error state (#23.3), for
 * installs too. Regression: before, the install reconciler threw "has no log" on every attempt and
 * the record stayed RUNNING, retried with backoff forever and holding its segment's install lock.
 */
describe('an install record the controller cannot work on', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('ends FAILED with the reason and releases its lock, instead of looping', async () => {
    const id = 'broken/1.0.0/00000001';
    const record = {
      segmentId: 'broken/1.0.0',
      installSeats: ['seat-a'],
      uninstallSeats: [],
      status: 'RUNNING',
      createdAt: '2020-01-01T00:00:00.000Z',
      startedAt: '2020-01-01T00:00:01.000Z',
    };
    // A running record whose log is gone: no pass of the controller can ever make progress on it.
    await app.store.put(keys.activeInstall('broken/1.0.0'), id);
    await app.store.put(keys.install(id), JSON.stringify(record));

    const ended = await waitFor(
      async () => {
        const stored = JSON.parse((await app.store.get(keys.install(id)))?.value ?? '{}');
        return stored.status === 'FAILED' ? stored : undefined;
      },
      { timeoutMs: 20_000, message: 'the broken install ended FAILED' },
    );
    expect(ended.error).toBe(`internal error, not retried: Error: install ${id} has no log`);
    expect(ended.finishedAt).toBeDefined();
    expect(await app.store.get(keys.activeInstall('broken/1.0.0'))).toBeUndefined();
  });
});
