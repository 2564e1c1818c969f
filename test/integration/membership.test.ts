import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { join, type Membership, readMembers, whileMember } from '../../src/kv/membership.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor, withTimeout } from '../support/harness/wait-for.js';

/**
 * The membership engine of sharded mode (SPEC-FLEET D14) and its fence: a write guarded by
 * `whileMember` lands only while the writer's own member key is the one it joined with and the epoch
 * is the one its work was assigned under.
 */
const keys = { prefix: 'test-members/', epochKey: 'test-members/epoch', heartbeatPrefix: 'test-beats/' };
const TTL = 2;

describe('controller membership (embedded store)', () => {
  let kv: KvStore;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  const joined: Membership[] = [];
  beforeAll(async () => {
    temp = await tempDir('seghub-membership');
    kv = await openEmbeddedKv({ dir: temp.dir });
  });
  afterAll(async () => {
    await Promise.all(joined.map((m) => m.leave().catch(() => undefined)));
    await kv?.close();
    await temp?.remove();
  });

  const member = async (id: string) => {
    const m = await join(kv, keys, id, { ttlSeconds: TTL, heartbeatMs: 200 });
    joined.push(m);
    return m;
  };
  /** A fenced write, as a reconciler's: does it land? */
  const write = async (guard: ReturnType<typeof whileMember>, value: string) =>
    (await kv.txn({ compare: guard, success: [{ type: 'put', key: 'test-owned', value }] })).succeeded;

  it('fences live owners at a join, a departed member always, and an earlier incarnation of an id', async () => {
    const a = await member('a');
    const b = await member('b');
    await waitFor(() => a.view().ids.length === 2 && b.view().ids.length === 2);
    const aGuard = whileMember(a, a.view(), keys);
    const bGuard = whileMember(b, b.view(), keys);
    expect(a.view()).toEqual(b.view());
    expect(await write(aGuard, 'a')).toBe(true);
    expect(await write(bGuard, 'b')).toBe(true);

    // A join is a new epoch: every guard computed before it fails until recomputed.
    const seen = a.view();
    const c = await member('c');
    await withTimeout(a.changed(seen, new AbortController().signal), 5000, 'a sees c join');
    expect(a.view().ids).toEqual(['a', 'b', 'c']);
    expect(a.view().epochRevision).toBeGreaterThan(seen.epochRevision);
    expect(await write(aGuard, 'a-stale')).toBe(false);
    expect(await write(whileMember(a, a.view(), keys), 'a-new')).toBe(true);
    const cGuard = whileMember(c, c.view(), keys);

    // A crash (the lease no longer kept alive): after the TTL its key is gone, and so is its right to
    // write; the others' guards hold (a departure takes nothing from them).
    const bView = await waitFor(() => (b.view().ids.length === 3 ? b.view() : undefined));
    c.lease.release();
    await waitFor(() => !b.view().ids.includes('c'), { timeoutMs: (TTL + 3) * 1000, message: 'c dropped' });
    expect(await write(cGuard, 'c-late')).toBe(false);
    expect(b.view().epochRevision).toBe(bView.epochRevision);
    expect(await write(whileMember(b, bView, keys), 'b-after-departure')).toBe(true);

    // The same id joining again while its earlier incarnation's key lives: the earlier one is fenced
    // and told, the member set (and epoch) stay as they were.
    const bBefore = b.view();
    const b2 = await member('b');
    await waitFor(() => b.signal.aborted, { message: 'the earlier b sees it was taken over' });
    expect(await write(whileMember(b, bBefore, keys), 'b-old')).toBe(false);
    expect(await write(whileMember(b2, b2.view(), keys), 'b-new')).toBe(true);
    expect(b2.view()).toEqual(bBefore);

    const listed = await readMembers(kv, keys);
    expect(listed.map((m) => m.id)).toEqual(['a', 'b']);
    for (const m of listed) expect(Date.now() - Date.parse(m.heartbeatAt)).toBeLessThan(TTL * 1000);
  }, 30_000);
});
