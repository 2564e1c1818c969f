import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmentEvents, type SegmentUpdate } from '../../src/domain/segments/segment-events.js';
import { SegmentService } from '../../src/domain/segments/segment-service.js';
import { syncFailed, syncSucceeded } from '../../src/domain/segments/sync-state.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore, Watch } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { SegmentRecords, type StoredSegment } from '../../src/records/segment-records.js';
import { encodeSegmentRecord, type SegmentRecord } from '../../src/records/segment-schema.js';
import { openFileStorage } from '../../src/storage/file-storage.js';
import { catalogOf } from '../support/fixtures/segment-catalog.js';
import { segmentRecord } from '../support/fixtures/segment-records.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';
import { trackWatches } from '../support/harness/watch.js';

const logger = pino({ level: 'silent' });
const retry = { retryMax: 3, retryBaseMs: 1000 };
const NOW = new Date('2024-05-01T12:00:00.000Z');

let kv: KvStore;
let openWatches: Set<Watch>;
let records: SegmentRecords;
let events: SegmentEvents;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  const temp = await tempDir('seghub-segment-events');
  removeDir = temp.remove;
  kv = await openEmbeddedKv({ dir: path.join(temp.dir, 'kv') });
  openWatches = trackWatches(kv).open;
  records = new SegmentRecords(kv);
  const storage = await openFileStorage(path.join(temp.dir, 'segments'), { logger });
  // The catalog's cache opens its watch only when first asked; these tests never ask it.
  const segments = new SegmentService({
    records,
    catalog: catalogOf(kv).catalog,
    storage,
    maxUploadBytes: 1024,
    retry,
  });
  events = new SegmentEvents(kv, segments, logger);
});

afterEach(async () => {
  await events.close();
  await kv.close();
  await removeDir();
});

async function created(id: string, overrides: Partial<SegmentRecord> = {}): Promise<StoredSegment> {
  const outcome = await records.create(id, segmentRecord(id, overrides));
  if (!outcome.created) throw new Error(`${id} exists already`);
  return outcome.segment;
}

async function updated(current: StoredSegment, next: SegmentRecord): Promise<StoredSegment> {
  const segment = await records.update(current, next);
  if (!segment) throw new Error(`${current.id} changed meanwhile`);
  return segment;
}

/**
 * Reads `updates(id)` in the background. The first `next()` runs synchronously up to the hub
 * subscription, so every write made after this returns is seen.
 */
function follow(id: string | undefined, signal = new AbortController().signal) {
  const seen: SegmentUpdate[] = [];
  const done = (async () => {
    for await (const segment of events.updates(id, signal)) seen.push(segment);
  })();
  return { seen, done };
}

const summary = (s: StoredSegment) => `${s.id}@${s.modRevision} ${s.record.sync.status}`;

