import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { type Random, seededRandom } from '../../src/sim/random.js';
import { addSeats } from '../support/fixtures/installs.js';
import { rolloutOf, waitForRollout } from '../support/fixtures/rollouts.js';
import { type Seat, SimJournal } from '../support/harness/chaos.js';
import { etcdSuitePolicy } from '../support/harness/etcd.js';
import {
  prepareRun,
  rolloutViolations,
  type StartedRollout,
  seatGroup,
  startFailingRollout,
  taskViolations,
  throwDice,
} from '../support/harness/rollout-chaos.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { type SuiteEtcd, startSuiteEtcd } from '../support/harness/suite-etcd.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();
/** Rollouts over both stores together (half each); the issue asks for at least 20 runs. */
const RUNS = Number(process.env.ROLLOUT_CHAOS_RUNS ?? 20);
// Printed with every failure: ROLLOUT_CHAOS_SEED=<seed> replays the same choices and kill moments.
const SEED = Number(process.env.ROLLOUT_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FINAL = ['SUCCEEDED', 'ROLLED_BACK', 'CANCELLED', 'FAILED'];
/** Rollouts run side by side in each round, each over its own group of SEATS seats. */
const GROUPS = 3;
const SEATS = 8;
type Group = { name: string; seats: Seat[] };

/**
 * Crash chaos for staged rollouts (SPEC-FLEET section 2, "crash-safe like everything else"): on
 * each store, every round rolls v2 of two fresh names out side by side, each to its own group of
 * seats partly running v1, in three waves with `onFailure: ROLLBACK`, a random upgrade order and
 * 0 or 1 retries, and a device that fails in a later wave; seghub is SIGKILLed one to three times at random moments (some exactly when SDP has
 * durably started a task and not yet answered) and started again. Each rollout must reach a final state, each seat must run what that state says
 * (checked against the simulator's installed sets), and SDP must never have started a task twice.
 *
 * On etcd the store is the three-member cluster (issue 29; one etcd member is covered by
 * `crash-chaos`): in each round one member, the leader and a follower in turn, is SIGKILLed at a
 * random moment too and started again once the round's rollouts are final.
 */
describe.each([
  { store: 'embedded', run: true, seedOffset: 0 },
  { store: 'etcd', run: policy.run || policy.missingInCi, seedOffset: 1 },
])('rollouts with seghub killed at random moments ($store store)', ({ store, run, seedOffset }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: SuiteEtcd | undefined;
  let env: Record<string, string>;
  let current: SeghubProcess | undefined;
  let url: string;

  beforeAll(async () => {
    if (!run) return;
    if (store === 'etcd' && policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-rollout-chaos');
    etcd = store === 'etcd' ? await startSuiteEtcd(3) : undefined;
    env = {
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      // The killed leader's lease must run out before its successor leads.
      LEADER_LEASE_TTL_S: '2',
      INSTALL_POLL_MS: '100',
      SOAK_CHECK_S: '1',
      ROLLOUT_RETRY_BASE_S: '0',
      ...(etcd
        ? { ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/rollout-chaos-${randomUUID()}/` }
        : {}),
    };
    sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 300, jitter: 0.3, failureRate: 0 });
  }, 60_000);

  afterAll(async () => {
    if (!run) return;
    if (current?.child.exitCode === null && current.child.signalCode === null) current.signal('SIGTERM');
    await current?.exited;
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  /** The store seghub used (once it has stopped: the embedded store allows one process). */
  function openStore(): Promise<KvStore> {
    return etcd
      ? openEtcdKv({ endpoints: etcd.endpoints, prefix: env.ETCD_PREFIX! })
      : openEmbeddedKv({ dir: path.join(env.DATA_DIR!, 'store') });
  }

  /** A fresh port each time: while seghub is down, another process may take the old one. */
  async function start(): Promise<SeghubProcess> {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    const seghub = spawnBuilt('main.js', { ...env, PORT: String(port) });
    current = seghub;
    await seghub
      .waitForLog((line) => line.msg === 'seghub is serving', 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; last log lines: ${JSON.stringify(seghub.logs.slice(-5))}`);
      });
    return seghub;
  }

  /**
   * Kills seghub at a random moment: after a random while, or synchronously when SDP has just
   * started a task (durable there, its answer not yet sent), whichever the dice say. Says which.
   */
  function killAtRandom(seghub: SeghubProcess, random: () => number): Promise<string> {
    const ms = Math.floor(random() * 2500);
    if (random() < 0.5) {
      return delay(ms).then(() => {
        seghub.signal('SIGKILL');
        return `after ${ms} ms`;
      });
    }
    const events = sim.sim.platform('DEPLOY_PLATFORM').tasks.events;
    return new Promise((resolve) => {
      const onStarted = (task: { idempotencyKey: string }) => {
        clearTimeout(timer);
        seghub.signal('SIGKILL');
        resolve(`as task ${task.idempotencyKey} started`);
      };
      const timer = setTimeout(() => {
        events.off('started', onStarted);
        seghub.signal('SIGKILL');
        resolve('after 3000 ms without a task');
      }, 3000);
      events.once('started', onStarted);
    });
  }

  /**
   * Kills seghub two or three times while the round's rollouts run, starting it again each time;
   * says when each kill came and the states the rollouts were in, and how many were under way.
   */
  async function killSomeTimes(
    ids: string[],
    random: Random,
  ): Promise<{ moments: string[]; midRollout: number }> {
    const moments: string[] = [];
    let midRollout = 0;
    const planned = 2 + Math.floor(random() * 2);
    for (let k = 0; k < planned; k++) {
      const seghub = current!;
      const moment = await killAtRandom(seghub, random);
      await seghub.exited;
      current = undefined;
      await start();
      // Nothing moves while seghub is down: about the states it was killed in.
      const states = (await Promise.all(ids.map((id) => rolloutOf(url, id)))).map((r) => r.state);
      moments.push(`${moment} in [${states}]`);
      if (states.every((state) => FINAL.includes(state))) break;
      midRollout++;
    }
    return { moments, midRollout };
  }

  /** Waits for each rollout's final state, and lists what differs from what that state says. */
  async function judge(started: StartedRollout[], groups: Group[], where: (i: number) => string) {
    const found: string[] = [];
    for (const [i, s] of started.entries()) {
      const final = await waitForRollout(url, s.rollout.id, (r) => FINAL.includes(r.state), {
        timeoutMs: 60_000,
        message: `${where(i)} to reach a final state`,
      });
      if (final.state !== 'ROLLED_BACK')
        found.push(`${where(i)}: ended ${final.state} (${final.pausedReason ?? ''}), expected ROLLED_BACK`);
      const group = groups[i]!;
      const judged = { url, sim, seats: group.seats, group: group.name, run: s.run, rollout: final };
      found.push(...(await rolloutViolations(judged)).map((v) => `${where(i)}: ${v}`));
    }
    return found;
  }

  const rounds = Math.ceil(RUNS / 2 / GROUPS);
  it.runIf(run)(
    `${rounds * GROUPS} rollouts with a rollback reach a final state, seats as it says, no SDP task twice`,
    async () => {
      const random = seededRandom(SEED + seedOffset);
      const say = `ROLLOUT_CHAOS_SEED=${SEED} (${store})`;
      console.info(`rollout crash chaos: ${say}`);
      const journal = new SimJournal(sim);
      await start();
      const all: Seat[] = await addSeats(url, SEATS * GROUPS, 'rc');
      const groups: Group[] = Array.from({ length: GROUPS }, (_, g) => ({
        name: `chaos-ring-${g}`,
        seats: all.slice(g * SEATS, (g + 1) * SEATS),
      }));
      for (const group of groups) await seatGroup(url, group.name, group.seats);
      const found: string[] = [];
      let midRollout = 0;
      for (let round = 0; round < rounds; round++) {
        // Every throw of the dice before the first await, in order: a seed replays the same choices.
        const dice = groups.map(() => throwDice(random));
        const prepared = await Promise.all(
          groups.map((g, i) => prepareRun(url, `rc-${store}-${round}-${i}`, g.seats, random)),
        );
        const started = await Promise.all(
          groups.map((g, i) => startFailingRollout(url, sim, g, prepared[i]!, dice[i]!)),
        );
        let moments: string[] = [];
        const where = (i: number) =>
          `${say} round ${round} rollout ${started[i]!.rollout.id} (${JSON.stringify(dice[i])}, failing ${started[i]!.failing.name}, kills: ${moments.join('; ')})`;
        // Thrown before killSomeTimes throws its own: a seed replays the same moments.
        const memberCrashMs = Math.floor(random() * 2500);
        const memberCrash = etcd && delay(memberCrashMs).then(() => etcd!.crash());
        memberCrash?.catch(() => {}); // awaited below; a failure before then is not unhandled
        try {
          const killed = await killSomeTimes(
            started.map((s) => s.rollout.id),
            random,
          );
          moments = killed.moments;
          if (memberCrash) moments.push(`${await memberCrash} after ${memberCrashMs} ms`);
          midRollout += killed.midRollout;
          found.push(...(await judge(started, groups, where)));
        } finally {
          await memberCrash?.catch(() => {});
          await etcd?.recover();
          for (const s of started)
            sim.sim.platform('DEPLOY_PLATFORM').tasks.setDevice(s.failing.ip, undefined);
        }
      }
      current!.signal('SIGTERM');
      await current!.exited;
      current = undefined;
      const kv = await openStore();
      try {
        found.push(...(await taskViolations(kv, journal)));
      } finally {
        await kv.close();
      }
      expect(found, say).toEqual([]);
      console.info(`rollout crash chaos (${store}): ${midRollout} kills while a rollout was under way`);
      expect(midRollout, `${say}: kills while a rollout was under way`).toBeGreaterThanOrEqual(rounds);
      expect(journal.started.size, 'tasks started').toBeGreaterThan(rounds * GROUPS * 3);
    },
    600_000,
  );
});
