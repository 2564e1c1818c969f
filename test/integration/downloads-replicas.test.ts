import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();

/** Two replicas on one etcd and one storage directory, as production runs them. */
describe.runIf(policy.run || policy.missingInCi)('download tokens across replicas on etcd', () => {
  let etcd: EtcdProcess;
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  const replicas: Awaited<ReturnType<typeof startTestApp>>[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
    sim = await startTestSimulator();
    data = await tempDir('seghub-download-replicas');
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
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
    await sim?.dispose();
    await etcd?.stop();
    await data?.remove();
  });

  it('serves a URL issued by one replica from the other, and from the first again', async () => {
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const bytes = await buildSegmentZip(
      { name: 'shared', version: '1.0.0' },
      { 'bin/x': randomBytes(4096).toString('base64') },
    );
    const segment = await uploadOk(a.url, { bytes, fileName: 'shared-1.0.0.zip' });
    const answer = await httpGraphQL(a.url, SegmentDownloadUrl, { id: segment.id });
    const url = answer.data?.segment?.downloadUrl ?? '';

    const fromB = await fetch(`${b.base}${url}`, { headers: { range: 'bytes=10-' } });
    expect(fromB.status).toBe(206);
    expect(Buffer.from(await fromB.arrayBuffer()).equals(bytes.subarray(10))).toBe(true);
    const fromA = await fetch(`${a.base}${url}`);
    expect(fromA.status).toBe(200);
    expect(Buffer.from(await fromA.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
