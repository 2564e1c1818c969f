import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { RemoteSyncReports } from '../support/documents/segment-delete-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { corruptOnPlatform, createOnPlatform } from '../support/fixtures/remote-segments.js';
import {
  deleteSegment,
  segmentKeys,
  storedSegment,
  storeIdOf,
  syncRemote,
  waitForGone,
} from '../support/fixtures/segment-store-state.js';
import {
  storageContents,
  uploadOk,
  waitForFileGone,
  waitForSyncStatus,
} from '../support/fixtures/segments.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const policy = etcdSuitePolicy();
const BACKENDS = [
  { kind: 'embedded', run: true },
  { kind: 'etcd', run: policy.run || policy.missingInCi },
] as const;
type BackendKind = (typeof BACKENDS)[number]['kind'];

/** Only `syncRemote` syncs, unless a test asks for the periodic sync. */
const MANUAL = { REMOTE_SYNC_INTERVAL_MS: '3600000' };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One seghub deployment: its own store and storage, served by `replicas` processes sharing them. */
interface Instance {
  apps: SegmentApp[];
  url: string;
  store: KvStore;
  dataDir: string;
  stop(): Promise<void>;
}

async function startInstance(
  kind: BackendKind,
  sim: TestSimulator,
  options: { etcd?: EtcdProcess; env?: Record<string, string>; replicas?: number } = {},
): Promise<Instance> {
  const data = await tempDir('seghub-instance');
  const replicas = options.replicas ?? 1;
  const stores: KvStore[] = [];
  if (kind === 'embedded') {
    // The embedded store admits one opener: replicas share it, as processes share one etcd.
    const store = await openEmbeddedKv({ dir: path.join(data.dir, 'store') });
    for (let i = 0; i < replicas; i++) stores.push(store);
  } else {
    const prefix = `/remote-sync-${randomUUID()}/`;
    for (let i = 0; i < replicas; i++)
      stores.push(await openEtcdKv({ endpoints: options.etcd!.endpoints, prefix }));
  }
  const apps: SegmentApp[] = [];
  for (const store of stores) {
    apps.push(await startSegmentApp({ ...MANUAL, ...options.env }, { store, sim, dataDir: data.dir }));
  }
  // The leader syncs each target when its term starts: a test must not race that first pass.
  await waitFor(
    async () =>
      ((await httpGraphQL(apps[0]!.url, RemoteSyncReports)).data?.remoteSyncReports.length ?? 0) === 2,
    { message: 'the first remote-sync pass of both targets' },
  );
  return {
    apps,
    url: apps[0]!.url,
    store: stores[0]!,
    dataDir: data.dir,
    async stop() {
      for (const app of apps) await app.stop();
      for (const store of new Set(stores)) await store.close();
      await data.remove();
    },
  };
}

async function fileHash(dataDir: string, sha: string): Promise<string> {
  return sha256(await readFile(path.join(dataDir, 'segments', sha)));
}

for (const { kind, run } of BACKENDS) {
  describe.runIf(run)(`remote sync between two seghub instances sharing one SDP (${kind})`, () => {
    let etcd: EtcdProcess | undefined;
    let sim: TestSimulator;
    let first: Instance;
    /** Two replicas on one store: whichever does not lead must still answer syncRemote. */
    let second: Instance;

    beforeAll(async () => {
      if (kind === 'etcd') {
        if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
        etcd = await startEtcd();
      }
      sim = await startTestSimulator();
      first = await startInstance(kind, sim, { etcd });
      second = await startInstance(kind, sim, { etcd, replicas: 2 });
    });

    afterAll(async () => {
      await first?.stop();
      await second?.stop();
      await sim?.dispose();
      await etcd?.stop();
    });

    it('adds what the other uploaded (isLocal false, same bytes), and removes it once deleted there', async () => {
      const bytes = await buildSegmentZip({ name: `shared-${kind}`, version: '2.0.0' }, { 'bin/app': kind });
      const uploaded = await uploadOk(first.url, { bytes, fileName: 'shared.zip' });
      const { remoteExtra } = await waitForSyncStatus(first.url, uploaded.id, 'SYNCED');

      const added = [];
      for (const replica of second.apps) {
        // Asked of each replica in turn: one of them does not lead, and is answered through the store.
        const { report, reports } = await syncRemote(replica.url, 'DEPLOY_PLATFORM');
        expect(reports).toHaveLength(1);
        expect(report.target).toBe('DEPLOY_PLATFORM');
        expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
        expect(report.error).toBeNull();
        added.push(...report.added);
      }
      // Added by the first request; the second found it there already.
      expect(added).toEqual([
        {
          id: uploaded.id,
          name: `shared-${kind}`,
          version: '2.0.0',
          uid: remoteExtra!.uid,
          segment: {
            id: uploaded.id,
            isLocal: false,
            sha256: sha256(bytes),
            sync: { status: 'SYNCED' },
            remoteExtra: { uid: remoteExtra!.uid },
          },
        },
      ]);
      const copy = await storedSegment(second.store, uploaded.id);
      expect(copy?.record).toMatchObject({
        isLocal: false,
        sha256: sha256(bytes),
        size: bytes.length,
        sync: { status: 'SYNCED' },
        remoteExtra: { uid: remoteExtra!.uid },
        deleteStatus: 'NONE',
      });
      expect(await fileHash(second.dataDir, sha256(bytes))).toBe(sha256(bytes));
      // The first instance already had it: nothing of it is added back there.
      const own = await syncRemote(first.url, 'DEPLOY_PLATFORM');
      expect(own.report.added.map((a) => a.id)).not.toContain(uploaded.id);
      expect((await storedSegment(first.store, uploaded.id))?.record.isLocal).toBe(true);

      expect(await deleteSegment(first.url, uploaded.id)).toMatchObject({
        __typename: 'DeleteSegmentSuccess',
      });
      await waitForGone(first.store, uploaded.id);
      const { report } = await syncRemote(second.apps[1]!.url);
      expect(report.target).toBeNull();
      expect(report.removed).toEqual([
        { id: uploaded.id, name: `shared-${kind}`, version: '2.0.0', uid: remoteExtra!.uid, segment: null },
      ]);
      expect(await segmentKeys(second.store, uploaded.id)).toEqual([]);
      await waitForFileGone(second.dataDir, sha256(bytes));
    });

    it('reports the last pass of each target on remoteSyncReports, on every replica', async () => {
      await syncRemote(second.apps[0]!.url);
      for (const replica of second.apps) {
        const { data } = await httpGraphQL(replica.url, RemoteSyncReports);
        expect(data?.remoteSyncReports.map((r) => r.target).sort()).toEqual(['DEPLOY_PLATFORM', 'STORE_15S']);
      }
    });
  });
}

