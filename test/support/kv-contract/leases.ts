import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, LeaseNotFoundError } from '../../../src/kv/kv.js';
import { waitFor } from '../harness/wait-for.js';
import { type ContractContext, eventKey } from './context.js';

export function describeLeases(ctx: ContractContext): void {
  describe('leases', () => {
    it('attaches keys to a lease; revoking deletes them in one revision and aborts the signal', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(30);
      expect(lease.signal.aborted).toBe(false);
      await kv.put(`${p}l/a`, '1', { lease: lease.id });
      await kv.put(`${p}l/b`, '1', { lease: lease.id });
      await kv.put(`${p}l/c`, 'not leased');
      expect((await kv.get(`${p}l/a`))?.lease).toBe(lease.id);
      expect((await kv.get(`${p}l/c`))?.lease).toBeUndefined();
      const w = await ctx.watch(`${p}l/`);
      await lease.revoke();
      expect(lease.signal.aborted).toBe(true);
      expect((await kv.range(`${p}l/`)).kvs.map((k) => k.key)).toEqual([`${p}l/c`]);
      const [message] = await w.take(1);
      expect(message?.kind === 'events' && message.events.map((e) => [e.type, eventKey(e)])).toEqual([
        ['delete', `${p}l/a`],
        ['delete', `${p}l/b`],
      ]);
    });

    it('refuses a lease TTL below one second', async () => {
      await expect(ctx.kv.grantLease(0)).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(ctx.kv.grantLease(-5)).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it('rejects a put on an unknown lease with LeaseNotFoundError, changing nothing', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(30);
      await lease.revoke();
      const { revision } = await kv.put(`${p}marker`, 'x');
      await expect(kv.put(`${p}k`, 'v', { lease: lease.id })).rejects.toBeInstanceOf(LeaseNotFoundError);
      await expect(
        kv.txn({
          compare: [],
          success: [
            { type: 'put', key: `${p}plain`, value: 'v' },
            { type: 'put', key: `${p}k`, value: 'v', lease: lease.id },
          ],
        }),
      ).rejects.toBeInstanceOf(LeaseNotFoundError);
      expect((await kv.range(p)).kvs.map((k) => k.key)).toEqual([`${p}marker`]);
      expect((await kv.ping()).revision).toBe(revision);
    });

    it('lets a released lease expire: its keys are deleted', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(1);
      const { revision } = await kv.put(`${p}e/k`, 'v', { lease: lease.id });
      const w = await ctx.watch(`${p}e/`, { fromRevision: revision + 1 });
      lease.release();
      const [message] = await w.take(1, 15_000);
      expect(message?.kind === 'events' && message.events).toEqual([
        { type: 'delete', key: `${p}e/k`, modRevision: message?.kind === 'events' ? message.revision : -1 },
      ]);
      expect(await kv.get(`${p}e/k`)).toBeUndefined();
      await waitFor(() => lease.signal.aborted, { timeoutMs: 5000, message: 'lease signal aborted' });
    });

    it('keeps a lease alive past its TTL until released or revoked', async () => {
      const { kv, p } = ctx;
      const lease = await kv.grantLease(1);
      await kv.put(`${p}alive`, 'v', { lease: lease.id });
      // Time itself is the subject: several TTLs pass, and keep-alive must have held the key.
      await sleep(3500);
      expect((await kv.get(`${p}alive`))?.lease).toBe(lease.id);
      expect(lease.signal.aborted).toBe(false);
      await lease.revoke();
      expect(await kv.get(`${p}alive`)).toBeUndefined();
    });
  });
}
