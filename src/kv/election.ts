import { absent, type Compare, type KeyValue, type KvStore, type Lease } from './kv.js';
import { persist } from './persist.js';

/**
 * Leader election on the KvStore interface alone, so it runs on etcd and on the embedded store:
 * etcd's recipe (clientv3/concurrency). Each candidate creates `<prefix><leaseId>` bound to
 * its own lease; the candidate whose key has the lowest createRevision leads. Every other candidate
 * waits for the deletion of its predecessor only (the key just below its own), so a departure wakes
 * one candidate rather than all of them.
 */

export class ElectionError extends Error {
  override name = 'ElectionError';
}

export interface CampaignOptions {
  /** TTL of the candidate's lease: how long a crashed leader keeps leading. */
  ttlSeconds: number;
  /** Aborting withdraws the candidacy (its key and lease are removed) and rejects the campaign. */
  signal?: AbortSignal;
}

export interface Leadership {
  /** This leader's key, `<prefix><leaseId>`. */
  readonly key: string;
  /** When this candidacy's key was created; compare on it to make a write conditional on leading. */
  readonly createRevision: number;
  /** The lease behind the candidacy. Releasing it imitates a crash: leadership ends after its TTL. */
  readonly lease: Lease;
  /**
   * Aborted as soon as this process may no longer be the leader: lease lost or expired, key
   * deleted, or resigned. A leader stops leader-only work when it fires.
   */
  readonly signal: AbortSignal;
  /** Gives up leadership now: the next candidate takes over without waiting for a TTL. */
  resign(): Promise<void>;
}

/** An election is a key prefix of its own: every key under it is a candidate. */
function checkPrefix(prefix: string): string {
  if (!prefix.endsWith('/')) throw new ElectionError(`an election's prefix must end with "/": "${prefix}"`);
  return prefix;
}

/**
 * Resolves once this candidate leads the election under `electionPrefix` (the caller's keyspace
 * names it). Rejects if its lease is lost or `signal` aborts first.
 */
export async function campaign(
  kv: KvStore,
  electionPrefix: string,
  candidateValue: string,
  options: CampaignOptions,
): Promise<Leadership> {
  const prefix = checkPrefix(electionPrefix);
  options.signal?.throwIfAborted();
  const lease = await kv.grantLease(options.ttlSeconds);
  const stop = options.signal ? AbortSignal.any([options.signal, lease.signal]) : lease.signal;
  const key = `${prefix}${lease.id}`;
  try {
    stop.throwIfAborted();
    // Retrying createCandidate through an outage is safe: it recognises its own key.
    const createRevision = await persist(() => createCandidate(kv, key, candidateValue, lease), stop);
    const revision = await waitForTurn(kv, prefix, key, createRevision, stop);
    return new HeldLeadership(kv, key, createRevision, lease, revision + 1);
  } catch (error) {
    // Read before withdrawing: revoking aborts the lease signal too.
    const leaseLost = lease.signal.aborted;
    await withdraw(lease);
    if (options.signal?.aborted) throw options.signal.reason;
    if (leaseLost) throw new ElectionError('campaign lost its lease', { cause: lease.signal.reason });
    throw error;
  }
}

/** A transaction compare that holds only while `leadership` lasts: fencing for a leader's writes. */
export function whileLeading(leadership: Leadership): Compare {
  return { key: leadership.key, target: 'createRevision', op: '=', value: leadership.createRevision };
}

/** The value of the current leader's candidacy, or undefined when nobody campaigns. */
export async function currentLeader(kv: KvStore, electionPrefix: string): Promise<string | undefined> {
  const { kvs } = await kv.range(checkPrefix(electionPrefix));
  return lowestCreateRevision(kvs)?.value;
}

