import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSeats,
  followInstallLog,
  installOk,
  lastSeatStates,
  segmentSeatNames,
  syncedSegment,
} from '../support/fixtures/installs.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();

/**
 * The controller killed mid-install (at the worst moment: SDP has durably started the task and its
 * answer is not yet sent) and restarted. Two seghub processes share one etcd; the subscriber is on
 * the one that is never killed. Polling resumes, no task is started twice, and the log ends complete.
 */
describe.runIf(policy.run || policy.missingInCi)('seghub killed in the middle of an install (etcd)', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess;
  const processes: SeghubProcess[] = [];
  let base: Record<string, string>;

  beforeAll(async () => {
    if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-install-crash');
    etcd = await startEtcd();
    base = {
      HOST: '127.0.0.1',
      // Shared storage and one keyspace: two replicas of one deployment.
      DATA_DIR: path.join(data.dir, 'seghub'),
      ETCD_ENDPOINTS: etcd.endpoints.join(','),
      ETCD_PREFIX: `/install-crash-${randomUUID()}/`,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      LEADER_LEASE_TTL_S: '2',
      INSTALL_POLL_MS: '100',
    };
  }, 60_000);

  afterAll(async () => {
    for (const p of processes)
      if (p.child.exitCode === null && p.child.signalCode === null) p.signal('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  async function start(port: string): Promise<SeghubProcess> {
    const seghub = spawnSeghub({ ...base, PORT: port });
    processes.push(seghub);
    await seghub.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return seghub;
  }

  it('resumes polling after the crash, starts no task twice, and a subscriber elsewhere sees it all', async () => {
    const [port1, port2] = [String(await freePort()), String(await freePort())];
    const first = await start(port1);
    await first.waitForLog((line) => line.msg === 'leading: reconcilers started');
    const second = await start(port2);
    const url1 = `http://127.0.0.1:${port1}/graphql`;
    const url2 = `http://127.0.0.1:${port2}/graphql`;

    const seats = await addSeats(url1, 5, 'console');
    const segment = await syncedSegment(url1, 'crash-install');
    const platform = sim.sim.platform('DEPLOY_PLATFORM');
    platform.tasks.setBehaviour({ durationMs: 4000, jitter: 0.2 });
    const started: string[] = [];
    platform.tasks.events.once('started', (task) => {
      started.push(task.idempotencyKey);
      first.signal('SIGKILL'); // synchronous: the task is durable, its answer not yet sent
      platform.tasks.events.on('started', (later) => started.push(later.idempotencyKey));
    });

    // SDP stays down until the install has been answered: the kill must not cut that request.
    platform.faults.startOutage(60_000);
    const record = await installOk(
      url1,
      segment.id,
      seats.map((seat) => seat.id),
    );
    platform.faults.endOutage();
    const client = wsClient(url2);
    try {
      const following = followInstallLog(client, record.id);
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      await start(port1); // the killed replica comes back; either one may lead now
      const logs = await following;

      const percents = logs.map((log) => log.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(percents.at(-1)).toBe(100);
      expect(logs.at(-1)).toMatchObject({ status: 'SUCCEEDED', summary: { total: 5, succeeded: 5 } });
      const states = lastSeatStates(logs);
      expect(states.size).toBe(5);
      for (const seat of states.values()) expect(seat).toMatchObject({ state: 'SUCCEEDED', percent: 100 });
    } finally {
      await client.dispose();
    }
    // One task, started once: the new leader's StartTask was a replay of the killed one's.
    expect(started).toHaveLength(1);
    const replays = processes
      .flatMap((p) => p.logs)
      .filter((l) => l.msg === 'SDP task started' && l.replayed === true);
    expect(replays.length).toBeGreaterThanOrEqual(1);
    expect(await segmentSeatNames(url2, segment.id)).toEqual(seats.map((seat) => seat.name).sort());
    expect(second.logs.some((l) => l.msg === 'seghub is serving')).toBe(true);
  }, 120_000);
});
