import type { KvStore } from '../../../src/kv/kv.js';
import { isFinalInstallStatus } from '../../../src/records/install-schema.js';
import type { Random } from '../../../src/sim/random.js';
import { SetSeatLabels, UpsertSeatGroup } from '../documents/seat-group-documents.js';
import { GroupDrift } from '../documents/upgrade-documents.js';
import { installOk, segmentSeatNames, syncedSegment, waitForInstallEnd } from '../fixtures/installs.js';
import { createRolloutOk, rolloutSeats } from '../fixtures/rollouts.js';
import { seatsRunningOnSdp } from '../fixtures/upgrades.js';
import { readWorld, type Seat, type SimJournal } from './chaos.js';
import { httpGraphQL } from './graphql-client.js';
import type { TestSimulator } from './sdp-sim.js';

/**
 * The rollout part of the crash harness (SPEC-FLEET section 2): a world where some seats run v1 of
 * a name, and the invariants a rollout of v2 must leave behind once it has reached a final state,
 * judged against what the simulator really has installed.
 */

/** One run's segment name: v1 on a random part of the seats, v2 synced and ready to roll out. */
export interface RolloutRun {
  name: string;
  v1: { id: string };
  v2: { id: string };
  /** Seat names that ran v1 before the rollout. */
  withV1: Set<string>;
}

/** Labels every seat `ring=<group>` and makes the group; rollouts of every run go to it. */
export async function seatGroup(url: string, group: string, seats: readonly Seat[]): Promise<void> {
  const set = await httpGraphQL(url, SetSeatLabels, {
    seatIds: seats.map((s) => s.id),
    set: [{ key: 'ring', value: group }],
  });
  if (set.data?.setSeatLabels.__typename !== 'SetSeatLabelsSuccess') throw new Error(JSON.stringify(set));
  const made = await httpGraphQL(url, UpsertSeatGroup, { input: { name: group, selector: `ring=${group}` } });
  if (made.data?.upsertSeatGroup.__typename !== 'UpsertSeatGroupSuccess')
    throw new Error(JSON.stringify(made));
}

/**
 * Uploads v1 and v2 of `name` and installs v1 on between a quarter and three quarters of the seats.
 * The dice are thrown before the first await, so runs prepared side by side replay alike from a seed.
 */
export async function prepareRun(
  url: string,
  name: string,
  seats: readonly Seat[],
  random: Random,
): Promise<RolloutRun> {
  const count = Math.max(1, Math.round(seats.length * (0.25 + random() * 0.5)));
  const pool = [...seats];
  const chosen: Seat[] = [];
  while (chosen.length < count) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  const [v1, v2] = await Promise.all([syncedSegment(url, name, '1.0.0'), syncedSegment(url, name, '2.0.0')]);
  const record = await installOk(
    url,
    v1.id,
    chosen.map((s) => s.id),
  );
  const ended = await waitForInstallEnd(url, record.id);
  if (ended.status !== 'SUCCEEDED') throw new Error(`v1 of ${name} did not install: ${ended.status}`);
  return { name, v1, v2, withV1: new Set(chosen.map((s) => s.name)) };
}

/** A rollout's random choices: the upgrade order, retries, and which later seat fails (0..1). */
export interface RolloutDice {
  upgradeOrder: 'INSTALL_FIRST' | 'UNINSTALL_FIRST';
  seatRetries: number;
  failing: number;
}

/** Throws a rollout's dice (synchronously, so a seed replays them). */
export function throwDice(random: Random): RolloutDice {
  return {
    upgradeOrder: random() < 0.5 ? 'INSTALL_FIRST' : 'UNINSTALL_FIRST',
    seatRetries: Math.floor(random() * 2),
    failing: random(),
  };
}

/** A run's rollout under way, and the seat of a later wave made to fail. */
export interface StartedRollout {
  run: RolloutRun;
  rollout: { id: string };
  failing: Seat;
}

/**
 * Rolls v2 out to the group in three waves (2 seats with a soak, 3 seats, the rest) with
 * `onFailure: ROLLBACK`, and makes one seat of wave 2 or 3 fail every task (its retries too): the
 * first wave succeeds and soaks before the breach reverts it.
 */
export async function startFailingRollout(
  url: string,
  sim: TestSimulator,
  group: { name: string; seats: readonly Seat[] },
  run: RolloutRun,
  dice: RolloutDice,
): Promise<StartedRollout> {
  const rollout = await createRolloutOk(url, {
    segmentId: run.v2.id,
    group: group.name,
    waves: [{ seats: 2, soakSeconds: 1 }, { seats: 3 }, {}],
    onFailure: 'ROLLBACK',
    upgradeOrder: dice.upgradeOrder,
    seatRetries: dice.seatRetries,
  });
  const later = (await rolloutSeats(url, rollout.id)).filter((s) => (s.wave ?? 0) > 0);
  const name = later[Math.floor(dice.failing * later.length)]!.seatName;
  const failing = group.seats.find((s) => s.name === name)!;
  sim.sim
    .platform('DEPLOY_PLATFORM')
    .tasks.setDevice(failing.ip, { outcome: 'fail', error: 'chaos: disk full' });
  return { run, rollout, failing };
}

