import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSeats, followInstallLog, installOk, syncedSegment } from '../support/fixtures/installs.js';
import { etcdSuitePolicy } from '../support/harness/etcd.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { type SuiteEtcd, startSuiteEtcd } from '../support/harness/suite-etcd.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();
const LEADING = 'leading: reconcilers started';

/**
 * Replicas on one etcd with the default leader lease (10 s): exactly one leads; a SIGKILLed leader
 * is replaced within 15 s while a subscriber on a survivor keeps receiving progress; a SIGTERMed
 * leader hands over at once instead of after its lease.
 *
 * The etcd is the three-member cluster (issue 29; `rollout-failover` covers one member), and its
 * leader is SIGKILLed together with seghub's: the replicas fail over while etcd does.
 */
describe.runIf(policy.run || policy.missingInCi)('failover between seghub replicas (etcd of 3)', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: SuiteEtcd;
  let env: Record<string, string>;
  const replicas: SeghubProcess[] = [];

  beforeAll(async () => {
    if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-failover');
    etcd = await startSuiteEtcd(3);
    env = {
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      ETCD_ENDPOINTS: etcd.endpoints.join(','),
      ETCD_PREFIX: `/failover-${randomUUID()}/`,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      INSTALL_POLL_MS: '200',
      AUTH_DISABLED: 'true',
    };
  }, 60_000);

  afterAll(async () => {
    for (const p of replicas)
      if (p.child.exitCode === null && p.child.signalCode === null) p.signal('SIGTERM');
    await Promise.all(replicas.map((p) => p.exited));
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  async function start(): Promise<{ process: SeghubProcess; url: string }> {
    const port = await freePort();
    const process = spawnBuilt('main.js', { ...env, PORT: String(port) });
    replicas.push(process);
    await process.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return { process, url: `http://127.0.0.1:${port}/graphql` };
  }

  const leads = (p: SeghubProcess) => p.logs.some((line) => line.msg === LEADING);

  it('keeps one leader, replaces a killed one within 15 s, and a subscriber elsewhere sees the install end', async () => {
    const a = await start();
    await a.process.waitForLog((line) => line.msg === LEADING);
    const b = await start();
    const c = await start();
    const seats = await addSeats(a.url, 4, 'failover');
    const segment = await syncedSegment(a.url, 'failover');
    expect([a, b, c].filter((r) => leads(r.process))).toEqual([a]);

    // Long enough that the install is still running when the successor takes over.
    sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 14_000, jitter: 0.1 });
    const record = await installOk(
      b.url,
      segment.id,
      seats.map((seat) => seat.id),
    );
    const client = wsClient(c.url);
    try {
      let killedAt = Number.POSITIVE_INFINITY;
      const afterKill: number[] = [];
      const following = followInstallLog(client, record.id, (log) => {
        if (Date.now() > killedAt) afterKill.push(log.percent);
      });
      await a.process.waitForLog((line) => line.msg === 'SDP task started');
      a.process.signal('SIGKILL');
      killedAt = Date.now();
      const etcdCrash = etcd.crash(); // the first crash of the cluster is its leader's
      await a.process.exited;
      expect(await etcdCrash).toMatch(/etcd leader/);

      const successor = await Promise.race(
        [b, c].map((r) => r.process.waitForLog((line) => line.msg === LEADING, 15_000).then(() => r)),
      );
      expect([b, c].filter((r) => leads(r.process))).toEqual([successor]);
      const logs = await following;
      expect(logs.at(-1)).toMatchObject({ status: 'SUCCEEDED', percent: 100 });
      expect(afterKill.length).toBeGreaterThan(0);
      expect(afterKill.at(-1)).toBe(100);

      // SIGTERM: the leader resigns on the way out, and the standby leads long before a lease (10 s) could expire.
      const standby = successor === b ? c : b;
      successor.process.signal('SIGTERM');
      await standby.process.waitForLog((line) => line.msg === LEADING, 5000);
      expect(await successor.process.exited).toMatchObject({ code: 0 });
    } finally {
      await client.dispose();
    }
  }, 120_000);
});