describe('SegmentEvents.updates(id)', () => {
  it('yields the current record, then each later change, then a tombstone when the record is deleted, and ends', async () => {
    const id = 'billing/1.0.0';
    const first = await created(id);
    await created('other/1.0.0');
    const sub = follow(id);
    await waitFor(() => sub.seen.length === 1, { message: 'the current record' });
    expect(sub.seen[0]).toEqual(first);

    const failed = await updated(
      first,
      syncFailed(first.record, { reason: 'down', permanent: false }, retry, NOW),
    );
    await waitFor(() => sub.seen.length === 2, { message: 'the first change' });
    await created('billing/2.0.0'); // another segment, even of the same name: not this one's change
    const synced = await updated(failed, syncSucceeded(failed.record, 'uid-1', NOW));
    await waitFor(() => sub.seen.length === 3, { message: 'the second change' });

    const { revision: deletedAt } = await kv.delete(keys.segment(id));
    await withTimeout(sub.done, 2000, 'the iteration after the delete');
    // The tombstone is the last state with `deleted` set, at the revision of the delete.
    expect(sub.seen).toEqual([first, failed, synced, { ...synced, modRevision: deletedAt, deleted: true }]);
    expect(sub.seen.map(summary)).toEqual([
      `${id}@${first.modRevision} PENDING`,
      `${id}@${failed.modRevision} PENDING`,
      `${id}@${synced.modRevision} SYNCED`,
      `${id}@${deletedAt} SYNCED`,
    ]);
    expect(synced.modRevision).toBeLessThan(deletedAt);
    expect(sub.seen[2]?.record.remoteExtra).toEqual({ uid: 'uid-1' });
  });

  it('sends a change once when the first read already includes it', async () => {
    const id = 'billing/1.0.0';
    const first = await created(id);
    const write = records.update(first, syncSucceeded(first.record, 'uid-1', NOW));
    // The embedded store applies the write in the next check phase and then syncs it to disk; a
    // read arriving meanwhile is served once that write is durable, after the watch is in place.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const sub = follow(id);
    const synced = (await write)!;
    await waitFor(() => sub.seen.length >= 1, { message: 'the current record' });
    expect(sub.seen[0]).toEqual(synced);

    const next = await updated(synced, { ...synced.record, description: 'later' });
    await waitFor(() => sub.seen.length >= 2, { message: 'the next change' });
    expect(sub.seen.map((s) => s.modRevision)).toEqual([synced.modRevision, next.modRevision]);
  });

  it('ends at once for a segment that does not exist, or an id that cannot name one', async () => {
    for (const id of ['missing/1.0.0', 'not an id']) {
      const sub = follow(id);
      await withTimeout(sub.done, 2000, `updates(${id})`);
      expect(sub.seen).toEqual([]);
    }
  });

  it('leaves no subscription behind when it ends because the segment does not exist', async () => {
    // BUG (src/domain/segments/segment-events.ts, updates): when `segments.get(id)` finds nothing
    // the generator returns before it ever iterates its hub subscription, so nothing unregisters
    // it: the subscriber stays in the hub (and keeps the shared store watch open, queueing events)
    // until the signal aborts. `cancellable()` aborts only on return()/throw(), which GraphQL does
    // not call when the source ends by itself, so each `segmentUpdated(id: <missing>)` leaks one.
    const sub = follow('missing/1.0.0');
    await withTimeout(sub.done, 2000, 'updates() of a missing segment');
    await waitFor(() => openWatches.size === 0, {
      timeoutMs: 1000,
      message: 'the store watch to close once no subscription is left',
    });
  });

  it('releases its subscription when it ends because the segment was deleted', async () => {
    const id = 'billing/1.0.0';
    await created(id);
    const sub = follow(id);
    await waitFor(() => sub.seen.length === 1, { message: 'the current record' });
    expect(openWatches.size).toBe(1);
    await kv.delete(keys.segment(id));
    await withTimeout(sub.done, 2000, 'the iteration after the delete');
    await waitFor(() => openWatches.size === 0, { message: 'the store watch to close' });
  });

  it('re-reads the record when changes were compacted away before the watch saw them', async () => {
    const id = 'billing/1.0.0';
    const first = await created(id);
    const sub = follow(id);
    await waitFor(() => sub.seen.length === 1, { message: 'the current record' });

    // Both writes and the compaction are applied as one batch: the hub's watch gets `compacted`.
    const { revision } = await kv.ping();
    const latest = { ...first.record, description: 'second write' };
    await Promise.all([
      kv.put(keys.segment(id), encodeSegmentRecord({ ...first.record, description: 'first write' })),
      kv.put(keys.segment(id), encodeSegmentRecord(latest)),
      kv.compact(revision + 2),
    ]);
    await waitFor(() => sub.seen.length === 2, { message: 'the re-read record' });
    expect(sub.seen[1]).toEqual({ ...first, record: latest, modRevision: revision + 2 });
  });

  it('sends a tombstone and ends when a compaction hid that the record was deleted', async () => {
    const id = 'billing/1.0.0';
    const first = await created(id);
    const sub = follow(id);
    await waitFor(() => sub.seen.length === 1, { message: 'the current record' });

    const { revision } = await kv.ping();
    await Promise.all([
      kv.put(keys.segment(id), encodeSegmentRecord({ ...first.record, description: 'x' })),
      kv.delete(keys.segment(id)),
      kv.compact(revision + 2),
    ]);
    await withTimeout(sub.done, 2000, 'the iteration after the hidden delete');
    expect(sub.seen).toEqual([first, { ...first, deleted: true }]);
  });

  it('ends while idle when its signal aborts', async () => {
    const id = 'billing/1.0.0';
    await created(id);
    const controller = new AbortController();
    const sub = follow(id, controller.signal);
    await waitFor(() => sub.seen.length === 1, { message: 'the current record' });

    controller.abort();
    await withTimeout(sub.done, 1000, 'the aborted iteration');
    expect(sub.seen).toHaveLength(1);
    await waitFor(() => openWatches.size === 0, { message: 'the store watch to close' });
  });
});

describe('SegmentEvents.updates(undefined)', () => {
  it('yields changes to every segment from the moment it subscribed, and nothing from before', async () => {
    const old = await created('billing/1.0.0');
    const gone = await created('gone/1.0.0');
    const sub = follow(undefined);

    const oldSynced = await updated(old, syncSucceeded(old.record, 'uid-1', NOW));
    await kv.put('meta/unrelated', 'x');
    await kv.put(keys.segment('broken/1.0.0'), 'not json'); // logged and skipped
    const { revision: goneAt } = await kv.delete(keys.segment('gone/1.0.0')); // a tombstone
    const fresh = await created('fresh/2.0.0');
    await waitFor(() => sub.seen.length >= 3, { message: 'the three changes' });

    const last = await updated(fresh, { ...fresh.record, description: 'changed' });
    await waitFor(() => sub.seen.length >= 4, { message: 'the fourth change' });
    expect(sub.seen).toEqual([oldSynced, { ...gone, modRevision: goneAt, deleted: true }, fresh, last]);
  });

  it('ends while idle when its signal aborts', async () => {
    const controller = new AbortController();
    const sub = follow(undefined, controller.signal);
    const segment = await created('billing/1.0.0');
    await waitFor(() => sub.seen.length === 1, { message: 'the first change' });
    expect(sub.seen).toEqual([segment]);

    controller.abort();
    await withTimeout(sub.done, 1000, 'the aborted iteration');
    await waitFor(() => openWatches.size === 0, { message: 'the store watch to close' });
  });

  it('ends every follower when the events are closed', async () => {
    await created('billing/1.0.0');
    const one = follow('billing/1.0.0');
    const all = follow(undefined);
    await waitFor(() => one.seen.length === 1, { message: 'the current record' });
    await events.close();
    await withTimeout(Promise.all([one.done, all.done]), 1000, 'the iterations after close()');
    expect(openWatches.size).toBe(0);
  });
});
