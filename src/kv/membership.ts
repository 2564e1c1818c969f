import { setTimeout as delay } from 'node:timers/promises';
import { absent, type Compare, type KeyValue, type KvStore, type Lease } from './kv.js';
import { persist } from './persist.js';

/**
 * Group membership on the KvStore interface alone (etcd or the embedded store), the way
 * `election.ts` does leadership. A member is `<prefix><memberId>` on its own lease: the lease's
 * keep-alive is the heartbeat, and a member whose lease expires is gone with its key. A join writes
 * the member key and bumps the epoch key in one transaction, so a join is visible as a new epoch.
 * Departures do not bump it: a departure only hands the departed member's work to the others.
 */

export interface MembershipKeys {
  /** Every key under it but `epochKey` is a member. */
  prefix: string;
  /** Bumped by every join; must lie under `prefix` so one read sees members and epoch together. */
  epochKey: string;
  /** `<heartbeatPrefix><memberId>` holds the time the member last refreshed it, on its lease. */
  heartbeatPrefix: string;
}

/** The member set as one read (or watch revision) saw it. */
export interface MemberView {
  /** Live member ids, sorted. */
  readonly ids: readonly string[];
  /** The epoch key's modRevision (0 before the first join ever). */
  readonly epochRevision: number;
}

export interface Membership {
  readonly id: string;
  readonly key: string;
  /** The modRevision of this incarnation's member key: a rejoin under the same id changes it. */
  readonly joinRevision: number;
  readonly lease: Lease;
  /** Aborted as soon as this process may no longer be a member: lease lost, key deleted or overwritten. */
  readonly signal: AbortSignal;
  /** The member set as last seen. */
  view(): MemberView;
  /** Resolves once the view differs from `seen` (the member set or the epoch); never if `signal` aborts. */
  changed(seen: MemberView, signal: AbortSignal): Promise<void>;
  /** Leaves now (the key goes with the lease). */
  leave(): Promise<void>;
}

export interface JoinOptions {
  ttlSeconds: number;
  /** How often the heartbeat key is refreshed (default: a third of the TTL). */
  heartbeatMs?: number;
  signal?: AbortSignal;
}

/**
 * The fence for a member's writes under `view`: its own key is this incarnation's, and the epoch is
 * the one its work was assigned under (a join elsewhere may have taken some of that work away).
 */
export function whileMember(membership: Membership, view: MemberView, keys: MembershipKeys): Compare[] {
  return [
    { key: membership.key, target: 'modRevision', op: '=', value: membership.joinRevision },
    { key: keys.epochKey, target: 'modRevision', op: '=', value: view.epochRevision },
  ];
}

/** Joins as `memberId`. A key still held by an earlier incarnation is taken over without a new epoch. */
export async function join(
  kv: KvStore,
  keys: MembershipKeys,
  memberId: string,
  options: JoinOptions,
): Promise<Membership> {
  options.signal?.throwIfAborted();
  const lease = await kv.grantLease(options.ttlSeconds);
  const key = `${keys.prefix}${memberId}`;
  const stop = options.signal ? AbortSignal.any([options.signal, lease.signal]) : lease.signal;
  try {
    const value = JSON.stringify({ joinedAt: new Date().toISOString() });
    const put = { type: 'put' as const, key, value, lease: lease.id };
    const beat = heartbeat(keys, memberId, lease);
    // A key already there is this id's previous incarnation: the member set stays as it was.
    const epoch = { type: 'put' as const, key: keys.epochKey, value: new Date().toISOString() };
    const result = await persist(
      () => kv.txn({ compare: [absent(key)], success: [put, beat, epoch], failure: [put, beat] }),
      stop,
    );
    const member = new Member(kv, keys, memberId, key, result.revision, lease, options);
    await member.start(stop);
    return member;
  } catch (error) {
    await lease.revoke().catch(() => lease.release());
    throw error;
  }
}

/** The heartbeat key's write: the member's clock now, on its lease. */
function heartbeat(keys: MembershipKeys, memberId: string, lease: Lease) {
  const key = `${keys.heartbeatPrefix}${memberId}`;
  return { type: 'put' as const, key, value: new Date().toISOString(), lease: lease.id };
}

/** Live member ids with the time each last refreshed its heartbeat (ISO, the member's clock). */
export async function readMembers(
  kv: KvStore,
  keys: MembershipKeys,
): Promise<{ id: string; heartbeatAt: string }[]> {
  // Members first: a join writes its heartbeat with its key, so each member read has one in the
  // later read, unless it left in between (then it is left out).
  const members = await kv.range(keys.prefix);
  const beats = await kv.range(keys.heartbeatPrefix);
  const at = new Map(beats.kvs.map((b) => [b.key.slice(keys.heartbeatPrefix.length), b.value]));
  return viewOf(members.kvs, keys).ids.flatMap((id) => {
    const heartbeatAt = at.get(id);
    return heartbeatAt === undefined ? [] : [{ id, heartbeatAt }];
  });
}

