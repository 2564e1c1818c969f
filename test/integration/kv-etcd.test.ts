import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import { KvError, type KvStore, LeaseNotFoundError } from '../../src/kv/kv.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { waitFor } from '../support/harness/wait-for.js';
import { readWatch, revisionsOf } from '../support/harness/watch.js';
import { describeKvContract } from '../support/kv-contract/kv-contract.js';

const policy = etcdSuitePolicy();

/** One etcd for the whole file; every test gets a store under a fresh prefix of its own. */
let etcd: EtcdProcess;

describe.runIf(policy.run || policy.missingInCi)('etcd store', () => {
  beforeAll(async () => {
    if (policy.missingInCi) {
      throw new Error('CI=true but etcd is not on PATH: the etcd suites must run in CI');
    }
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  describeKvContract('etcd', async () => {
    const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix: `/contract-${randomUUID()}/` });
    return { kv, cleanup: () => kv.close() };
  });

  describeEtcdOnly();
});

function describeEtcdOnly() {
  const stores: KvStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((kv) => kv.close()));
  });

  async function open(prefix = `/t-${randomUUID()}/`): Promise<KvStore> {
    const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
    stores.push(kv);
    return kv;
  }

  describe('etcd only', () => {
    it('isolates stores with different prefixes on one etcd', async () => {
      const [a, b] = await Promise.all([open(`/iso-a-${randomUUID()}/`), open(`/iso-b-${randomUUID()}/`)]);
      const watchA = a.watch('');
      await watchA.ready;
      await a.put('shared', 'from-a');
      await b.put('shared', 'from-b');
      await b.put('only-b', 'x');
      expect((await a.get('shared'))?.value).toBe('from-a');
      expect((await a.range('')).kvs.map((k) => k.key)).toEqual(['shared']);
      expect((await b.deletePrefix('')).deleted).toBe(2);
      expect((await a.get('shared'))?.value).toBe('from-a');
      const { revision: last } = await a.put('shared', 'again');
      const seen = await readWatch(watchA, (m) => m.some((x) => x.kind === 'events' && x.revision === last));
      expect(seen.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.type) : []))).toEqual([
        'put',
        'put',
      ]);
    });

    it('ends a watch from a compacted revision with a compacted message', async () => {
      const kv = await open();
      const { revision: first } = await kv.put('c/k', '1');
      await kv.put('c/k', '2');
      const { revision: compactedAt } = await kv.put('c/k', '3');
      const live = kv.watch('c/');
      await live.ready;
      await kv.compact(compactedAt);
      await kv.compact(compactedAt); // compacting again is a no-op
      await expect(kv.compact(compactedAt + 1000)).rejects.toBeInstanceOf(KvError);

      const old = kv.watch('c/', { fromRevision: first });
      expect(await readWatch(old, () => false)).toEqual([
        { kind: 'compacted', compactRevision: compactedAt },
      ]);
      // Watches already past the compacted revision carry on.
      const { revision } = await kv.put('c/k', '4');
      expect(revisionsOf(await readWatch(live, (m) => m.length >= 1))).toEqual([revision]);
    });

    it('expires a released lease within TTL + margin, and aborts its signal no later', async () => {
      // The contract covers keep-alive and expiry; this pins down the timing etcd gives.
      const kv = await open();
      const lease = await kv.grantLease(1);
      expect(lease.ttlSeconds).toBe(1);
      await kv.put('leased', 'v', { lease: lease.id });
      lease.release();
      const released = Date.now();
      await waitFor(async () => (await kv.get('leased')) === undefined, {
        timeoutMs: 4000,
        message: 'expiry',
      });
      expect(Date.now() - released).toBeLessThan(2500);
      // The holder hears of the loss at or before the moment etcd deletes the keys.
      expect(lease.signal.aborted).toBe(true);
      expect(lease.signal.reason).toBeInstanceOf(LeaseNotFoundError);
    });

    it('close() ends watches and stops keep-alives without revoking', async () => {
      const prefix = `/t-${randomUUID()}/`;
      const kv = await openEtcdKv({ endpoints: etcd.endpoints, prefix });
      const observer = await open(prefix);
      const lease = await kv.grantLease(1);
      await kv.put('leased', 'v', { lease: lease.id });
      const watch = kv.watch('');
      await watch.ready;
      const reading = readWatch(watch, () => false);
      await kv.close();
      expect(await reading).toEqual([]);
      expect(lease.signal.aborted).toBe(true);
      await expect(kv.get('leased')).rejects.toBeInstanceOf(KvError);
      // Not revoked: the key outlives the store and then expires with the lease.
      expect((await observer.get('leased'))?.lease).toBe(lease.id);
      await waitFor(async () => (await observer.get('leased')) === undefined, {
        timeoutMs: 4000,
        message: 'expiry',
      });
    });
  });
}
