import { status } from '@grpc/grpc-js';
import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentFieldsFragment } from '../generated/graphql.js';
import { RetrySegmentSync, SegmentUpdated } from '../support/documents/segment-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { getSegment, uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { httpGraphQL, wsClient } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

const RETRY_MAX = 4;

describe('create-sync through SDP faults', () => {
  let app: SegmentApp;
  let serial = 0;

  beforeAll(async () => {
    app = await startSegmentApp({ SYNC_RETRY_MAX: String(RETRY_MAX), SYNC_RETRY_BASE_MS: '60' });
  });

  afterEach(() => {
    for (const target of ['DEPLOY_PLATFORM', 'STORE_15S'] as const) {
      app.sim.sim.platform(target).faults.clear();
      app.sim.sim.platform(target).faults.endOutage();
    }
  });

  afterAll(async () => {
    await app.stop();
  });

  const deploy = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const upload = async () => {
    const bytes = await buildSegmentZip({ name: 'flaky', version: `1.0.${serial++}` });
    return uploadOk(app.url, { bytes, fileName: 'flaky.zip' });
  };

  /**
   * Every state segments pass through, as a graphql-ws subscriber to all segments sees it. Resolves
   * once the subscription is known to be live (it has seen a probe upload), so the caller's next
   * upload cannot fail before the subscriber is listening.
   */
  async function watchSegments() {
    const client = wsClient(app.url);
    const states: SegmentFieldsFragment[] = [];
    const unsubscribe = client.subscribe(
      { query: print(SegmentUpdated), variables: {} },
      {
        next: (r) => states.push((r.data as { segmentUpdated: SegmentFieldsFragment }).segmentUpdated),
        error: () => {},
        complete: () => {},
      },
    );
    const probe = await upload();
    await waitFor(() => states.some((s) => s.id === probe.id), { message: 'the subscription to be live' });
    return {
      of: (id: string) => states.filter((s) => s.id === id),
      async close() {
        unsubscribe();
        await client.dispose();
      },
    };
  }

  it('retries errors with growing intervals until SDP accepts the segment', async () => {
    const watcher = await watchSegments();
    deploy().faults.set({ errorRate: { CreateSegment: 1 }, errorCode: status.UNAVAILABLE });
    const segment = await upload();
    await waitFor(() => watcher.of(segment.id).some((s) => s.sync.attempts >= RETRY_MAX - 1), {
      message: 'three failed attempts',
    });
    deploy().faults.clear();
    const synced = await waitForSyncStatus(app.url, segment.id, 'SYNCED');
    await waitFor(() => watcher.of(segment.id).at(-1)?.sync.status === 'SYNCED', {
      message: 'the SYNCED event',
    });
    await watcher.close();

    expect(synced.sync).toMatchObject({ status: 'SYNCED', attempts: RETRY_MAX - 1, lastError: null });
    expect(synced.remoteExtra?.uid).toEqual(expect.any(String));
    // Each failure is recorded with its reason and a later next attempt, further away each time.
    const failures = watcher.of(segment.id).filter((s) => s.sync.status === 'PENDING' && s.sync.attempts > 0);
    expect(failures.map((s) => s.sync.attempts)).toEqual([1, 2, 3]);
    for (const failed of failures) expect(failed.sync.lastError).toMatch(/UNAVAILABLE|unavailable/i);
    const intervals = failures.map(
      (s) => Date.parse(s.sync.nextAttemptAt!) - Date.parse(s.sync.lastAttemptAt!),
    );
    expect(intervals[1]!).toBeGreaterThan(intervals[0]!);
    expect(intervals[2]!).toBeGreaterThan(intervals[1]!);
    expect(deploy().segments.stats().created).toBeGreaterThanOrEqual(1);
  });

  it('rides out an outage and syncs once the platform is back', async () => {
    deploy().faults.startOutage(60_000);
    const segment = await upload();
    await waitFor(async () => ((await getSegment(app.url, segment.id))?.sync.attempts ?? 0) >= 2, {
      message: 'two attempts during the outage',
    });
    deploy().faults.endOutage();
    const synced = await waitForSyncStatus(app.url, segment.id, 'SYNCED');
    expect(synced.sync.attempts).toBeGreaterThanOrEqual(2);
  });

  it(`gives up after ${RETRY_MAX} attempts with the reason; retrySegmentSync starts over`, async () => {
    deploy().faults.set({ errorRate: { CreateSegment: 1 }, errorCode: status.UNAVAILABLE });
    const segment = await upload();
    const failed = await waitForSyncStatus(app.url, segment.id, 'FAILED');
    expect(failed.sync).toMatchObject({ status: 'FAILED', attempts: RETRY_MAX, nextAttemptAt: null });
    expect(failed.sync.lastError).toMatch(/UNAVAILABLE|unavailable/i);
    expect(failed.remoteExtra).toBeNull();

    deploy().faults.clear();
    const retried = await httpGraphQL(app.url, RetrySegmentSync, { id: segment.id });
    expect(retried.data?.retrySegmentSync).toMatchObject({
      __typename: 'RetrySegmentSyncSuccess',
      segment: { sync: { attempts: 0 } },
    });
    const synced = await waitForSyncStatus(app.url, segment.id, 'SYNCED');
    expect(synced.remoteExtra?.uid).toEqual(expect.any(String));
  });

  it('fails at once, without retrying, when SDP refuses the segment for good', async () => {
    deploy().faults.set({ errorRate: { CreateSegment: 1 }, errorCode: status.INVALID_ARGUMENT });
    const segment = await upload();
    const failed = await waitForSyncStatus(app.url, segment.id, 'FAILED');
    expect(failed.sync.attempts).toBe(1);
    expect(failed.sync.lastError).toMatch(/INVALID_ARGUMENT|invalid/i);
  });

  it('answers retrySegmentSync for an unknown id with SEGMENT_NOT_FOUND', async () => {
    const result = await httpGraphQL(app.url, RetrySegmentSync, { id: 'U2VnbWVudDpub3BlLzEuMA==' });
    expect(result.data?.retrySegmentSync).toMatchObject({
      __typename: 'SegmentNotFoundError',
      code: 'SEGMENT_NOT_FOUND',
    });
  });
});
