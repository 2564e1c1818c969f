import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Compare, KvStore } from '../kv/kv.js';
import { join, type Membership, type MembershipKeys, whileMember } from '../kv/membership.js';
import type { Logger } from '../logger.js';
import { backoffDelay } from '../util/backoff.js';
import type { OwnsName } from './ownership.js';
import { ownershipFilter } from './shard-assignment.js';

/**
 * Sharded mode (SPEC-FLEET section 6, D14): this replica as a controller member. Each member set
 * (with its epoch) is a term: the owned reconcilers run with the names this member owns under that
 * set and a guard comparing its own member key and the epoch; when the set or the epoch changes
 * the term ends (its signal aborts the reconcilers), and the next starts from the new set. A member
 * whose lease ends stops at once; its writes would fail the compare anyway.
 */

/** The owned work of one term: reconcile only names `owns` accepts, fence every write with `guard`. */
export type OwnedWork = (guard: Compare[], term: AbortSignal, owns: OwnsName) => Promise<void>;

export interface MemberLoopOptions {
  store: KvStore;
  keys: MembershipKeys;
  memberId: string;
  ttlSeconds: number;
  logger: Logger;
  /** Listeners a term's signal may legitimately have (reconcilers × workers of SDP calls). */
  maxListeners: number;
  /** Aborting leaves the member set (the key goes at once) after the running term has stopped. */
  signal: AbortSignal;
}

export async function runMember(options: MemberLoopOptions, work: OwnedWork): Promise<void> {
  const { signal } = options;
  const log = options.logger.child({ component: 'controller-member', memberId: options.memberId });
  for (let failures = 0; !signal.aborted; ) {
    let membership: Membership;
    try {
      membership = await join(options.store, options.keys, options.memberId, {
        ttlSeconds: options.ttlSeconds,
        signal,
      });
    } catch (err) {
      if (signal.aborted) return;
      const wait = backoffDelay(failures++, { baseMs: 500, maxMs: 10_000 });
      log.warn({ err, nextDelayMs: wait }, 'joining the controller members failed');
      await delay(wait, undefined, { signal }).catch(() => {});
      continue;
    }
    failures = 0;
    log.info('joined the controller members');
    await runTerms(membership, options, work, log);
    if (signal.aborted) {
      await membership.leave().catch((err) => log.warn({ err }, 'leaving failed; the lease will expire'));
    } else {
      log.warn({ reason: String(membership.signal.reason) }, 'membership lost: owned reconcilers stopped');
    }
  }
}

/** Terms one after another, for as long as the membership lasts. */
async function runTerms(membership: Membership, options: MemberLoopOptions, work: OwnedWork, log: Logger) {
  const life = AbortSignal.any([membership.signal, options.signal]);
  while (!life.aborted) {
    const view = membership.view();
    const ended = new AbortController();
    const term = AbortSignal.any([life, ended.signal]);
    setMaxListeners(options.maxListeners, term);
    void membership.changed(view, term).then(() => ended.abort(new Error('member set changed')));
    log.info({ members: view.ids, epochRevision: view.epochRevision }, 'member term started');
    await work(whileMember(membership, view, options.keys), term, ownershipFilter(membership.id, view.ids));
    ended.abort(new Error('term over'));
  }
}