describe('remote sync: what it refuses, and its own schedule (embedded)', () => {
  let sim: TestSimulator;
  let first: Instance;
  let second: Instance;

  beforeAll(async () => {
    sim = await startTestSimulator();
    first = await startInstance('embedded', sim);
    second = await startInstance('embedded', sim);
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await sim?.dispose();
  });

  it('reports a remote file that does not match its hash, and records nothing', async () => {
    const bytes = await buildSegmentZip(
      { name: 'tampered', version: '1.0.0' },
      { 'bin/app': 'x'.repeat(5000) },
    );
    const uploaded = await uploadOk(first.url, { bytes, fileName: 'tampered.zip' });
    const { remoteExtra } = await waitForSyncStatus(first.url, uploaded.id, 'SYNCED');
    await corruptOnPlatform(first.apps[0]!, remoteExtra!.uid);

    const { report } = await syncRemote(second.url, 'DEPLOY_PLATFORM');
    const failure = report.failed.find((f) => f.uid === remoteExtra!.uid);
    expect(failure).toMatchObject({ name: 'tampered', version: '1.0.0' });
    expect(failure?.reason).toMatch(/hash/);
    expect(await storedSegment(second.store, uploaded.id)).toBeUndefined();
    expect(await storageContents(second.dataDir)).toEqual({ files: [], temp: [] });
  });

  it('reports a remote file whose segment.json names another segment, and records nothing', async () => {
    const bytes = await buildSegmentZip({ name: 'honest', version: '1.0.0' });
    const remote = await createOnPlatform(first.apps[0]!, bytes, { name: 'liar', version: '1.0.0' });

    const { report } = await syncRemote(second.url, 'DEPLOY_PLATFORM');
    expect(report.failed).toContainEqual({
      uid: remote.uid,
      name: 'liar',
      version: '1.0.0',
      reason: expect.stringMatching(/segment\.json names honest 1\.0\.0/),
    });
    expect(await storedSegment(second.store, encodeGlobalID('Segment', 'liar/1.0.0'))).toBeUndefined();
    expect(await segmentKeys(second.store, encodeGlobalID('Segment', 'honest/1.0.0'))).toEqual([]);
    expect(await storageContents(second.dataDir)).toEqual({ files: [], temp: [] });
  });

  it('reports a platform it cannot list, and answers the request anyway', async () => {
    const platform = sim.sim.platform('STORE_15S');
    platform.faults.startOutage(60_000);
    try {
      const { report } = await syncRemote(second.url, 'STORE_15S');
      expect(report.error).toMatch(/ListSegments.*UNAVAILABLE/);
      expect(report.addedCount + report.removedCount).toBe(0);
    } finally {
      platform.faults.endOutage();
    }
  });

  it('runs every REMOTE_SYNC_INTERVAL_MS on its own', async () => {
    const third = await startInstance('embedded', sim, { env: { REMOTE_SYNC_INTERVAL_MS: '1000' } });
    try {
      // Its first passes (at start-up) are over before the segment exists.
      await waitFor(
        async () => (await httpGraphQL(third.url, RemoteSyncReports)).data?.remoteSyncReports.length === 2,
        {
          message: 'the first passes',
        },
      );
      const bytes = await buildSegmentZip({ name: 'scheduled', version: '1.0.0' });
      const uploaded = await uploadOk(first.url, { bytes, fileName: 'scheduled.zip' });
      await waitForSyncStatus(first.url, uploaded.id, 'SYNCED');
      await waitFor(async () => (await storedSegment(third.store, uploaded.id))?.record.isLocal === false, {
        timeoutMs: 10_000,
        message: `${storeIdOf(uploaded.id)} synced in by the schedule`,
      });

      await deleteSegment(first.url, uploaded.id);
      await waitForGone(third.store, uploaded.id);
      await waitForFileGone(third.dataDir, sha256(bytes));
    } finally {
      await third.stop();
    }
  });
});
