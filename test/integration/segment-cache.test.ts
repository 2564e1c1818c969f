import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { segmentListOrder } from '../../src/domain/segments/segment-catalog.js';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { SegmentCache } from '../../src/records/segment-cache.js';
import { SegmentRecords, toStored } from '../../src/records/segment-records.js';
import { encodeSegmentRecord } from '../../src/records/segment-schema.js';
import { SegmentSeats } from '../../src/records/segment-seats.js';
import { putSegmentRecords, segmentRecord } from '../support/fixtures/segment-records.js';
import {
  type Backend,
  type BackendKind,
  putSegmentSeats,
  SEAT_BACKENDS,
  startBackend,
} from '../support/harness/seat-backends.js';

const log = pino({ level: 'silent' });

const BACKENDS = SEAT_BACKENDS.filter((b) => b.run);

/** A backend for the suite, and caches closed after each test. */
function cacheSuite(kind: BackendKind) {
  let backend: Backend;
  const caches: SegmentCache[] = [];
  beforeAll(async () => {
    backend = await startBackend(kind);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await backend?.dispose();
  });
  return {
    backend: () => backend,
    newCache(store: KvStore, options: { fenceAfterMs?: number } = {}) {
      const cache = new SegmentCache(store, { order: segmentListOrder, log, ...options });
      caches.push(cache);
      cache.start();
      return cache;
    },
  };
}

describe.each(BACKENDS)('the segment cache on the $kind store', ({ kind }) => {
  const suite = cacheSuite(kind);
  const newCache = suite.newCache;

  /** What the store holds, read directly: the truth the cache must match. */
  const truth = async (store: KvStore) => {
    const { kvs } = await store.range(keys.segments);
    return {
      segments: kvs
        .map(toStored)
        .sort(segmentListOrder)
        .map((s) => [s.id, s.modRevision]),
      seats: Object.fromEntries(await new SegmentSeats(store).all()),
    };
  };
  const cached = async (cache: SegmentCache, ids: readonly string[]) => {
    const view = await cache.fresh();
    return {
      segments: view.segments.map((s) => [s.id, s.modRevision]),
      seats: Object.fromEntries(
        ids.flatMap((id) => (view.seatsOf(id).length > 0 ? [[id, view.seatsOf(id)]] : [])),
      ),
    };
  };

  it('matches the store after listing while writers change it, and after every later write', async () => {
    const store = await suite.backend().openStore();
    const ids = Array.from({ length: 1500 }, (_, i) => `app-${i % 40}/1.${Math.floor(i / 40)}.0`);
    await putSegmentRecords(
      store,
      ids.slice(0, 1200).map((id) => segmentRecord(id)),
    );

    // Writers keep going while the cache lists (1000 per page) and starts its watch.
    const cache = newCache(store);
    const records = new SegmentRecords(store);
    const writing = (async () => {
      for (let i = 0; i < 300; i++) {
        const id = ids[(i * 7) % ids.length]!;
        if (i % 3 === 0) await store.delete(keys.segment(id));
        else
          await store.put(keys.segment(id), encodeSegmentRecord(segmentRecord(id, { description: `w${i}` })));
        if (i % 10 === 0) await putSegmentSeats(store, id, [`seat-${i}`]);
      }
    })();
    await writing;
    expect(await cached(cache, ids)).toEqual(await truth(store));

    const first = ids[0]!;
    await store.put(keys.segment(first), encodeSegmentRecord(segmentRecord(first)));
    const current = (await records.get(first))!;
    await records.update(current, { ...current.record, sync: { status: 'SYNCED', attempts: 0 } });
    await store.delete(keys.segmentSeats(ids[10]!));
    expect(await cached(cache, ids)).toEqual(await truth(store));
  });

  it('ignores the replayed history of keys it listed later than the watch started', async () => {
    const store = await suite.backend().openStore();
    // More than one list page (1000), so the second page is read after the watch's start revision.
    const ids = Array.from({ length: 1100 }, (_, i) => `app/${i}.0.0`);
    await putSegmentRecords(
      store,
      ids.map((id) => segmentRecord(id)),
    );
    const gate = gateLaterPages(store);
    const cache = newCache(gate.store);
    await gate.firstPageRead;
    // Changes to keys on the second page, made between the watch's start and the page's read: the
    // page shows their outcome, and the watch replays each step of how they got there.
    const recreated = ids[1050]!;
    await store.delete(keys.segment(recreated));
    await store.put(
      keys.segment(recreated),
      encodeSegmentRecord(segmentRecord(recreated, { description: 'again' })),
    );
    await store.put(
      keys.segment(ids[1060]!),
      encodeSegmentRecord(segmentRecord(ids[1060]!, { description: 'v2' })),
    );
    await putSegmentSeats(store, ids[1070]!, ['seat-a']);
    await store.delete(keys.segmentSeats(ids[1070]!));
    gate.open();
    expect(await cached(cache, ids)).toEqual(await truth(store));
    expect((await cache.fresh()).get(recreated)?.record.description).toBe('again');
  });

  it('joins long seat lists from their chunks, while listing and as they change (D2)', async () => {
    const store = await suite.backend().openStore();
    const ids = ['long/1.0.0', 'long/2.0.0', 'short/1.0.0'];
    await putSegmentRecords(
      store,
      ids.map((id) => segmentRecord(id)),
    );
    const seatNames = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `${tag}-${String(i).padStart(5, '0')}`);
    await putSegmentSeats(store, ids[0]!, seatNames(1_234, 'a'));
    const listed = newCache(store);
    expect(await cached(listed, ids)).toEqual(await truth(store));
    expect((await listed.fresh()).seatsOf(ids[0]!)).toHaveLength(1_234);

    // Chunks a crashed write left (no head names them): the next write of the list removes them.
    await store.put(keys.segmentSeatChunk(ids[1]!, 'crashed', 0), JSON.stringify({ s: ['z-1'] }));
    // Long to longer, long to short, short to long.
    await putSegmentSeats(store, ids[0]!, seatNames(2_001, 'b'));
    await putSegmentSeats(store, ids[1]!, seatNames(700, 'c'));
    await putSegmentSeats(store, ids[1]!, seatNames(3, 'd'));
    await putSegmentSeats(store, ids[2]!, seatNames(501, 'e'));
    const view = await listed.fresh();
    expect(await cached(listed, ids)).toEqual(await truth(store));
    expect([...view.segmentsOnSeat('b-02000')]).toEqual([ids[0]]);
    expect(view.segmentsOnSeat('a-00000').size).toBe(0);
    expect(view.segmentsOnSeat('c-00001').size).toBe(0);
    // Each list's chunks are only those of its current write; the short one has none.
    const chunkKeys = (await store.range(keys.segmentSeatChunksAll)).kvs.map((kv) => kv.key);
    expect(chunkKeys.filter((k) => k.startsWith(keys.segmentSeatChunksOf(ids[0]!)))).toHaveLength(5);
    expect(chunkKeys.filter((k) => k.startsWith(keys.segmentSeatChunksOf(ids[1]!)))).toHaveLength(0);
    expect(chunkKeys.filter((k) => k.startsWith(keys.segmentSeatChunksOf(ids[2]!)))).toHaveLength(2);
    // A second cache lists what the first followed.
    expect(await cached(newCache(store), ids)).toEqual(await truth(store));
  });

  it('shows a write the instant it was acknowledged, even one another replica made', async () => {
    const store = await suite.backend().openStore();
    const other = await suite.backend().openReplicaOf(store);
    const cache = newCache(store);
    await cache.fresh();
    for (let i = 0; i < 20; i++) {
      const id = `fresh/${i}.0.0`;
      await other.put(keys.segment(id), encodeSegmentRecord(segmentRecord(id)));
      // No waiting: the barrier inside fresh() is what makes the write visible.
      expect((await cache.fresh()).get(id)?.id).toBe(id);
    }
  });

  it('leaves an unreadable record out of lists and goes on', async () => {
    const store = await suite.backend().openStore();
    await store.put(keys.segment('broken/1.0.0'), '{"not":"a record"}');
    const cache = newCache(store);
    await store.put(keys.segment('ok/1.0.0'), encodeSegmentRecord(segmentRecord('ok/1.0.0')));
    await store.put(keys.segment('broken/2.0.0'), 'not json');
    const view = await cache.fresh();
    expect(view.segments.map((s) => s.id)).toEqual(['ok/1.0.0']);
  });
});

