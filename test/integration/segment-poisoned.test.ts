import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { segmentRecord } from '../support/fixtures/segment-records.js';
import { getSegment } from '../support/fixtures/segments.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * A reconcile that fails the same way every time ends in a visible error state (#23.3). The record
 * here was stored before manifests were bounded: metadata nested so deep that encoding the record
 * overflows the stack, so every write of it fails with a RangeError.
 */
describe('a segment record no write can encode', () => {
  let app: SegmentApp;

  beforeAll(async () => {
    app = await startSegmentApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  // Regression: on today's main the create-sync reconciler retries the RangeError forever, and the
  // record stays PENDING without a lastError.
  it('ends FAILED with the reason, its unstorable metadata removed, instead of looping', async () => {
    const id = 'poison/1.0.0';
    const levels = 50_000;
    const { metadata: _, ...rest } = segmentRecord(id, { createdAt: '2020-01-01T00:00:00.000Z' });
    // Built as text: JSON.stringify of this value is exactly what overflows.
    const value = `${JSON.stringify(rest).slice(0, -1)},"metadata":{"deep":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    await app.store.put(keys.segment(id), value);

    const failed = await waitFor(
      async () => {
        const stored = JSON.parse((await app.store.get(keys.segment(id)))?.value ?? '{}');
        return stored.sync?.status === 'FAILED' ? stored : undefined;
      },
      { timeoutMs: 20_000, message: 'the poisoned segment FAILED' },
    );
    expect(failed.sync.lastError).toMatch(
      /^internal error, not retried: RangeError: .*the metadata could not be stored/,
    );
    expect(failed.metadata).toEqual({});
    const globalId = Buffer.from(`Segment:${id}`).toString('base64');
    expect(await getSegment(app.url, globalId)).toMatchObject({ metadata: {}, sync: { status: 'FAILED' } });
  });
});
