import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { toStored } from '../../src/records/segment-records.js';
import { RemoteSyncReports } from '../support/documents/segment-delete-documents.js';
import { writeLargeSegmentZip } from '../support/fixtures/archives.js';
import { storeIdOf, syncRemote } from '../support/fixtures/segment-store-state.js';
import { getSegment, storageContents, uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SdpGate, startSdpGate } from '../support/harness/sdp-gate.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { freePort, tempDir } from '../support/harness/temp.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';

const policy = etcdSuitePolicy();

const MIB = 1024 * 1024;
/** Remote segments the crashed pass has to import, in the order SDP lists (and seghub downloads) them. */
const SEGMENT_COUNT = 5;
/** The crash hits the third download: two segments are imported, one is half-way, two are untouched. */
const CRASH_AT = 2;
/** Large enough that the cut-off download is visibly partial, small enough to keep the test quick. */
const PAYLOAD_BYTES = 4 * MIB;
/** What B may still receive once its download of the crash segment has begun: a quarter of the file. */
const HELD_AFTER_BYTES = 1 * MIB;
/** Only the start-of-term pass and `syncRemote` sync: the reports the test reads are the ones it caused. */
const MANUAL = { REMOTE_SYNC_INTERVAL_MS: '3600000' };

interface RemoteSegment {
  id: string;
  name: string;
  version: string;
  uid: string;
  sha256: string;
  size: number;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The first download in progress in `tmpDir` that has received bytes. */
async function partialDownload(tmpDir: string): Promise<{ name: string; size: number } | undefined> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith('remote-') && n.endsWith('.part'))) {
    const { size } = await stat(path.join(tmpDir, name)).catch(() => ({ size: 0 }));
    if (size > 0) return { name, size };
  }
  return undefined;
}

async function deployReport(url: string) {
  const { data, errors } = await httpGraphQL(url, RemoteSyncReports);
  if (errors?.length) throw new Error(JSON.stringify(errors));
  return data?.remoteSyncReports.find((report) => report.target === 'DEPLOY_PLATFORM');
}

/**
 * SPEC flow 9 and issue 5: "a sync interrupted by a crash resumes cleanly". Seghub A uploads
 * segments to a shared simulator; seghub B, a real `npm start` process with its own store and
 * storage, imports them in its start-of-term remote sync pass and is killed with SIGKILL in the
 * middle of the third download, with bytes of it on disk. The restarted B must finish the job as if
 * nothing had happened: each segment recorded once, its bytes in storage, no temp file left over
 * (on etcd, only the crash's own leftover, until it has been idle long enough), nothing reported
 * failed, and further passes with nothing to do.
 */
