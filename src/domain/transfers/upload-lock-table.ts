import { setTimeout as delay } from 'node:timers/promises';
import type { UploadLocks } from '../../records/upload-locks.js';

/**
 * The locks of upload sessions as tus uses them (its `Locker`): one request at a time per session,
 * across replicas (the locks are in the store, `records/upload-locks.ts`). A request that wants a
 * held lock asks the holder to give it up — at once when the holder runs in this process, through
 * the store otherwise — and waits for it. A holder that was killed gives it up when its lease ends.
 */

export type Release = () => Promise<void>;

export interface AcquireOptions {
  /** Give up after this long (a killed holder's lease runs out within ~10 s). */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  /** Called when another request asks for the lock: the holder should finish and release. */
  readonly onRequested?: () => void;
}

/** Checked this often while waiting for a held lock. */
const RETRY_MS = 100;

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export class UploadLockTable {
  /** Locks held by this process: session id → who to ask to give it up. */
  private readonly held = new Map<string, { onRequested?: () => void }>();

  constructor(private readonly locks: UploadLocks) {}

  async acquire(sessionId: string, options: AcquireOptions): Promise<Release> {
    const holder = this.locks.newHolder();
    const deadline = Date.now() + options.waitMs;
    let asked = false;
    while (!(await this.locks.tryAcquire(sessionId, holder))) {
      if (!asked) {
        asked = true;
        const local = this.held.get(sessionId);
        if (local) local.onRequested?.();
        else await this.locks.requestRelease(sessionId);
      }
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`upload session ${sessionId} stayed locked for ${options.waitMs} ms`);
      }
      await delay(RETRY_MS, undefined, { signal: options.signal });
    }
    return this.hold(sessionId, holder, options.onRequested);
  }

  /** The lock if it is free now, else undefined. */
  async tryAcquire(sessionId: string): Promise<Release | undefined> {
    const holder = this.locks.newHolder();
    return (await this.locks.tryAcquire(sessionId, holder)) ? this.hold(sessionId, holder) : undefined;
  }

  /** Drops what is left of a removed session's locking (its release request). */
  forget(sessionId: string): Promise<void> {
    return this.locks.forget(sessionId);
  }

  /** Passes the store's release requests on to this process's holders until `signal` aborts. */
  async serveRequests(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // A watch ends when history was compacted under it: start a new one.
      await this.locks.onRequests(signal, (sessionId) => this.held.get(sessionId)?.onRequested?.());
    }
  }

  close(): Promise<void> {
    return this.locks.close();
  }

  private hold(sessionId: string, holder: string, onRequested?: () => void): Release {
    const entry = { onRequested };
    this.held.set(sessionId, entry);
    return async () => {
      if (this.held.get(sessionId) === entry) this.held.delete(sessionId);
      await this.locks.release(sessionId, holder);
    };
  }
}
