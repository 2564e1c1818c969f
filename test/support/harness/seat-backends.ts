import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openEmbeddedKv } from '../../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import { InstallRecords } from '../../../src/records/install-records.js';
import { type InstallRecordValue, installHeadCodec } from '../../../src/records/install-schema.js';
import { keys } from '../../../src/records/keyspace.js';
import { SegmentSeats } from '../../../src/records/segment-seats.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from './etcd.js';
import { tempDir } from './temp.js';

/**
 * The stores seat suites run against: the embedded store always; etcd when it is on PATH (and in CI,
 * where a missing etcd fails the suite instead of skipping it).
 */
export type BackendKind = 'embedded' | 'etcd';

const etcdPolicy = etcdSuitePolicy();

export const SEAT_BACKENDS: { kind: BackendKind; run: boolean }[] = [
  { kind: 'embedded', run: true },
  { kind: 'etcd', run: etcdPolicy.run || etcdPolicy.missingInCi },
];

export interface Backend {
  readonly kind: BackendKind;
  /** A fresh, empty store (its own directory, or its own etcd prefix). */
  openStore(): Promise<KvStore>;
  /**
   * Another client of `store`'s data, as a second replica holds: a new etcd client on the same
   * prefix, or the store itself when embedded (one process admits one embedded store).
   */
  openReplicaOf(store: KvStore): Promise<KvStore>;
  /** Closes every store opened and stops what was started. */
  dispose(): Promise<void>;
}

export async function startBackend(kind: BackendKind): Promise<Backend> {
  const opened: KvStore[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  let etcd: EtcdProcess | undefined;
  const prefixes = new Map<KvStore, string>();
  const openEtcd = async (endpoints: string[], prefix: string) => {
    const store = await openEtcdKv({ endpoints, prefix });
    prefixes.set(store, prefix);
    opened.push(store);
    return store;
  };
  if (kind === 'etcd') {
    if (etcdPolicy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
  }
  return {
    kind,
    async openStore() {
      if (etcd) return openEtcd(etcd.endpoints, `/t-${randomUUID()}/`);
      const dir = await tempDir('seghub-seats');
      cleanups.push(dir.remove);
      const store = await openEmbeddedKv({ dir: path.join(dir.dir, 'store') });
      opened.push(store);
      return store;
    },
    async openReplicaOf(store) {
      const prefix = prefixes.get(store);
      if (!etcd) return store;
      if (prefix === undefined) throw new Error('not a store this backend opened');
      return openEtcd(etcd.endpoints, prefix);
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await etcd?.stop();
      await Promise.all(cleanups.map((cleanup) => cleanup()));
    },
  };
}

/** Puts a segment's seat list as a refresh from SDP does (in chunks when long). */
export async function putSegmentSeats(store: KvStore, segmentId: string, seats: string[]): Promise<void> {
  const records = new InstallRecords(store);
  const seatLockRevision = await records.seatLockRevision();
  const current = await new SegmentSeats(store).get(segmentId);
  const read = { revision: current.modRevision, chunkNonces: current.chunkNonces, seatLockRevision };
  if (!(await records.replaceSegmentSeats(segmentId, seats, new Date().toISOString(), read)))
    throw new Error(`the seat list of ${segmentId} changed while it was written`);
}

/** Puts an install record and the segment's `install-active/` marker naming it (whatever its status). */
export async function putInstallRecord(
  store: KvStore,
  recordId: string,
  record: Pick<InstallRecordValue, 'segmentId' | 'installSeats' | 'uninstallSeats' | 'status'>,
): Promise<void> {
  await store.put(
    keys.install(recordId),
    installHeadCodec.encode({ createdAt: new Date().toISOString(), ...record }),
  );
  await store.put(keys.activeInstall(record.segmentId), recordId);
}
