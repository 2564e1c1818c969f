import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const policy = etcdSuitePolicy();

/**
 * SPEC flow 3: "a crash between SDP's answer and the etcd update must not create the segment
 * twice". The simulator kills seghub in exactly that moment: the segment is durable on the platform
 * and its answer not yet sent.
 */
describe.each([
  { store: 'embedded', run: true },
  { store: 'etcd', run: policy.run || policy.missingInCi },
])('seghub killed after SDP accepted a segment ($store store)', ({ store, run }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess | undefined;
  let env: Record<string, string>;
  let seghub: SeghubProcess | undefined;

  beforeAll(async () => {
    if (!run) return;
    if (store === 'etcd' && policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-crash');
    etcd = store === 'etcd' ? await startEtcd() : undefined;
    env = {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      // The killed leader's lease must run out before the restarted process can lead.
      LEADER_LEASE_TTL_S: '2',
      ...(etcd ? { ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/crash-${randomUUID()}/` } : {}),
    };
  }, 60_000);

  afterAll(async () => {
    if (!run) return;
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await etcd?.stop();
    await sim.dispose();
    await data.remove();
  });

  async function start(): Promise<SeghubProcess> {
    const process = spawnSeghub(env);
    // Held at once, so afterAll stops it even when the test times out while it starts.
    seghub = process;
    await process.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return process;
  }

  it.runIf(run)(
    'creates it once: the restarted controller replays the create and records the uid',
    async () => {
      const url = `http://127.0.0.1:${env.PORT}/graphql`;
      const platform = sim.sim.platform('DEPLOY_PLATFORM');
      const victim = await start();
      const created = new Promise<string>((resolve) =>
        platform.segments.events.once('created', (segment) => {
          victim.signal('SIGKILL'); // synchronous: before the platform's answer is sent
          resolve(segment.uid);
        }),
      );
      const bytes = await buildSegmentZip(
        { name: 'crash-safe', version: '1.0.0' },
        { payload: 'x'.repeat(50_000) },
      );
      // SDP stays down until the upload has been answered: the kill must not cut the upload itself.
      platform.faults.startOutage(60_000);
      const segment = await uploadOk(url, { bytes, fileName: 'crash-safe.zip' });
      platform.faults.endOutage();
      const uid = await created;
      expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });

      await start();
      const synced = await waitForSyncStatus(url, segment.id, 'SYNCED', 30_000);
      expect(synced.remoteExtra?.uid).toBe(uid);
      expect(platform.segments.stats()).toMatchObject({ created: 1 });
      expect(platform.segments.stats().replayed).toBeGreaterThanOrEqual(1);
      await waitFor(() => platform.segments.list().length === 1, { message: 'one segment on the platform' });
    },
    // Two process starts and a sync retry: about 25 s on a loaded 2-core machine.
    120_000,
  );
});