function viewOf(kvs: KeyValue[], keys: MembershipKeys): MemberView {
  const epoch = kvs.find((kv) => kv.key === keys.epochKey);
  const ids = kvs
    .filter((kv) => kv.key !== keys.epochKey)
    .map((kv) => kv.key.slice(keys.prefix.length))
    .sort();
  return { ids, epochRevision: epoch?.modRevision ?? 0 };
}

export function sameView(a: MemberView, b: MemberView): boolean {
  return a.epochRevision === b.epochRevision && a.ids.join('\n') === b.ids.join('\n');
}

class Member implements Membership {
  readonly signal: AbortSignal;
  private readonly lost = new AbortController();
  private current: MemberView = { ids: [], epochRevision: 0 };
  private kvs = new Map<string, KeyValue>();
  private waiters = new Set<() => void>();

  constructor(
    private readonly kv: KvStore,
    private readonly keys: MembershipKeys,
    readonly id: string,
    readonly key: string,
    readonly joinRevision: number,
    readonly lease: Lease,
    private readonly options: JoinOptions,
  ) {
    this.signal = this.lost.signal;
    const onLeaseEnd = () => this.lose(new Error('membership lease lost', { cause: lease.signal.reason }));
    if (lease.signal.aborted) onLeaseEnd();
    else lease.signal.addEventListener('abort', onLeaseEnd, { once: true });
  }

  /** Reads the member set once (so `view()` is current on return), then follows it and beats. */
  async start(stop: AbortSignal): Promise<void> {
    const revision = await this.load(stop);
    void this.follow(revision + 1);
    void this.beat();
  }

  view(): MemberView {
    return this.current;
  }

  changed(seen: MemberView, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (sameView(seen, this.current)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      signal.addEventListener('abort', () => this.waiters.delete(check), { once: true });
      check();
    });
  }

  async leave(): Promise<void> {
    this.lose(new Error('left'));
    await this.lease.revoke().catch(() => this.lease.release());
  }

  private lose(reason: Error): void {
    if (!this.signal.aborted) this.lost.abort(reason);
  }

  private async load(stop: AbortSignal): Promise<number> {
    const { kvs, revision } = await persist(() => this.kv.range(this.keys.prefix), stop);
    this.kvs = new Map(kvs.map((kv) => [kv.key, kv]));
    this.publish();
    return revision;
  }

  private publish(): void {
    const mine = this.kvs.get(this.key);
    if (mine?.modRevision !== this.joinRevision) {
      // Taken over: a restart of this member, or another process given the same id (a misconfiguration
      // that makes the two take turns).
      const how = mine ? 'taken over by a later join under the same id' : 'deleted (lease expired?)';
      this.lose(new Error(`member key ${this.key} was ${how}`));
      return;
    }
    const next = viewOf([...this.kvs.values()], this.keys);
    if (sameView(next, this.current)) return;
    this.current = next;
    for (const waiter of [...this.waiters]) waiter();
  }

  private async follow(fromRevision: number): Promise<void> {
    try {
      let from = fromRevision;
      while (!this.signal.aborted) {
        const watch = this.kv.watch(this.keys.prefix, { fromRevision: from, signal: this.signal });
        let compacted = false;
        for await (const message of watch) {
          if (message.kind === 'compacted') {
            compacted = true;
            break;
          }
          for (const event of message.events) {
            if (event.type === 'put') this.kvs.set(event.kv.key, event.kv);
            else this.kvs.delete(event.key);
          }
          this.publish();
        }
        await watch.close();
        if (!compacted) {
          if (!this.signal.aborted) this.lose(new Error('the member-set watch ended'));
          return;
        }
        from = (await this.load(this.signal)) + 1;
      }
    } catch (error) {
      this.lose(new Error('cannot follow the member set', { cause: error }));
    }
  }

  /** Refreshes the heartbeat key: what `readMembers` reports as the member's last sign of life. */
  private async beat(): Promise<void> {
    const every = this.options.heartbeatMs ?? (this.options.ttlSeconds * 1000) / 3;
    // The join wrote the first.
    await delay(every, undefined, { signal: this.signal }).catch(() => undefined);
    while (!this.signal.aborted) {
      const { key, value, lease } = heartbeat(this.keys, this.id, this.lease);
      await this.kv
        .put(key, value, { lease })
        .catch(() => undefined /* the next beat tries again; the lease decides liveness */);
      await delay(every, undefined, { signal: this.signal }).catch(() => undefined);
    }
  }
}
