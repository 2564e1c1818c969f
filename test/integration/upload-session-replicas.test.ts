import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import {
  completeSession,
  createSession,
  sha256Of,
  type TestSession,
} from '../support/fixtures/tus-upload.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();

/**
 * D12: session state and the tus lock live in the store, so any replica serves any request of a
 * session. Two replicas on one etcd and one storage directory, as production runs them.
 */
describe.runIf(policy.run || policy.missingInCi)('upload sessions across replicas on etcd', () => {
  let etcd: EtcdProcess;
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  const replicas: Awaited<ReturnType<typeof startTestApp>>[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
    sim = await startTestSimulator();
    data = await tempDir('seghub-upload-replicas');
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

  const request = (base: string, session: TestSession, method: string, offset?: number, body?: BodyInit) =>
    fetch(new URL(session.uploadUrl, base), {
      method,
      headers: {
        'tus-resumable': '1.0.0',
        authorization: `Bearer ${session.token}`,
        ...(offset === undefined
          ? {}
          : { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
      },
      ...(body && { body, duplex: 'half' }),
    } as RequestInit);

  it('takes a PATCH held open on one replica away for a HEAD on the other, and completes anywhere', async () => {
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const bytes = await buildSegmentZip(
      { name: 'roaming', version: '1.0.0' },
      { 'bin/x': randomBytes(256 * 1024) },
      { compression: 'STORE' },
    );
    const session = await createSession(a.url, { fileName: 'roaming.zip', size: bytes.length });
    // A PATCH on A whose client sent 1000 bytes and then went silent, holding the session's lock.
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(bytes.subarray(0, 1000)));
      },
    });
    const held = request(a.base, session, 'PATCH', 0, stalled).catch(() => undefined);
    // B asks A, through the store, to give the lock up; A ends its PATCH with what it received.
    // A checkpoints what it received before it releases the lock, so B's answer includes it.
    const head = await request(b.base, session, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('1000');
    await held;
    const rest = await request(b.base, session, 'PATCH', 1000, new Uint8Array(bytes.subarray(1000)));
    expect(rest.status).toBe(204);
    expect(await completeSession(a.url, session.id)).toMatchObject({
      __typename: 'UploadSegmentSuccess',
      segment: { sha256: sha256Of(bytes) },
    });
  });
});
