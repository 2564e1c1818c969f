import { randomUUID } from 'node:crypto';
import { absent, type KvStore, type Lease } from '../kv/kv.js';
import { keys } from './keyspace.js';

/**
 * The tus lock of each upload session, in the store (D12): any replica may serve any request of a
 * session, and two requests writing one session's bytes at once must not. A lock is a key
 * holding its holder's id, put only if absent, on one lease per process: a process that dies
 * takes its locks with it once the lease runs out (`LOCK_LEASE_TTL_S`).
 *
 * tus asks a holder to give the lock up when another request wants it (a client that resumes
 * after losing its connection, while the server still waits on the old one): the asker writes
 * `upload-lock-requests/<id>`, which every process watches (`onRequests`).
 */

const LOCK_LEASE_TTL_S = 10;

export class UploadLocks {
  private lease: Promise<Lease> | undefined;

  constructor(private readonly kv: KvStore) {}

  /** A fresh holder id per request. */
  newHolder(): string {
    return randomUUID();
  }

  /** Takes the lock for `holder` if nobody holds it. */
  async tryAcquire(sessionId: string, holder: string): Promise<boolean> {
    const key = keys.uploadLock(sessionId);
    const lease = await this.currentLease();
    const result = await this.kv.txn({
      compare: [absent(key)],
      success: [{ type: 'put', key, value: holder, lease: lease.id }],
    });
    return result.succeeded;
  }

  /** Gives the lock up if `holder` still holds it. */
  async release(sessionId: string, holder: string): Promise<void> {
    const key = keys.uploadLock(sessionId);
    await this.kv.txn({
      compare: [{ key, target: 'value', op: '=', value: holder }],
      success: [{ type: 'delete', key }],
    });
  }

  /** Asks whoever holds the lock to give it up. */
  async requestRelease(sessionId: string): Promise<void> {
    await this.kv.put(keys.uploadLockRequest(sessionId), new Date().toISOString());
  }

  /** Calls `onRequest` with the session id of every release request from now until `signal` aborts. */
  async onRequests(signal: AbortSignal, onRequest: (sessionId: string) => void): Promise<void> {
    const watch = this.kv.watch(keys.uploadLockRequests, { signal });
    for await (const message of watch) {
      if (message.kind !== 'events') continue;
      for (const event of message.events) {
        if (event.type === 'put') onRequest(event.kv.key.slice(keys.uploadLockRequests.length));
      }
    }
  }

  /** Removes a session's release request (the session is gone). */
  async forget(sessionId: string): Promise<void> {
    await this.kv.delete(keys.uploadLockRequest(sessionId));
  }

  /** One lease per process, granted on first use and again after it was lost. */
  private async currentLease(): Promise<Lease> {
    const held = this.lease;
    if (held) {
      const lease = await held.catch(() => undefined);
      if (lease && !lease.signal.aborted) return lease;
      if (this.lease === held) this.lease = undefined;
    }
    this.lease ??= this.kv.grantLease(LOCK_LEASE_TTL_S);
    return this.lease;
  }

  /** Ends the lease (its locks go with it). */
  async close(): Promise<void> {
    const lease = await this.lease?.catch(() => undefined);
    this.lease = undefined;
    await lease?.revoke().catch(() => {});
  }
}
