import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstallLog } from '../../src/domain/installs/install-log.js';
import type { KvStore } from '../../src/kv/kv.js';
import { InstallRecords } from '../../src/records/install-records.js';
import type { InstallRecordValue } from '../../src/records/install-schema.js';
import { keys } from '../../src/records/keyspace.js';
import { SegmentSeats } from '../../src/records/segment-seats.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

const SEATS = 100_000;
/** D2: no value over 256 KiB. The etcd under test keeps its defaults: 1.5 MiB requests, 128 ops. */
const VALUE_LIMIT = 256 * 1024;
const segmentId = 'fleet/1.0.0';
const recordId = `${segmentId}/00001`;

const names = Array.from({ length: SEATS }, (_, i) => `workstation-${String(i).padStart(6, '0')}`);
const ips = names.map((_, i) =>
  i % 1000 === 7 ? null : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
);

function record(): InstallRecordValue {
  return {
    segmentId,
    installSeats: names,
    uninstallSeats: [],
    status: 'PENDING',
    createdAt: '2026-12-07T10:00:00.000Z',
    origin: { kind: 'MANUAL' },
  };
}

async function largestValue(store: KvStore): Promise<{ key: string; bytes: number }> {
  let largest = { key: '', bytes: 0 };
  for (let startAfter: string | undefined; ; ) {
    const page = await store.range('', { limit: 500, startAfter });
    for (const kv of page.kvs) {
      const bytes = Buffer.byteLength(kv.value);
      if (bytes > largest.bytes) largest = { key: kv.key, bytes };
    }
    if (!page.more) return largest;
    startAfter = page.kvs.at(-1)?.key;
  }
}

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'a 100,000-seat install record on the $kind store',
  ({ kind }) => {
    let backend: Backend;
    let store: KvStore;
    let records: InstallRecords;
    const now = new Date('2026-12-07T10:00:00Z');

    beforeAll(async () => {
      backend = await startBackend(kind);
      store = await backend.openStore();
      records = new InstallRecords(store);
    }, 60_000);
    afterAll(async () => {
      await backend?.dispose();
    });

    it('is created, planned, polled and finished with no value over 256 KiB, and reads back whole', async () => {
      const guard = { segmentKeyRevision: 0, segmentSeatsRevision: 0, seatLockRevision: 0 };
      const fresh = InstallLog.fresh(recordId, SEATS, 5, now);
      expect(await records.create(recordId, segmentId, record(), fresh.summary, guard)).toBeDefined();
      // A second create on the same reads loses, and leaves none of its chunks behind.
      const before = (await store.range(keys.installSeatsOf(recordId), { keysOnly: true })).count;
      expect(await records.create(recordId, segmentId, record(), fresh.summary, guard)).toBeUndefined();
      expect((await store.range(keys.installSeatsOf(recordId), { keysOnly: true })).count).toBe(before);

      const created = (await records.get(recordId))!;
      expect(created.record.installSeats).toEqual(names);
      const plan = { target: 'DEPLOY_PLATFORM' as const, segmentUid: 'uid-1', ips, tasks: [] };
      const planned = await records.update(created, { ...created.record, status: 'RUNNING', plan }, []);
      expect(planned).toBeDefined();
      expect((await records.get(recordId))?.record.plan?.ips).toEqual(ips);

      // A poll where every seat moved: all 200 log chunks change at once.
      const stored = (await records.readLog(recordId))!;
      const log = InstallLog.fromStored(stored);
      for (let i = 0; i < SEATS; i++) log.setSeat(i, { state: 'SUCCEEDED', percent: 100 });
      const summary = log.summarize('SUCCEEDED', now);
      const write = { summaryRevision: stored.summaryRevision, summary, chunks: log.takeDirty() };
      const current = (await records.get(recordId))!;
      const next: InstallRecordValue = {
        ...current.record,
        status: 'SUCCEEDED',
        finishedAt: now.toISOString(),
      };
      const list = { segmentId, list: names, revision: 0 };
      expect(await records.finish(current, next, write, [list], now.toISOString(), [])).toBe(true);

      const seats = await new SegmentSeats(store).get(segmentId);
      expect(seats.seats).toHaveLength(SEATS);
      expect(seats.seats[SEATS - 1]).toBe(names[SEATS - 1]);
      const ended = (await records.readLog(recordId))!;
      expect(ended.summary.succeeded).toBe(SEATS);
      expect(ended.chunks.every((chunk) => /^S+$/.test(chunk.s))).toBe(true);
      expect(await records.markers.activeFor(segmentId)).toBeUndefined();
      const largest = await largestValue(store);
      expect(largest.bytes, largest.key).toBeLessThan(VALUE_LIMIT);

      // Deleting the ended record takes its chunks with it.
      expect(await records.deleteEnded((await records.get(recordId))!, [])).toBe(true);
      expect((await store.range(keys.installSeatsOf(recordId), { keysOnly: true })).count).toBe(0);
    }, 120_000);
  },
);
