import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { waitFor } from '../support/harness/wait-for.js';

/** The in-process simulator's platforms stay up whatever etcd does. */
const SDP_UP = [
  { name: 'sdp:DEPLOY_PLATFORM', ok: true },
  { name: 'sdp:STORE_15S', ok: true },
];

const policy = etcdSuitePolicy();

async function readiness(base: string) {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: unknown[] } };
}

const becomes = (base: string, status: number, timeoutMs = 15_000) =>
  waitFor(async () => (await readiness(base)).status === status, { timeoutMs });

describe.runIf(policy.run || policy.missingInCi)('seghub server on etcd', () => {
  let etcd: EtcdProcess;

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  const config = () =>
    testConfig({ ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/t-${randomUUID()}/` });

  it('is ready on etcd, unready while etcd is down, and recovers without a restart', async () => {
    const server = await startTestApp(config());
    try {
      await becomes(server.base, 200);
      expect((await readiness(server.base)).body).toMatchObject({
        status: 'ready',
        checks: [{ name: 'store', ok: true, details: { kind: 'etcd' } }, ...SDP_UP],
      });

      await etcd.halt();
      await becomes(server.base, 503);
      expect((await readiness(server.base)).body).toMatchObject({
        status: 'unavailable',
        checks: [{ name: 'store', ok: false, reason: expect.any(String) }, ...SDP_UP],
      });
      // Regression (#22.5): today's main ends this reason in an empty "Resolution note:".
      const [store] = (await readiness(server.base)).body.checks as { reason: string }[];
      expect(store?.reason).not.toMatch(/Resolution note: *$/);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);

      await etcd.start();
      await becomes(server.base, 200);
    } finally {
      await etcd.start();
      await server.stop();
    }
  });

  it('starts while etcd is down and becomes ready when it comes up', async () => {
    await etcd.halt();
    let server: Awaited<ReturnType<typeof startTestApp>> | undefined;
    try {
      server = await startTestApp(config());
      expect((await readiness(server.base)).status).toBe(503);
      await etcd.start();
      await becomes(server.base, 200);
    } finally {
      await etcd.start();
      await server?.stop();
    }
  });
});
