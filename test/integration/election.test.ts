import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaign, currentLeader, ElectionError, type Leadership } from '../../src/kv/election.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTcpProxy, type TcpProxy } from '../support/harness/tcp-proxy.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';

/**
 * Election against both stores. On etcd every candidate has its own connection, as separate
 * seghub processes would; the embedded store serves one process, so its candidates share it.
 */
/** The store candidate `i` campaigns through. */
type StoreFor = (i: number) => Promise<KvStore>;

const TTL = 2;
const policy = etcdSuitePolicy();

describe('election on the embedded store', () => {
  let kv: KvStore;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    temp = await tempDir('seghub-election');
    kv = await openEmbeddedKv({ dir: temp.dir });
  });
  afterAll(async () => {
    await kv?.close();
    await temp?.remove();
  });
  describeElection(async () => kv);
});

describe.runIf(policy.run || policy.missingInCi)('election on etcd', () => {
  let etcd: EtcdProcess;
  const open: KvStore[] = [];
  const prefix = `/election-${randomUUID()}/`;
  beforeAll(async () => {
    if (policy.missingInCi) {
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    }
    etcd = await startEtcd();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((kv) => kv.close()));
  });
  afterAll(() => etcd?.stop());
  describeElection(async () => {
    const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
    open.push(kv);
    return kv;
  });

  describe('network partitions', () => {
    let proxy: TcpProxy;
    let cutOff: KvStore;
    let healthy: KvStore;
    const name = () => `election/partition-${randomUUID()}/`;
    beforeEach(async () => {
      proxy = await startTcpProxy(new URL(etcd.endpoints[0]!));
      cutOff = await openEtcdKv({ endpoints: [proxy.endpoint], prefix, callTimeoutMs: 1000 });
      healthy = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
      open.push(cutOff, healthy);
    });
    afterEach(() => proxy.close());

    it('a leader cut off from etcd knows it lost before its successor is elected', async () => {
      const election = name();
      const leader = await withTimeout(
        campaign(cutOff, election, 'cut-off', { ttlSeconds: TTL }),
        10_000,
        'lead',
      );
      const successor = campaign(healthy, election, 'healthy', { ttlSeconds: TTL });
      await waitFor(async () => (await healthy.range(election)).count === 2);
      let lostAt = Number.POSITIVE_INFINITY;
      leader.signal.addEventListener('abort', () => {
        lostAt = performance.now();
      });
      proxy.cut();
      const next = await withTimeout(successor, TTL * 1000 + 3000, 'successor');
      expect(lostAt).toBeLessThanOrEqual(performance.now());
      expect(await currentLeader(healthy, election)).toBe('healthy');
      await next.resign();
    });

    it('a candidate cut off from etcd rides out the outage until its lease is lost', async () => {
      const election = name();
      const leader = await withTimeout(
        campaign(healthy, election, 'healthy', { ttlSeconds: TTL }),
        10_000,
        'lead',
      );
      const candidate = campaign(cutOff, election, 'cut-off', { ttlSeconds: TTL });
      candidate.catch(() => {});
      await waitFor(async () => (await healthy.range(election)).count === 2);
      proxy.cut();
      // Outages alone do not end a campaign; losing the lease does.
      const failure = await withTimeout(candidate, TTL * 1000 + 3000, 'campaign failure').catch((e) => e);
      expect(failure).toBeInstanceOf(ElectionError);
      expect(failure.message).toBe('campaign lost its lease');
      expect(leader.signal.aborted).toBe(false);
      await leader.resign();
    });
  });
});

