import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openEtcdKv } from '../../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import { startTestApp, testConfig } from './app.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from './etcd.js';
import { startTestSimulator, type TestSimulator } from './sdp-sim.js';
import { tempDir } from './temp.js';

export type Replica = Awaited<ReturnType<typeof startTestApp>>;

/** Whether a suite of replicas on etcd runs here (and must, under CI=true). */
export const replicaSuitePolicy = etcdSuitePolicy();

/**
 * For a suite: two seghub replicas on one etcd (one key prefix), one simulator and one storage
 * directory, as production runs them; started before the suite's tests and stopped after them.
 */
export function replicaPairSuite(label: string): {
  replicas: () => [Replica, Replica];
  /** A client of the replicas' store (same etcd, same prefix), for a test to look at what they wrote. */
  store: () => KvStore;
} {
  let etcd: EtcdProcess | undefined;
  let store: KvStore | undefined;
  let sim: TestSimulator | undefined;
  let data: { dir: string; remove: () => Promise<void> } | undefined;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    if (replicaSuitePolicy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
    sim = await startTestSimulator();
    data = await tempDir(`seghub-${label}`);
    const prefix = `/t-${randomUUID()}/`;
    for (const name of ['a', 'b']) {
      const config = testConfig({
        ETCD_ENDPOINTS: etcd.endpoints.join(','),
        ETCD_PREFIX: prefix,
        DATA_DIR: path.join(data.dir, name),
        STORAGE_DIR: path.join(data.dir, 'segments'),
        SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
        SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      });
      replicas.push(await startTestApp(config));
    }
    store = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
  });
  afterAll(async () => {
    await store?.close();
    for (const replica of replicas) await replica.stop();
    await sim?.dispose();
    await etcd?.stop();
    await data?.remove();
  });
  return { replicas: () => replicas as [Replica, Replica], store: () => store as KvStore };
}