export interface RolloutJudgement {
  url: string;
  sim: TestSimulator;
  seats: readonly Seat[];
  group: string;
  run: RolloutRun;
  rollout: { id: string; state: string };
}

/**
 * Every way the world differs from what the rollout's final state says, in words: each seat runs
 * what its rollout seat state says (ROLLED_BACK: its fromVersions; PENDING or SKIPPED: what it ran
 * before; SUCCEEDED: v2 alone), seghub's seat lists agree with SDP, and a rolled back group does not
 * desire v2.
 */
export async function rolloutViolations(j: RolloutJudgement): Promise<string[]> {
  const { url, sim, seats, run, rollout } = j;
  const found: string[] = [];
  const onV1 = new Set(await seatsRunningOnSdp(url, sim, run.v1.id, seats));
  const onV2 = new Set(await seatsRunningOnSdp(url, sim, run.v2.id, seats));
  const rolloutSeatList = await rolloutSeats(url, rollout.id);
  if (rolloutSeatList.length !== seats.length)
    found.push(`${rolloutSeatList.length} rollout seats, the group has ${seats.length}`);
  for (const seat of rolloutSeatList) {
    const expected = expectedVersions(seat, run.withV1.has(seat.seatName));
    if (typeof expected === 'string') {
      found.push(`${seat.seatName}: ${expected}`);
      continue;
    }
    const runs = [onV1.has(seat.seatName) && '1.0.0', onV2.has(seat.seatName) && '2.0.0'].filter(Boolean);
    if (runs.join() !== expected.join())
      found.push(
        `${seat.seatName} (${seat.state}, from [${seat.fromVersions}]): runs [${runs}], expected [${expected}]`,
      );
  }
  for (const [segment, onSdp] of [
    [run.v1, onV1],
    [run.v2, onV2],
  ] as const) {
    const listed = await segmentSeatNames(url, segment.id);
    if (listed.join() !== [...onSdp].sort().join())
      found.push(`${segment.id}: seghub lists [${listed}], SDP has it on [${[...onSdp].sort()}]`);
  }
  if (rollout.state === 'ROLLED_BACK') {
    const drift = await httpGraphQL(url, GroupDrift, { name: j.group, first: 0 });
    const desired = drift.data?.seatGroup?.desiredVersions.find((d) => d.name === run.name);
    if (desired?.version === '2.0.0') found.push(`group ${j.group} still desires ${run.name} 2.0.0`);
  }
  return found;
}

type RolloutSeatView = Awaited<ReturnType<typeof rolloutSeats>>[number];

/** The versions (sorted) a seat must run for its final rollout seat state, or why it cannot be judged. */
function expectedVersions(seat: RolloutSeatView, hadV1: boolean): string[] | string {
  const before = hadV1 ? ['1.0.0'] : [];
  switch (seat.state) {
    case 'ROLLED_BACK':
      if (seat.fromVersions.join() !== before.join())
        return `fromVersions [${seat.fromVersions}], but it ran [${before}] before the rollout`;
      return [...seat.fromVersions].sort();
    case 'PENDING':
    case 'SKIPPED':
      return before;
    case 'SUCCEEDED':
      return ['2.0.0'];
    default:
      return `ended ${seat.state}: ${seat.error ?? 'no reason'}`;
  }
}

/**
 * SDP work against the install records seghub kept (read from the store once seghub has stopped):
 * every record ended, each of its planned tasks started on SDP exactly once, and no task SDP started
 * belongs to no record (work a crash made seghub lose track of, or begin again under a new key).
 */
export async function taskViolations(store: KvStore, journal: SimJournal): Promise<string[]> {
  const found: string[] = [];
  const planned = new Set<string>();
  for (const { id, record } of (await readWorld(store)).installs) {
    if (!isFinalInstallStatus(record.status)) found.push(`install ${id}: never ended (${record.status})`);
    for (const task of record.plan?.tasks ?? []) {
      planned.add(task.idempotencyKey);
      const starts = journal.started.get(task.idempotencyKey) ?? 0;
      if (starts !== 1) found.push(`install ${id}: task ${task.idempotencyKey} started ${starts} times`);
    }
  }
  for (const [key, starts] of journal.started) {
    if (starts > 1) found.push(`SDP task ${key} started ${starts} times`);
    if (!planned.has(key)) found.push(`SDP task ${key}: no install record plans it`);
  }
  return found;
}
