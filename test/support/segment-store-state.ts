import { decodeGlobalID } from '@pothos/plugin-relay';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { SegmentRecords, type StoredSegment } from '../../src/records/segment-records.js';
import { segmentSeatsCodec } from '../../src/records/segment-seats.js';
import { httpGraphQL } from './graphql-client.js';
import { DeleteSegment, SyncRemote } from './segment-delete-documents.js';
import { waitFor } from './wait-for.js';

/** The store id (`name/version`) inside a Segment's global id. */
export function storeIdOf(globalId: string): string {
  return decodeGlobalID(globalId).id;
}

/** The record as the store holds it now, or undefined. */
export function storedSegment(store: KvStore, globalId: string): Promise<StoredSegment | undefined> {
  return new SegmentRecords(store).get(storeIdOf(globalId));
}

/** Every key that belongs to the segment, record included: what a removal must leave empty. */
export async function segmentKeys(store: KvStore, globalId: string): Promise<string[]> {
  const id = storeIdOf(globalId);
  const single = [keys.segment(id), keys.segmentSeats(id), keys.activeInstall(id)];
  const present = await Promise.all(single.map(async (key) => ((await store.get(key)) ? [key] : [])));
  const prefixed = await Promise.all(
    [keys.segmentInstalls(id), keys.segmentInstallLogs(id)].map(async (p) =>
      (await store.range(p)).kvs.map((kv) => kv.key),
    ),
  );
  return [...present.flat(), ...prefixed.flat()].sort();
}

/** What an install leaves behind, written as the install side does: seat list, record, log, marker. */
export async function writeInstallState(
  store: KvStore,
  globalId: string,
  state: { seats?: string[]; running?: boolean; records?: boolean },
): Promise<void> {
  const id = storeIdOf(globalId);
  if (state.seats) {
    const value = segmentSeatsCodec.encode({
      seats: state.seats,
      updatedAt: new Date().toISOString(),
      source: 'INSTALL',
    });
    await store.put(keys.segmentSeats(id), value);
  }
  if (state.running) await store.put(keys.activeInstall(id), `${id}/1`);
  if (state.records) {
    // Not valid install records: the install reconciler skips what it cannot read.
    await store.put(keys.install(`${id}/1`), '{"test":"install record"}');
    await store.put(keys.installLogSummary(`${id}/1`), '{"test":"install log"}');
  }
}

export async function deleteSegment(url: string, id: string) {
  const result = await httpGraphQL(url, DeleteSegment, { id });
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.deleteSegment;
}

export async function syncRemote(url: string, target?: 'DEPLOY_PLATFORM' | 'STORE_15S') {
  const result = await httpGraphQL(url, SyncRemote, { target });
  if (result.errors?.length || !result.data) throw new Error(JSON.stringify(result.errors));
  const answer = result.data.syncRemote;
  if (answer.__typename !== 'SyncRemoteSuccess') throw new Error(`syncRemote: ${JSON.stringify(answer)}`);
  return answer;
}

/** Waits until the store no longer holds the segment's record. */
export function waitForGone(store: KvStore, globalId: string, timeoutMs = 15_000) {
  return waitFor(async () => (await storedSegment(store, globalId)) === undefined, {
    timeoutMs,
    intervalMs: 50,
    message: `segment ${storeIdOf(globalId)} removed`,
  });
}