function describeElection(storeFor: StoreFor) {
  /** The election's key prefix. */
  let name: string;
  const campaigns: { leadership: Promise<Leadership>; controller: AbortController }[] = [];

  /** Every campaign a test starts is withdrawn or resigned afterwards, leaving no lease behind. */
  afterEach(async () => {
    const all = campaigns.splice(0);
    for (const { controller } of all) controller.abort();
    const outcomes = await Promise.allSettled(all.map((c) => c.leadership));
    await Promise.allSettled(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.resign() : undefined)));
  });

  function start(kv: KvStore, value: string, controller = new AbortController()): Promise<Leadership> {
    const leadership = campaign(kv, name, value, { ttlSeconds: TTL, signal: controller.signal });
    leadership.catch(() => {});
    campaigns.push({ leadership, controller });
    return leadership;
  }

  /** Starts candidate `value` and waits until its key is in place, so candidates queue in order. */
  async function enter(i: number, value: string, controller = new AbortController()) {
    const kv = await storeFor(i);
    const before = (await kv.range(name)).count;
    const leadership = start(kv, value, controller);
    await waitFor(async () => (await kv.range(name)).count > before, {
      message: 'candidate key',
    });
    return { kv, leadership, controller, state: settledState(leadership) };
  }

  it('elects exactly one of three concurrent candidates, and currentLeader names it', async () => {
    name = `election/race-${randomUUID()}/`;
    const kvs = await Promise.all([0, 1, 2].map(storeFor));
    expect(await currentLeader(kvs[0]!, name)).toBeUndefined();
    const candidates = kvs.map((kv, i) => start(kv, `c${i}`));
    const states = candidates.map(settledState);
    await withTimeout(Promise.race(candidates), 10_000, 'first leader');
    const value = await currentLeader(kvs[0]!, name);
    // Give a wrongly woken candidate the time of a few round trips to (wrongly) win as well.
    await sleep(300);
    expect(states.filter((s) => s.settled)).toHaveLength(1);
    const winner = states.findIndex((s) => s.settled);
    expect(value).toBe(`c${winner}`);
  });

  it('hands over in campaign order when the leader resigns', async () => {
    name = `election/resign-${randomUUID()}/`;
    const first = await enter(0, 'first');
    const leader = await won(first);
    const second = await enter(1, 'second');
    const third = await enter(2, 'third');

    const resigned = performance.now();
    await leader.resign();
    expect(leader.signal.aborted).toBe(true);
    const next = await won(second);
    expect(performance.now() - resigned).toBeLessThan(1000);
    expect(await currentLeader(second.kv, name)).toBe('second');
    expect(third.state.settled).toBe(false);

    await next.resign();
    await won(third);
    expect(await currentLeader(third.kv, name)).toBe('third');
  });

  it('hands over within TTL + margin when the leader stops keeping its lease alive', async () => {
    name = `election/crash-${randomUUID()}/`;
    const first = await enter(0, 'first');
    const leader = await won(first);
    const second = await enter(1, 'second');

    leader.lease.release();
    const crashed = performance.now();
    await won(second);
    const takeover = performance.now() - crashed;
    // No overlap: the old leader knew it had lost before anyone else could win.
    expect(leader.signal.aborted).toBe(true);
    expect(takeover).toBeLessThan(TTL * 1000 + 1500);
    expect(await currentLeader(second.kv, name)).toBe('second');
  });

  it('withdraws an aborted campaign, and the queue closes up behind it', async () => {
    name = `election/abort-${randomUUID()}/`;
    const first = await enter(0, 'first');
    const leader = await won(first);
    const second = await enter(1, 'second');
    const third = await enter(2, 'third');

    second.controller.abort();
    await expect(withTimeout(second.leadership, 5000, 'withdrawal')).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect((await first.kv.range(name)).kvs.map((kv) => kv.value).sort()).toEqual(['first', 'third']);
    // The third candidate now waits on the leader, not on the withdrawn one.
    await sleep(300);
    expect(third.state.settled).toBe(false);
    await leader.resign();
    await won(third);
    expect(await currentLeader(third.kv, name)).toBe('third');
  });

  it('ends leadership when its key is deleted, and the next candidate takes over', async () => {
    name = `election/deleted-${randomUUID()}/`;
    const first = await enter(0, 'first');
    const leader = await won(first);
    const second = await enter(1, 'second');
    await first.kv.delete(leader.key);
    await won(second);
    await waitFor(() => leader.signal.aborted, { timeoutMs: 2000, message: 'leadership lost' });
  });
}

/** A candidate's leadership, failing the test rather than hanging if it never comes. */
function won(candidate: { leadership: Promise<Leadership> }): Promise<Leadership> {
  return withTimeout(candidate.leadership, 10_000, 'leadership');
}

function settledState(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}
