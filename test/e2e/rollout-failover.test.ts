import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ExecutionResult } from 'graphql';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutUpdatedSubscription } from '../generated/graphql.js';
import { RolloutUpdated } from '../support/documents/rollout-documents.js';
import { addSeats, syncedSegment } from '../support/fixtures/installs.js';
import { createRolloutOk, rolloutOf } from '../support/fixtures/rollouts.js';
import { seatsRunningOnSdp } from '../support/fixtures/upgrades.js';
import { SimJournal } from '../support/harness/chaos.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { wsClient } from '../support/harness/graphql-client.js';
import { seatGroup } from '../support/harness/rollout-chaos.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();
const LEADING = 'leading: reconcilers started';
type Update = RolloutUpdatedSubscription['rolloutUpdated'];

/**
 * Two replicas on one etcd (SPEC-FLEET section 2, issue 25): the leader is SIGKILLed while a
 * three-wave rollout with soaks runs, exactly when SDP has durably started the second wave's task
 * and not yet answered. The survivor takes over, follows that task instead of starting another,
 * soaks and runs the last wave to SUCCEEDED, and a `rolloutUpdated` subscriber connected to the
 * survivor before the kill receives the rollout through to its end, then the completion.
 */
describe.runIf(policy.run || policy.missingInCi)('a rollout when its leader is killed (etcd)', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess;
  let env: Record<string, string>;
  const replicas: SeghubProcess[] = [];

  beforeAll(async () => {
    if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-rollout-failover');
    etcd = await startEtcd();
    env = {
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      ETCD_ENDPOINTS: etcd.endpoints.join(','),
      ETCD_PREFIX: `/rollout-failover-${randomUUID()}/`,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      LEADER_LEASE_TTL_S: '3',
      INSTALL_POLL_MS: '100',
      SOAK_CHECK_S: '1',
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

  it('goes on to SUCCEEDED on the survivor, and a subscriber there sees it to the end', async () => {
    const leader = await start();
    await leader.process.waitForLog((line) => line.msg === LEADING);
    const survivor = await start();
    const seats = await addSeats(leader.url, 8, 'fo');
    await seatGroup(leader.url, 'fo-ring', seats);
    const segment = await syncedSegment(leader.url, 'failover-roll', '1.0.0');
    const journal = new SimJournal(sim);
    const platform = sim.sim.platform('DEPLOY_PLATFORM');
    platform.tasks.setBehaviour({ durationMs: 1500, jitter: 0.1, failureRate: 0 });
    let killedAt = Number.POSITIVE_INFINITY;
    const onStarted = () => {
      if (journal.started.size !== 2) return;
      leader.process.signal('SIGKILL'); // synchronous: wave 2's task is durable, its answer not yet sent
      killedAt = Date.now();
    };
    platform.tasks.events.on('started', onStarted);

    const client = wsClient(survivor.url);
    let rolloutId = '';
    try {
      const rollout = await createRolloutOk(leader.url, {
        segmentId: segment.id,
        group: 'fo-ring',
        waves: [{ seats: 1, soakSeconds: 1 }, { percent: 25, soakSeconds: 2 }, {}],
      });
      rolloutId = rollout.id;
      expect(rollout.waves.map((w) => w.seatCount)).toEqual([1, 2, 5]);
      const afterKill: Update[] = [];
      const updates = follow(client, rollout.id, (update) => {
        if (Date.now() > killedAt) afterKill.push(update);
      });
      expect(await leader.process.exited).toMatchObject({ signal: 'SIGKILL' });
      await survivor.process.waitForLog((line) => line.msg === LEADING, 15_000);

      const seen = await updates; // resolves on the subscription's completion
      expect(seen.at(-1)).toMatchObject({ state: 'SUCCEEDED', percent: 100 });
      expect(seen.length - afterKill.length, 'updates before the kill').toBeGreaterThan(0);
      expect(afterKill.length).toBeGreaterThan(1);
      expect(afterKill.map((u) => u.state)).toContain('SOAKING');
      const percents = seen.map((u) => u.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      const started = seen.at(-1)!.events.filter((e) => e.kind === 'WAVE_STARTED');
      expect(started).toHaveLength(3);
    } finally {
      platform.tasks.events.off('started', onStarted);
      await client.dispose();
    }
    // The survivor ran the rest: it followed wave 2's task (a replay, not a second start) and started wave 3's.
    // The pass is logged after its write, which the subscriber may see first: wait for the line.
    await survivor.process.waitForLog((l) => l.msg === 'rollout pass' && l.action === 'succeeded', 10_000);
    const replayed = survivor.process.logs.filter((l) => l.msg === 'SDP task started' && l.replayed === true);
    expect(replayed.length).toBeGreaterThanOrEqual(1);
    expect([...journal.started.values()]).toEqual([1, 1, 1]);
    const names = seats.map((s) => s.name).sort();
    expect(await seatsRunningOnSdp(survivor.url, sim, segment.id, seats)).toEqual(names);
    expect(await rolloutOf(survivor.url, rolloutId)).toMatchObject({
      state: 'SUCCEEDED',
      summary: { total: 8, succeeded: 8, failed: 0 },
    });
  }, 120_000);
});

/** Follows `rolloutUpdated` over graphql-ws; resolves with every update once the server completes it. */
function follow(
  client: ReturnType<typeof wsClient>,
  id: string,
  onUpdate: (update: Update) => void,
): Promise<Update[]> {
  return new Promise((resolve, reject) => {
    const seen: Update[] = [];
    client.subscribe(
      { query: print(RolloutUpdated), variables: { id } },
      {
        next: (result: ExecutionResult<Record<string, unknown>>) => {
          if (result.errors?.length) return reject(new Error(JSON.stringify(result.errors)));
          const update = (result.data as RolloutUpdatedSubscription).rolloutUpdated;
          seen.push(update);
          onUpdate(update);
        },
        error: reject,
        complete: () => resolve(seen),
      },
    );
  });
}
