import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSeats,
  installOk,
  segmentSeatNames,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import { installUpgradeOk, seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();

/**
 * D3: an upgrade is one unit of work a crash cannot leave half done. seghub is killed at the moment
 * SDP has durably started one of the upgrade's tasks and not yet answered: INSTALL_FIRST in its second
 * step (v2 installed, v1's removal just started), UNINSTALL_FIRST in its first (v1's removal just
 * started). The restarted controller replays instead of repeating, and every seat ends on exactly v2.
 */
describe.each([
  { store: 'embedded', run: true },
  { store: 'etcd', run: policy.run || policy.missingInCi },
])('seghub killed in the middle of an upgrade ($store store)', ({ store, run }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess | undefined;
  let env: Record<string, string>;
  let seghub: SeghubProcess | undefined;
  let url: string;
  let allSeats: Awaited<ReturnType<typeof addSeats>>;

  beforeAll(async () => {
    if (!run) return;
    if (store === 'etcd' && policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-upgrade-crash');
    etcd = store === 'etcd' ? await startEtcd() : undefined;
    const port = String(await freePort());
    url = `http://127.0.0.1:${port}/graphql`;
    env = {
      PORT: port,
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      LEADER_LEASE_TTL_S: '2',
      INSTALL_POLL_MS: '100',
      ...(etcd
        ? { ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/upgrade-crash-${randomUUID()}/` }
        : {}),
    };
    seghub = await start();
    allSeats = await addSeats(url, 100, 'upgrade-seat');
  }, 60_000);

  afterAll(async () => {
    if (!run) return;
    if (seghub?.child.exitCode === null && seghub.child.signalCode === null) seghub.signal('SIGTERM');
    await seghub?.exited;
    await etcd?.stop();
    await sim.dispose();
    await data.remove();
  });

  async function start(): Promise<SeghubProcess> {
    // Built once by the global setup; npm start would rebuild on every restart.
    const process = spawnBuilt('main.js', env);
    await process.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return process;
  }

  it.runIf(run).each([
    { order: 'INSTALL_FIRST' as const, killAtTask: 2 },
    { order: 'UNINSTALL_FIRST' as const, killAtTask: 1 },
  ])(
    '$order, killed when task $killAtTask started: every seat runs exactly v2',
    async ({ order, killAtTask }) => {
      const prefix = order === 'INSTALL_FIRST' ? 'if' : 'uf';
      const seats = order === 'INSTALL_FIRST' ? allSeats.slice(0, 50) : allSeats.slice(50);
      const name = `crash-upgrade-${prefix}`;
      const v1 = await syncedSegment(url, name, '1.0.0');
      const v2 = await syncedSegment(url, name, '2.0.0');
      const ids = seats.map((seat) => seat.id);
      const first = await installOk(url, v1.id, ids);
      expect((await waitForInstallEnd(url, first.id)).status).toBe('SUCCEEDED');

      const platform = sim.sim.platform('DEPLOY_PLATFORM');
      platform.tasks.setBehaviour({ durationMs: 1500, jitter: 0.2 });
      const started: string[] = [];
      const killed = seghub!;
      const onStarted = (task: { idempotencyKey: string }) => {
        started.push(task.idempotencyKey);
        // Synchronous: the task is durable on SDP, its answer not yet sent.
        if (started.length === killAtTask) killed.signal('SIGKILL');
      };
      platform.tasks.events.on('started', onStarted);
      try {
        // SDP stays down until the install has been answered: the kill must not cut that request.
        platform.faults.startOutage(60_000);
        const record = await installUpgradeOk(url, v2.id, ids, {
          replaceOtherVersions: true,
          upgradeOrder: order,
        });
        platform.faults.endOutage();
        expect(await killed.exited).toMatchObject({ signal: 'SIGKILL' });
        seghub = await start();
        const ended = await waitForInstallEnd(url, record.id, 60_000);
        expect(ended).toMatchObject({ status: 'SUCCEEDED', log: { summary: { total: 50, succeeded: 50 } } });
      } finally {
        platform.tasks.events.off('started', onStarted);
        platform.tasks.setBehaviour({ durationMs: 300 });
      }
      // Two tasks (one per step), each started once: the restarted controller's StartTask was a replay.
      expect(started).toHaveLength(2);
      expect(new Set(started).size).toBe(2);
      expect(seghub.logs.some((l) => l.msg === 'SDP task started' && l.replayed === true)).toBe(true);
      const all = seats.map((seat) => seat.name).sort();
      expect(await seatsRunningOnSdp(url, sim, v1.id, seats)).toEqual([]);
      expect(await seatsRunningOnSdp(url, sim, v2.id, seats)).toEqual(all);
      expect(await segmentSeatNames(url, v1.id)).toEqual([]);
      expect(await segmentSeatNames(url, v2.id)).toEqual(all);
    },
    120_000,
  );
});
