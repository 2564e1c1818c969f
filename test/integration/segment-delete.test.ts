import { status } from '@grpc/grpc-js';
import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentDeleteUpdatesSubscription } from '../generated/graphql.js';
import { SegmentDeleteState, SegmentDeleteUpdates } from '../support/documents/segment-delete-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { createOnPlatform } from '../support/fixtures/remote-segments.js';
import {
  deleteSegment,
  segmentKeys,
  storedSegment,
  storeIdOf,
  syncRemote,
  waitForGone,
  writeInstallState,
} from '../support/fixtures/segment-store-state.js';
import {
  storageContents,
  uploadOk,
  waitForFileGone,
  waitForSyncStatus,
} from '../support/fixtures/segments.js';
import { httpGraphQL, wsClient } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

const RETRY_MAX = 3;

describe('deleteSegment', () => {
  let app: SegmentApp;
  let serial = 0;

  beforeAll(async () => {
    app = await startSegmentApp({ SYNC_RETRY_MAX: String(RETRY_MAX), SYNC_RETRY_BASE_MS: '50' });
  });

  afterEach(() => {
    deploy().faults.clear();
  });

  afterAll(async () => {
    await app.stop();
  });

  const deploy = () => app.sim.sim.platform('DEPLOY_PLATFORM');
  const remoteNames = () =>
    deploy()
      .segments.list()
      .map((s) => `${s.name}/${s.version}`);

  /** A fresh segment, synced to the deployment platform unless told otherwise. */
  async function synced(name = 'doomed') {
    const bytes = await buildSegmentZip({ name, version: `1.0.${serial++}` }, { 'bin/app': `${serial}` });
    const segment = await uploadOk(app.url, { bytes, fileName: `${name}.zip` });
    const ready = await waitForSyncStatus(app.url, segment.id, 'SYNCED');
    return { ...ready, uid: ready.remoteExtra!.uid };
  }

  async function deleteState(id: string) {
    const result = await httpGraphQL(app.url, SegmentDeleteState, { id });
    return result.data?.segment ?? null;
  }

  it('answers SEGMENT_NOT_FOUND for an unknown id, and for an id that names no segment', async () => {
    for (const id of ['U2VnbWVudDpub3BlLzEuMA==', 'not-a-global-id']) {
      expect(await deleteSegment(app.url, id)).toMatchObject({
        __typename: 'SegmentNotFoundError',
        code: 'SEGMENT_NOT_FOUND',
      });
    }
  });

  it('refuses a segment installed on seats, and leaves the store as it was', async () => {
    const segment = await synced();
    await writeInstallState(app.store, segment.id, { seats: ['seat-a', 'seat-b'] });
    const before = await storedSegment(app.store, segment.id);

    expect(await deleteSegment(app.url, segment.id)).toMatchObject({
      __typename: 'SegmentInstalledError',
      code: 'SEGMENT_INSTALLED',
      seatCount: 2,
      installRunning: false,
    });
    expect(await storedSegment(app.store, segment.id)).toEqual(before);
    expect(before?.record.deleteStatus).toBe('NONE');
    expect(remoteNames()).toContain(storeIdOf(segment.id));
  });

  it('refuses a segment with an install running, and leaves the store as it was', async () => {
    const segment = await synced();
    await writeInstallState(app.store, segment.id, { running: true });
    const before = await storedSegment(app.store, segment.id);

    expect(await deleteSegment(app.url, segment.id)).toMatchObject({
      __typename: 'SegmentInstalledError',
      code: 'SEGMENT_INSTALLED',
      seatCount: 0,
      installRunning: true,
    });
    expect(await storedSegment(app.store, segment.id)).toEqual(before);
    expect(await segmentKeys(app.store, segment.id)).toContain(`install-active/${storeIdOf(segment.id)}`);
  });

  it('deletes on SDP, then removes the record, seat list, install records and logs, and the file', async () => {
    const segment = await synced();
    // Uninstalled everywhere: an empty seat list does not block, and goes with the segment.
    await writeInstallState(app.store, segment.id, { seats: [], records: true });
    const deletedBefore = deploy().segments.stats().deleted;
    const updates = follow(segment.id);
    await waitFor(() => updates.events.length === 1, { message: 'the first event' });

    const answer = await deleteSegment(app.url, segment.id);
    expect(answer).toMatchObject({
      __typename: 'DeleteSegmentSuccess',
      segment: { id: segment.id, deleteStatus: 'PROCESSING', deleteError: null },
    });
    await waitForGone(app.store, segment.id);

    expect(await segmentKeys(app.store, segment.id)).toEqual([]);
    await waitForFileGone(app.dataDir, segment.sha256);
    expect(deploy().segments.get(segment.uid)).toBeUndefined();
    expect(deploy().segments.stats().deleted).toBe(deletedBefore + 1);
    expect(await deleteState(segment.id)).toBeNull();

    // segmentUpdated: the transition, then the tombstone (the last state, `deleted`), then the end.
    // A subscriber that falls behind gets the latest state of a key only: the PROCESSING event may
    // be folded into the tombstone, which carries that state.
    await updates.completed;
    const seen = updates.events.map((e) => `${e.deleteStatus}${e.deleted ? ' deleted' : ''}`);
    expect(seen.join(', ')).toMatch(/^NONE, (PROCESSING, )?PROCESSING deleted$/);
    expect(updates.events.at(-1)).toMatchObject({ id: segment.id, sha256: segment.sha256 });
  });

  it('answers an already PROCESSING delete with success and sends SDP no second request', async () => {
    // The first delete hangs on SDP, so the segment stays PROCESSING while the second call comes.
    deploy().faults.set({ hang: { DeleteSegment: true } });
    const segment = await synced();
    const deletedBefore = deploy().segments.stats().deleted;
    const first = await deleteSegment(app.url, segment.id);
    expect(first).toMatchObject({
      __typename: 'DeleteSegmentSuccess',
      segment: { deleteStatus: 'PROCESSING' },
    });
    const processing = await storedSegment(app.store, segment.id);

    const second = await deleteSegment(app.url, segment.id);
    expect(second).toMatchObject({
      __typename: 'DeleteSegmentSuccess',
      segment: { deleteStatus: 'PROCESSING' },
    });
    expect(await storedSegment(app.store, segment.id)).toEqual(processing);

    deploy().faults.clear();
    await waitForGone(app.store, segment.id);
    expect(deploy().segments.stats().deleted).toBe(deletedBefore + 1);
  });

  it('retries SDP failures with backoff, then FAILED with the reason; a second call finishes the job', async () => {
    const segment = await synced();
    deploy().faults.set({ errorRate: { DeleteSegment: 1 }, errorCode: status.UNAVAILABLE });
    await deleteSegment(app.url, segment.id);
    const failed = await waitFor(
      async () => {
        const s = await deleteState(segment.id);
        return s?.deleteStatus === 'FAILED' ? s : undefined;
      },
      { timeoutMs: 15_000, message: 'deleteStatus FAILED' },
    );

    expect(failed).toMatchObject({ deleteAttempts: RETRY_MAX, deleteNextAttemptAt: null });
    expect(failed.deleteError).toMatch(/DeleteSegment.*UNAVAILABLE/);
    // Nothing was removed: record, file and the platform's copy are all still there.
    expect((await storageContents(app.dataDir)).files).toContain(segment.sha256);
    expect(deploy().segments.get(segment.uid)).toBeDefined();

    deploy().faults.clear();
    const retried = await deleteSegment(app.url, segment.id);
    expect(retried).toMatchObject({
      __typename: 'DeleteSegmentSuccess',
      segment: { deleteStatus: 'PROCESSING', deleteError: null, deleteAttempts: 0 },
    });
    await waitForGone(app.store, segment.id);
    expect(deploy().segments.get(segment.uid)).toBeUndefined();
    await waitForFileGone(app.dataDir, segment.sha256);
  });

  it('fails at once when SDP refuses for good (the segment is installed on devices there)', async () => {
    const segment = await synced();
    deploy().faults.set({ errorRate: { DeleteSegment: 1 }, errorCode: status.FAILED_PRECONDITION });
    await deleteSegment(app.url, segment.id);
    const failed = await waitFor(
      async () => {
        const s = await deleteState(segment.id);
        return s?.deleteStatus === 'FAILED' ? s : undefined;
      },
      { message: 'deleteStatus FAILED' },
    );
    expect(failed).toMatchObject({ deleteAttempts: 1 });
    expect(failed.deleteError).toMatch(/FAILED_PRECONDITION/);

    deploy().faults.clear();
    await deleteSegment(app.url, segment.id);
    await waitForGone(app.store, segment.id);
  });

  it('removes a segment that never reached SDP without asking SDP to delete anything', async () => {
    deploy().faults.set({ errorRate: { CreateSegment: 1 }, errorCode: status.INVALID_ARGUMENT });
    const bytes = await buildSegmentZip({ name: 'never-synced', version: '1.0.0' });
    const segment = await uploadOk(app.url, { bytes, fileName: 'never-synced.zip' });
    await waitForSyncStatus(app.url, segment.id, 'FAILED');
    deploy().faults.clear();
    const deletedBefore = deploy().segments.stats().deleted;

    await deleteSegment(app.url, segment.id);
    await waitForGone(app.store, segment.id);
    expect(deploy().segments.stats().deleted).toBe(deletedBefore);
    await waitForFileGone(app.dataDir, segment.sha256);
  });

  it('deletes what a create in flight put on SDP: the segment does not come back', async () => {
    // SDP holds the segment but has not answered yet when the delete is requested.
    const held = holdCreateAnswers();
    try {
      const bytes = await buildSegmentZip({ name: 'raced', version: '1.0.0' }, { 'bin/app': 'raced' });
      const before = deploy().segments.stats();
      const segment = await uploadOk(app.url, { bytes, fileName: 'raced.zip' });
      await held.created;
      expect(await deleteSegment(app.url, segment.id)).toMatchObject({ __typename: 'DeleteSegmentSuccess' });
      held.release();
      await waitForGone(app.store, segment.id);

      // SDP created it and deleted it again: the uid the late answer carried was deleted.
      const after = deploy().segments.stats();
      expect([after.created - before.created, after.deleted - before.deleted]).toEqual([1, 1]);
      expect(remoteNames()).not.toContain('raced/1.0.0');
      const { report } = await syncRemote(app.url, 'DEPLOY_PLATFORM');
      expect(report.added.map((a) => a.name)).not.toContain('raced');
      expect(await storedSegment(app.store, segment.id)).toBeUndefined();
      await waitForFileGone(app.dataDir, segment.sha256);
    } finally {
      held.release();
      held.restore();
    }
  });

  /** The platform creates segments as usual but answers only once released. */
  function holdCreateAnswers() {
    const store = deploy().segments;
    const original = store.create;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let created = () => {};
    const createdOnce = new Promise<void>((resolve) => {
      created = resolve;
    });
    store.create = async (...args) => {
      const answer = await original.apply(store, args);
      created();
      await gate;
      return answer;
    };
    return { created: createdOnce, release, restore: () => (store.create = original) };
  }

  it('deletes the copy of a create whose answer was lost (no uid recorded) by name, version and hash', async () => {
    deploy().faults.set({ errorRate: { CreateSegment: 1 }, errorCode: status.INVALID_ARGUMENT });
    const bytes = await buildSegmentZip({ name: 'lost-answer', version: '1.0.0' });
    const segment = await uploadOk(app.url, { bytes, fileName: 'lost-answer.zip' });
    await waitForSyncStatus(app.url, segment.id, 'FAILED');
    deploy().faults.clear();
    // What a create that reached SDP, and whose answer never came back, leaves there.
    const orphan = await createOnPlatform(app, bytes, { name: 'lost-answer', version: '1.0.0' });

    await deleteSegment(app.url, segment.id);
    await waitForGone(app.store, segment.id);
    expect(deploy().segments.get(orphan.uid)).toBeUndefined();
  });

  /** segmentUpdated(id) over graphql-ws, collected until it completes. */
  function follow(id: string) {
    const client = wsClient(app.url);
    const events: SegmentDeleteUpdatesSubscription['segmentUpdated'][] = [];
    const completed = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: print(SegmentDeleteUpdates), variables: { id } },
        {
          next: (r) => events.push((r.data as SegmentDeleteUpdatesSubscription).segmentUpdated),
          error: reject,
          complete: resolve,
        },
      );
    }).finally(() => client.dispose());
    return { events, completed };
  }
});
