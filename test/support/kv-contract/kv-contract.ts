import { describe, expect, it } from 'vitest';
import { contractContext, type OpenKv } from './context.js';
import { describeKeysAndRange } from './keys-and-range.js';
import { describeLeases } from './leases.js';
import { describeTransactions } from './transactions.js';
import { describeWatch } from './watch.js';

export type { OpenKv } from './context.js';

/**
 * The behaviour every KvStore must show, run against each implementation. `open` is called once
 * per test; tests still keep to their own key prefix, so an `open` that hands out one shared store
 * (or one etcd) works too.
 */
export function describeKvContract(name: string, open: OpenKv): void {
  describe(`KvStore contract: ${name}`, () => {
    const ctx = contractContext(open);
    describeKeysAndRange(ctx);
    describeTransactions(ctx);
    describeWatch(ctx);
    describeLeases(ctx);

    it('answers ping with the current revision', async () => {
      const { kv, p } = ctx;
      const { revision } = await kv.put(`${p}k`, 'v');
      expect(await kv.ping(5000)).toEqual({ revision });
    });
  });
}
