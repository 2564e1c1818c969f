import { GroupCommit } from '../util/group-commit.js';
import type { KvStore } from './kv.js';

/**
 * The read barrier of a store follower (the segment cache): `wait()` resolves once the follower has
 * applied every write the store had acknowledged when `wait()` was called — through this process or
 * any other — so a client never reads older data than it just wrote.
 *
 * It reads the store's current revision (one linearizable read, shared by callers that arrive
 * together) and waits until the follower's watch has reached it. A watch reports only keys under
 * seghub's prefix; when others share the etcd, their writes move the revision and no event ever
 * shows it, so after `fenceAfterMs` the barrier writes its fence key — a change the watch is
 * certain to report, made after the target — and waits for that instead.
 */

export interface RevisionBarrierOptions {
  /** The key a fence write puts: one under the watched prefix that nothing else uses. */
  fenceKey: string;
  /** How long to wait for the watch before proving progress with a write of our own. */
  fenceAfterMs?: number;
  /** How long to wait in all before giving up. */
  timeoutMs?: number;
}

export class ReadBarrierTimeoutError extends Error {
  override name = 'ReadBarrierTimeoutError';
}

export class RevisionBarrier {
  /** Every store change up to this revision has been applied by the follower. */
  private applied = 0;
  private waiters: { revision: number; resolve: () => void }[] = [];
  /**
   * The store's revision now. Concurrent callers share a read, but never one that started before
   * they called: a write acknowledged just before the call might be missing from it.
   */
  private readonly revisionReads = new GroupCommit<void, number>(() =>
    this.kv.ping().then(({ revision }) => revision),
  );
  /** Fence writes, shared likewise: one made after every waiter's target proves it for all of them. */
  private readonly fenceWrites = new GroupCommit<number, number>(async (targets) => {
    this.fences++;
    const fence = await this.kv.txn({
      compare: [],
      success: [{ type: 'put', key: this.fenceKey, value: String(Math.max(...targets)) }],
    });
    return fence.revision;
  });
  private readonly closing = new AbortController();
  private readonly fenceKey: string;
  private readonly fenceAfterMs: number;
  private readonly timeoutMs: number;
  /** Fence writes made. */
  fences = 0;

  constructor(
    private readonly kv: KvStore,
    options: RevisionBarrierOptions,
  ) {
    this.fenceKey = options.fenceKey;
    this.fenceAfterMs = options.fenceAfterMs ?? 100;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The follower has applied every change up to `revision`. */
  advance(revision: number): void {
    this.applied = Math.max(this.applied, revision);
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => w.revision <= this.applied);
    this.waiters = this.waiters.filter((w) => w.revision > this.applied);
    for (const waiter of due) waiter.resolve();
  }

  /** Ends every wait (the follower is closing). */
  close(): void {
    this.closing.abort(new Error('closed'));
  }

  async wait(signal?: AbortSignal): Promise<void> {
    // The common case costs one linearizable read and no timers: the watch is already there.
    const target = await this.revisionReads.submit();
    if (this.applied < target) await this.catchUp(target, signal);
  }

  private async catchUp(target: number, signal: AbortSignal | undefined): Promise<void> {
    const deadline = AbortSignal.any([
      AbortSignal.timeout(this.timeoutMs),
      this.closing.signal,
      ...(signal ? [signal] : []),
    ]);
    try {
      if (
        !(await this.reached(target, AbortSignal.any([deadline, AbortSignal.timeout(this.fenceAfterMs)])))
      ) {
        const fence = await this.fenceWrites.submit(target);
        if (!(await this.reached(fence, deadline))) throw deadline.reason;
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (deadline.aborted) {
        throw new ReadBarrierTimeoutError(`the store follower did not catch up within ${this.timeoutMs} ms`);
      }
      throw error;
    }
  }

  /** Whether the follower reaches `revision` before `signal` aborts. */
  private reached(revision: number, signal: AbortSignal): Promise<boolean> {
    if (this.applied >= revision) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        revision,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }
}