describe.each([
  { store: 'embedded', run: true },
  { store: 'etcd', run: policy.run || policy.missingInCi },
])('seghub killed in the middle of a remote sync download ($store store)', ({ store, run }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess | undefined;
  let uploader: SegmentApp | undefined;
  let gate: SdpGate | undefined;
  let env: Record<string, string>;
  let dataDir: string;
  let url: string;
  let seghub: SeghubProcess | undefined;

  beforeAll(async () => {
    if (!run) return;
    if (store === 'etcd' && policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-remote-sync-crash');
    etcd = store === 'etcd' ? await startEtcd() : undefined;
    uploader = await startSegmentApp(MANUAL, { sim });
    gate = await startSdpGate(sim.sim.platform('DEPLOY_PLATFORM').address);
    dataDir = path.join(data.dir, 'seghub-b');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    env = {
      ...MANUAL,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SDP_DEPLOY_ADDR: gate.address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      // The killed leader's lease must run out before the restarted process can lead.
      LEADER_LEASE_TTL_S: '2',
      ...(etcd
        ? { ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/remote-sync-crash-${randomUUID()}/` }
        : {}),
    };
  }, 60_000);

  afterAll(async () => {
    if (!run) return;
    vi.restoreAllMocks();
    if (seghub && seghub.child.exitCode === null && seghub.child.signalCode === null) {
      seghub.signal('SIGTERM');
    }
    if (seghub) await seghub.exited;
    await gate?.close();
    await uploader?.stop();
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  /** A's segments, each SYNCED before the next is uploaded: SDP lists them in this order. */
  async function uploadRemoteSegments(app: SegmentApp): Promise<RemoteSegment[]> {
    const segments: RemoteSegment[] = [];
    for (let i = 0; i < SEGMENT_COUNT; i++) {
      const name = `remote-crash-${store}`;
      const version = `1.0.${i}`;
      const file = path.join(data.dir, `${name}-${version}.zip`);
      await writeLargeSegmentZip(file, { name, version, payloadBytes: PAYLOAD_BYTES });
      const uploaded = await uploadOk(app.url, { path: file });
      const synced = await waitForSyncStatus(app.url, uploaded.id, 'SYNCED', 30_000);
      segments.push({
        id: uploaded.id,
        name,
        version,
        uid: synced.remoteExtra!.uid,
        sha256: uploaded.sha256,
        size: uploaded.size,
      });
    }
    return segments;
  }

  async function openStore(): Promise<KvStore> {
    if (etcd) return openEtcdKv({ endpoints: etcd.endpoints, prefix: env.ETCD_PREFIX! });
    return openEmbeddedKv({ dir: path.join(dataDir, 'store') });
  }

  it.runIf(run)(
    'resumes after the restart: each segment imported once with its bytes, nothing failed, nothing left to do',
    async () => {
      const platform = sim.sim.platform('DEPLOY_PLATFORM');
      const remote = await uploadRemoteSegments(uploader!);
      const crashed = remote[CRASH_AT]!;
      const tmpDir = path.join(dataDir, 'segments', '.tmp');

      // The simulator has no download event, but DownloadSegment looks the segment up by uid before
      // it sends a byte, and B's pass is the only caller that asks for this uid. From that moment the
      // gate lets a quarter of the file through and holds the rest, so B is stuck mid-file, with bytes
      // on disk, until it is killed: the moment is the same on every run, whatever the machine's speed.
      const lookup = platform.segments.get.bind(platform.segments);
      let downloadStarted!: () => void;
      const started = new Promise<void>((resolve) => {
        downloadStarted = resolve;
      });
      vi.spyOn(platform.segments, 'get').mockImplementation((uid) => {
        if (uid === crashed.uid) {
          gate!.hold(HELD_AFTER_BYTES);
          downloadStarted();
        }
        return lookup(uid);
      });

      const victim = spawnSeghub(env);
      seghub = victim;
      await withTimeout(started, 60_000, `B's download of ${crashed.version}`);
      const partial = await waitFor(() => partialDownload(tmpDir), {
        timeoutMs: 10_000,
        message: `bytes of ${crashed.version} in ${tmpDir}`,
      });
      victim.signal('SIGKILL');
      expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });

      // What the crash left: the two finished imports in place, the third one's bytes cut short.
      const before = await storageContents(dataDir);
      expect(before.files).toEqual(
        remote
          .slice(0, CRASH_AT)
          .map((s) => s.sha256)
          .sort(),
      );
      expect(before.temp).toEqual([partial.name]);
      const { size: leftover } = await stat(path.join(tmpDir, partial.name));
      expect(leftover).toBeGreaterThan(0);
      expect(leftover).toBeLessThan(crashed.size);

      vi.restoreAllMocks();
      gate!.open();
      const restartedAt = Date.now();
      const restarted = spawnSeghub(env);
      seghub = restarted;
      await restarted.waitForLog((line) => line.msg === 'seghub is serving', 30_000);

      // The new term's first pass finishes what the killed one started, and only that.
      const resumed = await waitFor(() => deployReport(url), {
        timeoutMs: 60_000,
        intervalMs: 100,
        message: 'the restarted start-of-term pass over DEPLOY_PLATFORM',
      });
      expect(Date.parse(resumed.startedAt)).toBeGreaterThanOrEqual(restartedAt);
      expect(resumed).toMatchObject({
        error: null,
        failed: [],
        removed: [],
        failedCount: 0,
        removedCount: 0,
      });
      expect(resumed.added.map((a) => ({ id: a.id, uid: a.uid }))).toEqual(
        remote.slice(CRASH_AT).map((s) => ({ id: s.id, uid: s.uid })),
      );

      const { report: first } = await syncRemote(url, 'DEPLOY_PLATFORM');
      expect(first).toMatchObject({ error: null, addedCount: 0, removedCount: 0, failedCount: 0 });

      for (const [index, segment] of remote.entries()) {
        const copy = await getSegment(url, segment.id);
        expect(copy).toMatchObject({
          id: segment.id,
          name: segment.name,
          version: segment.version,
          isLocal: false,
          sha256: segment.sha256,
          size: segment.size,
          sync: { status: 'SYNCED' },
          remoteExtra: { uid: segment.uid },
          deleteStatus: 'NONE',
        });
        // Imported before the crash means kept, not imported again.
        const createdBeforeCrash = Date.parse(copy!.createdAt) < restartedAt;
        expect(createdBeforeCrash, `${segment.version} created before the crash`).toBe(index < CRASH_AT);
      }
      const after = await storageContents(dataDir);
      expect(after.files).toEqual(remote.map((s) => s.sha256).sort());
      for (const segment of remote) {
        expect(await fileSha256(path.join(dataDir, 'segments', segment.sha256))).toBe(segment.sha256);
      }
      if (store === 'embedded') {
        // One process owns the embedded store and its storage: at start-up every temp file is a leftover.
        expect(after.temp).toEqual([]);
      } else {
        // With etcd, replicas may share the storage directory, so the start-up sweep only removes
        // temp files idle for IDLE_GRACE_MS (10 minutes, src/app/storage-sweep.ts): the crash's partial
        // download is still there, and nothing of the resumed pass is.
        expect(after.temp).toEqual([partial.name]);
      }

      const { report: second } = await syncRemote(url, 'DEPLOY_PLATFORM');
      expect(second).toMatchObject({ added: [], removed: [], failed: [], error: null });
      expect(await deployReport(url)).toMatchObject({ failed: [], failedCount: 0, error: null });
      // B's imported records are SYNCED: it never created anything on SDP.
      expect(platform.segments.list().map((s) => s.uid)).toEqual(remote.map((s) => s.uid));
      expect(platform.segments.stats().created).toBe(SEGMENT_COUNT);

      // The store itself, read once B has stopped: one record per remote segment, and no request left.
      restarted.signal('SIGTERM');
      await restarted.exited;
      const kv = await openStore();
      try {
        const records = (await kv.range(keys.segments)).kvs.map(toStored);
        expect(records.map((s) => s.id).sort()).toEqual(remote.map((s) => storeIdOf(s.id)).sort());
        for (const segment of remote) {
          expect(records.find((s) => s.id === storeIdOf(segment.id))?.record).toMatchObject({
            isLocal: false,
            sha256: segment.sha256,
            remoteExtra: { uid: segment.uid },
          });
        }
        expect((await kv.range(keys.remoteSyncRequests)).kvs).toEqual([]);
      } finally {
        await kv.close();
      }
    },
    180_000,
  );
});
