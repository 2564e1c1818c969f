import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk, waitForSyncStatus } from '../support/fixtures/segments.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/** What `/metrics` says about this process leading the controller. */
async function leads(app: SegmentApp): Promise<boolean> {
  const text = await (await fetch(`${app.base}/metrics`)).text();
  return /^seghub_controller_leader 1$/m.test(text);
}

const policy = etcdSuitePolicy();

describe.each([
  { kind: 'embedded', run: true },
  { kind: 'etcd', run: policy.run || policy.missingInCi },
])('two seghub servers on one $kind store', ({ kind, run }) => {
  let sim: TestSimulator;
  let shared: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess | undefined;
  let stores: KvStore[];
  let apps: SegmentApp[];

  /** etcd: a client each, as separate processes have. The embedded store admits one opener: shared. */
  async function openStores(): Promise<KvStore[]> {
    if (kind === 'embedded') {
      const store = await openEmbeddedKv({ dir: path.join(shared.dir, 'store') });
      return [store, store];
    }
    if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    etcd = await startEtcd();
    const prefix = `/leadership-${randomUUID()}/`;
    return [
      await openEtcdKv({ endpoints: etcd.endpoints, prefix }),
      await openEtcdKv({ endpoints: etcd.endpoints, prefix }),
    ];
  }

  beforeAll(async () => {
    if (!run) return;
    sim = await startTestSimulator();
    shared = await tempDir('seghub-shared');
    stores = await openStores();
    // One store and one storage directory, as two replicas behind a load balancer have.
    const env = { STORAGE_DIR: path.join(shared.dir, 'segments'), LEADER_LEASE_TTL_S: '2' };
    apps = [
      await startSegmentApp(env, { store: stores[0], sim }),
      await startSegmentApp(env, { store: stores[1], sim }),
    ];
  });

  afterAll(async () => {
    if (!run) return;
    for (const app of apps) await app.stop();
    for (const store of new Set(stores)) await store.close();
    await etcd?.stop();
    await sim.dispose();
    await shared.remove();
  });

  it.runIf(run)('runs exactly one controller, which syncs what either process receives, once', async () => {
    await waitFor(async () => (await Promise.all(apps.map(leads))).filter(Boolean).length === 1, {
      message: 'one leader',
    });
    const created = [];
    for (let i = 0; i < 6; i++) {
      const bytes = await buildSegmentZip({ name: 'replicated', version: `1.${i}.0` });
      created.push(await uploadOk(apps[i % 2]!.url, { bytes, fileName: 'replicated.zip' }));
    }
    for (const segment of created) await waitForSyncStatus(apps[0]!.url, segment.id, 'SYNCED');
    expect((await Promise.all(apps.map(leads))).filter(Boolean)).toHaveLength(1);
    const stats = sim.sim.platform('DEPLOY_PLATFORM').segments.stats();
    expect(stats.created).toBe(created.length);
    expect(stats.replayed).toBe(0);
  });

  it.runIf(run)('hands over to the other process when the leader stops', async () => {
    const leader = (await leads(apps[0]!)) ? apps[0]! : apps[1]!;
    const follower = leader === apps[0] ? apps[1]! : apps[0]!;
    await leader.stop();
    apps = [follower];
    await waitFor(() => leads(follower), { timeoutMs: 10_000, message: 'the follower to lead' });
    const bytes = await buildSegmentZip({ name: 'replicated', version: '2.0.0' });
    const segment = await uploadOk(follower.url, { bytes, fileName: 'replicated.zip' });
    await waitForSyncStatus(follower.url, segment.id, 'SYNCED');
  });
});