describe.each(BACKENDS.filter((b) => b.kind === 'etcd'))(
  'the segment cache on an etcd it shares',
  ({ kind }) => {
    const suite = cacheSuite(kind);

    it('proves progress with a fence write when the revision moved outside its prefix', async () => {
      const store = await suite.backend().openStore();
      const cache = suite.newCache(store, { fenceAfterMs: 20 });
      await cache.fresh();
      // Another tenant of the same etcd (its own prefix): its writes move the revision, but our
      // watch never reports them, so only our own write can show the cache is current.
      const tenant = await suite.backend().openStore();
      await tenant.put('anything', 'x');
      expect(cache.stats().fences).toBe(0);
      const view = await cache.fresh();
      expect(view.segments).toEqual([]);
      expect(await store.get(keys.readFence)).toBeDefined();
      expect(cache.stats()).toMatchObject({ records: 0, lists: 1, fences: 1 });
    });
  },
);

/** `store`, except that list pages after the first wait until `open()`. */
function gateLaterPages(store: KvStore) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let firstPage!: () => void;
  const firstPageRead = new Promise<void>((resolve) => {
    firstPage = resolve;
  });
  const gated: KvStore = Object.create(store);
  gated.range = async (prefix, options) => {
    if (prefix === keys.segments && options?.startAfter !== undefined) await opened;
    const result = await store.range(prefix, options);
    if (prefix === keys.segments && options?.startAfter === undefined) firstPage();
    return result;
  };
  return { store: gated, firstPageRead, open };
}
