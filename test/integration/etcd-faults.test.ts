import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import { type KvStore, StoreUnavailableError } from '../../src/kv/kv.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTcpProxy } from '../support/harness/tcp-proxy.js';
import { freePort } from '../support/harness/temp.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';
import { keysOf, readWatch, revisionsOf } from '../support/harness/watch.js';

/** etcd going away and coming back, under a store that must notice and recover on its own. */

const policy = etcdSuitePolicy();

describe.runIf(policy.run || policy.missingInCi)('etcd store under faults', () => {
  let etcd: EtcdProcess;
  const stores: KvStore[] = [];

  beforeAll(async () => {
    if (policy.missingInCi)
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    etcd = await startEtcd();
  });
  afterEach(async () => {
    await etcd.start();
    await Promise.all(stores.splice(0).map((kv) => kv.close()));
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  async function open(callTimeoutMs = 2000): Promise<KvStore> {
    const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix: `/t-${randomUUID()}/`, callTimeoutMs });
    stores.push(kv);
    return kv;
  }

  /** Two handles on one prefix: one watches, the other writes. */
  async function openPair(): Promise<{ reader: KvStore; writer: KvStore }> {
    const prefix = `/t-${randomUUID()}/`;
    const [reader, writer] = await Promise.all(
      [0, 1].map(() => openEtcdKv({ endpoints: etcd.endpoints, prefix, callTimeoutMs: 2000 })),
    );
    stores.push(reader!, writer!);
    return { reader: reader!, writer: writer! };
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'a watch survives etcd stopping (%s) and restarting: every event exactly once, in order',
    async (signal) => {
      const { reader, writer } = await openPair();
      const watch = reader.watch('w/');
      await watch.ready;
      const written: number[] = [];
      for (const i of [1, 2, 3]) written.push((await writer.put(`w/${i}`, 'before')).revision);
      const seen = await readWatch(watch, (m) => revisionsOf(m).length >= 3);

      await etcd.halt(signal);
      await etcd.start();
      // Written as soon as etcd is back, mostly before the watch has reconnected: the resumed
      // watch must replay them from history.
      for (const i of [4, 5, 6]) written.push((await writer.put(`w/${i}`, 'after')).revision);
      const sentinel = (await writer.put('w/sentinel', '')).revision;
      seen.push(...(await readWatch(watch, (m) => revisionsOf(m).includes(sentinel))));

      // Anything delivered twice would show up before the sentinel, which is delivered last.
      expect(revisionsOf(seen)).toEqual([...written, sentinel]);
      expect(keysOf(seen)).toEqual(['w/1', 'w/2', 'w/3', 'w/4', 'w/5', 'w/6', 'w/sentinel']);
    },
  );

  it('a watch cut off from etcd resumes with exactly the changes it missed', async () => {
    const proxy = await startTcpProxy(new URL(etcd.endpoints[0]!));
    const prefix = `/t-${randomUUID()}/`;
    try {
      const reader = await openEtcdKv({ endpoints: [proxy.endpoint], prefix, callTimeoutMs: 1000 });
      const writer = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
      stores.push(reader, writer);
      const watch = reader.watch('w/');
      await watch.ready;
      const written = [(await writer.put('w/1', 'a')).revision];
      const seen = await readWatch(watch, (m) => m.length >= 1);

      proxy.cut();
      await expect(reader.ping(500)).rejects.toBeInstanceOf(StoreUnavailableError);
      // Written while the watch cannot reach etcd: only a resume from its last revision sees them.
      for (const i of [2, 3, 4]) written.push((await writer.put(`w/${i}`, 'b')).revision);
      proxy.restore();
      const sentinel = (await writer.put('w/sentinel', '')).revision;
      seen.push(...(await readWatch(watch, (m) => revisionsOf(m).includes(sentinel))));
      expect(revisionsOf(seen)).toEqual([...written, sentinel]);
    } finally {
      await proxy.close();
    }
  });

  it('a watch replaying history resumes mid-replay after a restart, and a slow reader loses nothing', async () => {
    const { reader, writer } = await openPair();
    const total = 3000;
    const written: number[] = [];
    for (let i = 0; i < total; i += 100) {
      const batch = Array.from({ length: Math.min(100, total - i) }, (_, j) => writer.put(`h/${i + j}`, 'x'));
      written.push(...(await Promise.all(batch)).map((r) => r.revision));
    }
    written.sort((a, b) => a - b);
    const watch = reader.watch('h/', { fromRevision: written[0] });
    await watch.ready;
    // Not reading yet: etcd's replay fills the buffer and the store stops reading mid-history.
    // Restarting now forces a resume in the middle of the replay.
    await etcd.restart();
    const sentinel = (await writer.put('h/sentinel', '')).revision;
    const seen = await readWatch(watch, (m) => revisionsOf(m).includes(sentinel), 20_000);
    expect(revisionsOf(seen)).toEqual([...written, sentinel]);
  });

  it('ping and calls reject fast with StoreUnavailableError while etcd is down, and recover', async () => {
    const kv = await open(1500);
    await kv.ping();
    await etcd.halt();

    const pingStarted = performance.now();
    await expect(kv.ping(1000)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(performance.now() - pingStarted).toBeLessThan(1200);
    const callStarted = performance.now();
    await expect(kv.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(kv.put('k', 'v')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(performance.now() - callStarted).toBeLessThan(2 * 1500 + 400);

    await etcd.start();
    const recovered = await waitFor(() => kv.ping(500), { timeoutMs: 5000, message: 'ping after restart' });
    expect(recovered.revision).toBeGreaterThan(0);
    await kv.put('k', 'v');
    expect((await kv.get('k'))?.value).toBe('v');
  });

  it('keeps serving when one of its endpoints is down', async () => {
    // Nothing listens there: every call routed to it fails before being sent, and is re-routed.
    const dead = `http://127.0.0.1:${await freePort()}`;
    const kv = await openEtcdKv({ endpoints: [dead, ...etcd.endpoints], prefix: `/t-${randomUUID()}/` });
    stores.push(kv);
    const watch = kv.watch('m/');
    await watch.ready;
    const written: number[] = [];
    for (let i = 0; i < 20; i++) {
      written.push((await kv.put(`m/${i}`, String(i))).revision);
      expect((await kv.get(`m/${i}`))?.value).toBe(String(i));
      await kv.ping(1000);
    }
    expect(revisionsOf(await readWatch(watch, (m) => m.length >= 20))).toEqual(written);
  });

  it('ping rejects within its timeout while etcd is frozen (no answer at all)', async () => {
    const kv = await open();
    await kv.ping();
    await etcd.freeze();
    try {
      const started = performance.now();
      await expect(kv.ping(500)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(800);
    } finally {
      etcd.thaw();
    }
    await waitFor(() => kv.ping(500), { timeoutMs: 5000, message: 'ping after thaw' });
  });

  it('keeps a lease alive across a quick etcd restart', async () => {
    const { reader, writer } = await openPair();
    const lease = await writer.grantLease(2);
    await writer.put('leased', 'v', { lease: lease.id });
    await etcd.restart();
    // Past the TTL after the restart: only working keep-alives explain the key still being there.
    await sleep(3000);
    expect(lease.signal.aborted).toBe(false);
    expect((await reader.get('leased'))?.lease).toBe(lease.id);
    await lease.revoke();
  });

  it('aborts the lease signal once keep-alives have failed for the TTL', async () => {
    const kv = await open();
    const lease = await kv.grantLease(1);
    await kv.put('leased', 'v', { lease: lease.id });
    await etcd.halt();
    const started = performance.now();
    await abortedWithin(lease.signal, 3000);
    expect(performance.now() - started).toBeLessThan(1500);

    // etcd restores leases when it restarts; with no keep-alives this one then expires.
    await etcd.start();
    await waitFor(async () => (await kv.get('leased')) === undefined, {
      timeoutMs: 8000,
      message: 'key expired',
    });
  });
});

function abortedWithin(signal: AbortSignal, timeoutMs: number): Promise<void> {
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  return withTimeout(aborted, timeoutMs, 'lease signal abort');
}
