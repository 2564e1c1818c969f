import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerOf } from '../../src/controller/shard-assignment.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore, WatchEvent } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { addSeats, installOk, syncedSegment } from '../support/fixtures/installs.js';
import {
  cloneSegment,
  controllerMembers,
  installStates,
  inTerm,
  syncCounts,
  TERM_STARTED,
} from '../support/fixtures/sharded-fleet.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnBuilt } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const policy = etcdSuitePolicy();
const TTL_S = 4;
const NAMES = 2000;
const INSTALLS = 200;
const IDS = ['member-a', 'member-b', 'member-c'];

/**
 * `CONTROLLER_MODE=sharded` (SPEC-FLEET section 6, D14): three seghub processes share 2,000
 * segment names (each a sync to do) and 200 running installs. A SIGKILLed member's names move to
 * the others within MEMBER_TTL_S + 2 s, and only its names; its installs end anyway, with one SDP
 * task each; restarted under its id it gets its share back. A member frozen past its TTL writes
 * nothing once it runs again, until it has joined anew.
 */
describe.runIf(policy.run || policy.missingInCi)('sharded controller (3 members)', () => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess;
  let store: KvStore;
  let env: Record<string, string>;
  const replicas = new Map<string, { process: SeghubProcess; url: string }>();
  /** Every SDP task started, by idempotency key. */
  const started = new Map<string, number>();
  /** The seats the first case added (global ids). */
  let fleetSeats: string[] = [];

  beforeAll(async () => {
    if (policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    sim.sim.platform('DEPLOY_PLATFORM').tasks.events.on('started', ({ idempotencyKey }) => {
      started.set(idempotencyKey, (started.get(idempotencyKey) ?? 0) + 1);
    });
    data = await tempDir('seghub-sharded');
    etcd = await startEtcd();
    const prefix = `/sharded-${randomUUID()}/`;
    store = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
    env = {
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      ETCD_ENDPOINTS: etcd.endpoints.join(','),
      ETCD_PREFIX: prefix,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      INSTALL_POLL_MS: '250',
      AUTH_DISABLED: 'true',
      LOG_LEVEL: 'info',
      CONTROLLER_MODE: 'sharded',
      MEMBER_TTL_S: String(TTL_S),
      LEADER_LEASE_TTL_S: String(TTL_S),
    };
  }, 60_000);

  afterAll(async () => {
    const processes = [...replicas.values()].map((r) => r.process);
    for (const p of processes)
      if (p.child.exitCode === null && p.child.signalCode === null) p.signal('SIGCONT');
    for (const p of processes)
      if (p.child.exitCode === null && p.child.signalCode === null) p.signal('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await store?.close();
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  async function start(id: string) {
    const port = await freePort();
    const process = spawnBuilt('main.js', { ...env, PORT: String(port), MEMBER_ID: id });
    const replica = { process, url: `http://127.0.0.1:${port}/graphql` };
    replicas.set(id, replica);
    await process.waitForLog((line) => line.msg === 'seghub is serving', 30_000);
    return replica;
  }
  const member = (id: string) => replicas.get(id)!;
  /** Every listed member's latest term is over exactly `ids`. */
  const allInTerm = (ids: readonly string[]) => ids.every((id) => inTerm(member(id).process, ids));
  const owners = (names: readonly string[], members: readonly string[]) =>
    new Map(names.map((n) => [n, ownerOf(n, members)]));

  it('shares the names, moves only a killed member’s share in time, loses nothing and gets it back', async () => {
    for (const id of IDS) await start(id);
    await waitFor(() => allInTerm(IDS), { timeoutMs: 20_000, message: 'three members in one term' });
    const { url } = member('member-a');

    // 2,000 names, each a sync for its owner: the first 200 now (copies of one uploaded file), to be
    // installed; the others due in an hour (one cheap reconcile each now, and at every move).
    await syncedSegment(url, 'shard-seed');
    const names = Array.from({ length: NAMES - 1 }, (_, i) => `shard-${String(i).padStart(4, '0')}`);
    const ids = await cloneSegment(store, 'shard-seed/1.0.0', names.slice(0, INSTALLS));
    await cloneSegment(store, 'shard-seed/1.0.0', names.slice(INSTALLS), new Date(Date.now() + 3_600_000));
    const t = performance.now();
    await waitFor(async () => (await syncCounts(store)).SYNCED === INSTALLS + 1, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: `${INSTALLS} segments synced`,
    });
    console.info(`sharded: ${INSTALLS} synced in ${Math.round(performance.now() - t)} ms`);
    const allNames = ['shard-seed', ...names];
    const listed = await controllerMembers(url);
    expect(listed.map((m) => m.id)).toEqual(IDS);
    expect(listed.reduce((sum, m) => sum + m.ownedKeys, 0)).toBe(NAMES);
    for (const m of listed) {
      expect(Math.abs((m.ownedKeys / NAMES) * 100 - 100 / 3)).toBeLessThanOrEqual(5);
      expect(m.heartbeatAgeMs).toBeLessThan(TTL_S * 1000);
    }
    // Every replica answers the same: one owner per name.
    for (const id of IDS) expect(await controllerMembers(member(id).url)).toHaveLength(3);

    const seats = await addSeats(url, 20, 'shard-seat');
    fleetSeats = seats.map((seat) => seat.id);
    sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 20_000, jitter: 0.1 });
    const records: string[] = [];
    // Ten at a time: one after another took a minute on a loaded machine.
    for (let i = 0; i < INSTALLS; i += 10) {
      const batch = ids.slice(i, i + 10).map(async (id, j) => {
        const globalId = Buffer.from(`Segment:${id}`).toString('base64');
        const pair = [seats[(i + j) % 20]!.id, seats[(i + j + 7) % 20]!.id];
        const record = Buffer.from((await installOk(url, globalId, pair)).id, 'base64').toString();
        return record.slice(record.indexOf(':') + 1);
      });
      records.push(...(await Promise.all(batch)));
    }
    console.info(`sharded: ${INSTALLS} installs created ${Math.round(performance.now() - t)} ms`);
    await waitFor(() => started.size >= INSTALLS / 2, { timeoutMs: 30_000, message: 'installs running' });

    // SIGKILL member-b: within MEMBER_TTL_S + 2 s both survivors have a term without it.
    const killed = 'member-b';
    const survivors = IDS.filter((id) => id !== killed);
    const running = (await installStates(store, records)).open.length;
    const t0 = performance.now();
    member(killed).process.signal('SIGKILL');
    await waitFor(() => allInTerm(survivors), {
      timeoutMs: (TTL_S + 2) * 1000,
      intervalMs: 20,
      message: 'the survivors own the killed member’s names',
    });
    console.info(
      `sharded: names moved ${Math.round(performance.now() - t0)} ms after SIGKILL, ${running} installs running`,
    );
    const before = owners(allNames, IDS);
    const after = owners(allNames, survivors);
    const moved = allNames.filter((n) => before.get(n) !== after.get(n));
    expect(moved.every((n) => before.get(n) === killed)).toBe(true);
    expect(Math.abs((moved.length / NAMES) * 100 - 100 / 3)).toBeLessThanOrEqual(5);
    expect((await controllerMembers(url)).map((m) => m.id)).toEqual(survivors);

    // Nothing lost: every install ends, each with exactly one SDP task.
    await waitFor(async () => (await installStates(store, records)).open.length === 0, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'every install ended',
    });
    expect((await installStates(store, records)).ended).toEqual({ SUCCEEDED: INSTALLS });
    expect(started.size).toBe(INSTALLS);
    expect([...started.values()].every((n) => n === 1)).toBe(true);

    // Back under its id, it gets its share back.
    await start(killed);
    await waitFor(() => allInTerm(IDS), { timeoutMs: 20_000, message: 'three members again' });
    const back = await controllerMembers(url);
    expect(back.map((m) => [m.id, m.ownedKeys])).toEqual(listed.map((m) => [m.id, m.ownedKeys]));
  }, 150_000);

  it('a member frozen past its TTL writes nothing once it runs again, until it has joined anew', async () => {
    const frozen = member('member-c').process;
    const others = ['member-a', 'member-b'];
    const { url } = member('member-a');
    // Installs of names member-c owns, running (it polls them, writing their logs) when it freezes.
    const mine = Array.from({ length: 400 }, (_, i) => `frozen-${i}`)
      .filter((n) => ownerOf(n, IDS) === 'member-c')
      .slice(0, 20);
    const ids = await cloneSegment(store, 'shard-seed/1.0.0', mine);
    await waitFor(async () => (await syncCounts(store)).SYNCED === INSTALLS + 1 + mine.length, {
      timeoutMs: 30_000,
      message: 'its segments synced',
    });
    const seats = fleetSeats;
    const records: string[] = [];
    // Five at a time: twenty at once contend on the seat-bindings lock past its retries.
    for (let i = 0; i < ids.length; i += 5) {
      const batch = ids.slice(i, i + 5).map(async (id, j) => {
        const globalId = Buffer.from(`Segment:${id}`).toString('base64');
        const record = Buffer.from((await installOk(url, globalId, [seats[i + j]!])).id, 'base64').toString();
        return record.slice(record.indexOf(':') + 1);
      });
      records.push(...(await Promise.all(batch)));
    }
    await waitFor(() => started.size === INSTALLS + mine.length, { timeoutMs: 20_000, message: 'its tasks' });
    frozen.signal('SIGSTOP');
    await waitFor(() => others.every((id) => inTerm(member(id).process, others)), {
      timeoutMs: (TTL_S + 4) * 1000,
      message: 'the others own the frozen member’s names',
    });
    // Nobody else writes while it resumes: whatever lands before its new join is its own doing.
    for (const id of others) member(id).process.signal('SIGSTOP');
    const quiet = await quiescentRevision(store);
    const mark = frozen.logs.length;
    frozen.signal('SIGCONT');
    await frozen.waitForLog(
      (l) => l.msg === 'joined the controller members' && frozen.logs.indexOf(l) >= mark,
      10_000,
    );
    const rejoined = (await store.get(keys.member('member-c')))!.modRevision;
    const events = await eventsBetween(store, quiet + 1, rejoined);
    const tasks = started.size;
    for (const id of others) member(id).process.signal('SIGCONT');
    // Membership and leadership keys only (its own old ones expiring, its campaign), and read fences.
    const allowed = [keys.members, keys.memberHeartbeats, keys.election('controller'), keys.readFence];
    expect(events.map(keyOf).filter((k) => !allowed.some((p) => k.startsWith(p)))).toEqual([]);
    expect(frozen.logs.some((l) => l.msg === 'membership lost: owned reconcilers stopped')).toBe(true);
    await waitFor(() => allInTerm(IDS), { timeoutMs: 20_000, message: 'three members again' });
    expect(frozen.logs.filter((l) => l.msg === TERM_STARTED).at(-1)?.members).toEqual(IDS);
    // Its installs end all the same, each with its one SDP task (none started while it resumed).
    expect(tasks).toBe(INSTALLS + mine.length);
    await waitFor(async () => (await installStates(store, records)).open.length === 0, {
      timeoutMs: 40_000,
      intervalMs: 500,
      message: 'its installs ended',
    });
    expect((await installStates(store, records)).ended).toEqual({ SUCCEEDED: mine.length });
    expect([...started.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);
});

const keyOf = (event: WatchEvent) => (event.type === 'put' ? event.kv.key : event.key);

/** The store's revision once it stopped changing (two reads 300 ms apart agree). */
async function quiescentRevision(store: KvStore): Promise<number> {
  let last = -1;
  return waitFor(
    async () => {
      const { revision } = await store.ping();
      const settled = revision === last ? revision : undefined;
      last = revision;
      return settled;
    },
    { intervalMs: 300, timeoutMs: 10_000, message: 'the store to fall quiet' },
  );
}

/** Every change from revision `from` up to (not including) `until`. */
async function eventsBetween(store: KvStore, from: number, until: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  if (until <= from) return events;
  const watch = store.watch('', { fromRevision: from });
  try {
    for await (const message of watch) {
      if (message.kind === 'compacted') throw new Error('history compacted');
      if (message.revision >= until) break;
      events.push(...message.events);
    }
  } finally {
    await watch.close();
  }
  return events;
}