async function createCandidate(kv: KvStore, key: string, value: string, lease: Lease): Promise<number> {
  const result = await kv.txn({
    compare: [absent(key)],
    success: [{ type: 'put', key, value, lease: lease.id }],
    failure: [{ type: 'get', key }],
  });
  if (result.succeeded) return result.revision;
  // Lease ids are unique, so the key can only exist if this very lease wrote it.
  const existing = result.results[0];
  if (existing?.type === 'get' && existing.kv?.lease === lease.id) return existing.kv.createRevision;
  throw new ElectionError(`candidate key ${key} already belongs to another lease`);
}

/** Returns the revision of the read that found no predecessor left. */
async function waitForTurn(
  kv: KvStore,
  prefix: string,
  key: string,
  createRevision: number,
  stop: AbortSignal,
): Promise<number> {
  for (;;) {
    const { kvs, revision } = await persist(() => kv.range(prefix), stop);
    if (!kvs.some((candidate) => candidate.key === key)) {
      throw new ElectionError(`candidate key ${key} was deleted while campaigning`);
    }
    const predecessor = highestCreateRevision(kvs.filter((c) => c.createRevision < createRevision));
    if (!predecessor) return revision;
    await waitForDeletion(kv, predecessor.key, revision + 1, stop);
  }
}

/**
 * Returns when `key` is deleted after `fromRevision`, when history was compacted (the caller
 * re-reads), or when `stop` aborts.
 */
async function waitForDeletion(kv: KvStore, key: string, fromRevision: number, stop: AbortSignal) {
  // A prefix watch on the key also sees keys extending it; only the exact key counts.
  const watch = kv.watch(key, { fromRevision, signal: stop });
  try {
    for await (const message of watch) {
      if (message.kind === 'compacted') return;
      if (message.events.some((event) => event.type === 'delete' && event.key === key)) return;
    }
  } finally {
    await watch.close();
  }
}

/** Best effort: revoking removes the key at once; failing that, the lease expires after its TTL. */
async function withdraw(lease: Lease): Promise<void> {
  try {
    await lease.revoke();
  } catch {
    lease.release();
  }
}

function lowestCreateRevision(kvs: KeyValue[]): KeyValue | undefined {
  return kvs.reduce<KeyValue | undefined>(
    (min, kv) => (!min || kv.createRevision < min.createRevision ? kv : min),
    undefined,
  );
}

function highestCreateRevision(kvs: KeyValue[]): KeyValue | undefined {
  return kvs.reduce<KeyValue | undefined>(
    (max, kv) => (!max || kv.createRevision > max.createRevision ? kv : max),
    undefined,
  );
}

class HeldLeadership implements Leadership {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();

  constructor(
    private readonly kv: KvStore,
    readonly key: string,
    readonly createRevision: number,
    readonly lease: Lease,
    watchFrom: number,
  ) {
    this.signal = this.controller.signal;
    const onLeaseEnd = () =>
      this.lose(new ElectionError('leadership lease lost', { cause: lease.signal.reason }));
    if (lease.signal.aborted) onLeaseEnd();
    else lease.signal.addEventListener('abort', onLeaseEnd, { once: true });
    void this.guardKey(watchFrom);
  }

  async resign(): Promise<void> {
    this.lose(new ElectionError('resigned'));
    await withdraw(this.lease);
  }

  private lose(reason: Error): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  /** Leadership also ends if the key itself goes away (an operator or a bug deleting it). */
  private async guardKey(fromRevision: number): Promise<void> {
    try {
      let from = fromRevision;
      while (!this.signal.aborted) {
        await waitForDeletion(this.kv, this.key, from, this.signal);
        if (this.signal.aborted) return;
        // Deleted, or history compacted: the key itself says which.
        const { kvs, revision } = await persist(() => this.kv.range(this.key), this.signal);
        const mine = kvs.find((kv) => kv.key === this.key && kv.createRevision === this.createRevision);
        if (!mine) this.lose(new ElectionError(`leadership key ${this.key} was deleted`));
        from = revision + 1;
      }
    } catch (error) {
      this.lose(new ElectionError('cannot observe the leadership key', { cause: error }));
    }
  }
}
