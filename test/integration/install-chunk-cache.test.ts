import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstallLog } from '../../src/domain/installs/install-log.js';
import type { KvStore } from '../../src/kv/kv.js';
import { readInstall, SeatChunkCache } from '../../src/records/install-chunks.js';
import { InstallRecords } from '../../src/records/install-records.js';
import type { InstallRecordValue } from '../../src/records/install-schema.js';
import { RecordDecodeError } from '../../src/records/json-codec.js';
import { keys } from '../../src/records/keyspace.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

/** Three chunks of 500: stored in chunks (D2). */
const SEATS = 1200;
const now = new Date('2026-12-08T00:00:00Z');
const names = Array.from({ length: SEATS }, (_, i) => `desk-${i}`);
const ips = names.map((_, i) => `10.0.${i >> 8}.${i & 255}`);

function record(segmentId: string): InstallRecordValue {
  return {
    segmentId,
    installSeats: names,
    uninstallSeats: [],
    status: 'PENDING',
    createdAt: now.toISOString(),
    origin: { kind: 'MANUAL' },
  };
}

async function createRecord(records: InstallRecords, segmentId: string): Promise<string> {
  const id = `${segmentId}/00001`;
  const guard = {
    segmentKeyRevision: 0,
    segmentSeatsRevision: 0,
    seatLockRevision: await records.seatLockRevision(),
  };
  const summary = InstallLog.fresh(id, SEATS, 1, now).summary;
  expect(await records.create(id, segmentId, record(segmentId), summary, guard)).toBeDefined();
  return id;
}

/** Deletes a record's seat chunks behind its back: only a read that skips them still finds the record. */
async function dropChunks(store: KvStore, id: string): Promise<void> {
  await store.deletePrefix(keys.installSeatsOf(id));
}

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'install seat chunks read once on the $kind store',
  ({ kind }) => {
    let backend: Backend;
    let store: KvStore;

    beforeAll(async () => {
      backend = await startBackend(kind);
      store = await backend.openStore();
    }, 60_000);
    afterAll(async () => {
      await backend?.dispose();
    });

    it('a record read again is whole from its head alone, and its plan adds the addresses once', async () => {
      const records = new InstallRecords(store);
      const id = await createRecord(records, 'cached/1.0.0');
      const created = (await records.get(id))!;
      const plan = { target: 'DEPLOY_PLATFORM' as const, segmentUid: 'uid-1', ips, tasks: [] };
      expect(await records.update(created, { ...created.record, status: 'RUNNING', plan }, [])).toBeDefined();
      // Read after the plan (names and addresses), then the chunks go: the same InstallRecords still reads it.
      const planned = (await records.get(id))!;
      planned.record.installSeats.reverse();
      planned.record.plan!.ips.fill(null);
      await dropChunks(store, id);
      const again = (await records.get(id))!;
      expect(again.record.status).toBe('RUNNING');
      expect(again.record.installSeats).toEqual(names);
      expect(again.record.plan?.ips).toEqual(ips);
      // Another replica (its own InstallRecords) has not read them: the record is damaged for it.
      const other = new InstallRecords(await backend.openReplicaOf(store));
      await expect(other.get(id)).rejects.toThrow(RecordDecodeError);
    });

    it('keeps at most its bound of seats: a record pushed out is read from its chunks again', async () => {
      const records = new InstallRecords(store);
      const first = await createRecord(records, 'first/1.0.0');
      const second = await createRecord(records, 'second/1.0.0');
      const cache = new SeatChunkCache(SEATS * 1.5);
      const read = async (id: string) => readInstall(store, (await store.get(keys.install(id)))!, cache);
      expect((await read(first)).record.installSeats).toHaveLength(SEATS);
      expect((await read(second)).record.installSeats).toHaveLength(SEATS);
      await dropChunks(store, first);
      await dropChunks(store, second);
      expect((await read(second)).record.installSeats).toEqual(names);
      await expect(read(first)).rejects.toThrow(RecordDecodeError);
    });
  },
);
