import { randomBytes } from 'node:crypto';
import { StoreUnavailableError } from '../kv.js';
import type { KvState } from './kv-state.js';

interface LeaseClock {
  ttlSeconds: number;
  /** Undefined while the lease is kept alive by its holder in this process. */
  expiresAt: number | undefined;
  /** Set once expiry was handed to the store, so it is not requested twice. */
  expiring: boolean;
  readonly controller: AbortController;
}

/**
 * The in-process side of leases: their abort signals and expiry times. A lease granted in this
 * process is kept alive until released, so it needs no timer; released leases, and leases found
 * on disk at start-up (their holder is gone), count down their TTL. One timer serves all of them.
 */
export class LeaseKeeper {
  private readonly clocks = new Map<string, LeaseClock>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    /** Asks the store to revoke an expired lease. */
    private readonly expire: (id: string) => void,
  ) {}

  /** Tracks a lease; `keptAlive` false starts its TTL countdown now. */
  track(id: string, ttlSeconds: number, keptAlive: boolean): AbortSignal {
    const controller = new AbortController();
    if (this.stopped) {
      controller.abort(new StoreUnavailableError('embedded kv is closed'));
      return controller.signal;
    }
    const expiresAt = keptAlive ? undefined : Date.now() + ttlSeconds * 1000;
    this.clocks.set(id, { ttlSeconds, expiresAt, expiring: false, controller });
    this.schedule();
    return controller.signal;
  }

  /** The holder stopped keeping the lease alive: it expires one TTL from now. */
  release(id: string): void {
    const clock = this.clocks.get(id);
    if (!clock || clock.expiresAt !== undefined) return;
    clock.expiresAt = Date.now() + clock.ttlSeconds * 1000;
    this.schedule();
  }

  /** The lease is gone from the store, or can no longer be kept alive: abort its signal. */
  gone(id: string, reason: Error): void {
    const clock = this.clocks.get(id);
    if (!clock) return;
    this.clocks.delete(id);
    clock.controller.abort(reason);
  }

  /** Store closing: no lease can be kept alive any more, so every holder is told. */
  stop(reason: Error): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const id of [...this.clocks.keys()]) this.gone(id, reason);
  }

  private schedule(): void {
    if (this.stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const clock of this.clocks.values()) {
      if (clock.expiresAt !== undefined && !clock.expiring) next = Math.min(next, clock.expiresAt);
    }
    if (next === this.timerAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    // Expiry alone is no reason to keep the process running.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const [id, clock] of this.clocks) {
      if (clock.expiresAt !== undefined && clock.expiresAt <= now && !clock.expiring) {
        clock.expiring = true;
        this.expire(id);
      }
    }
    this.schedule();
  }
}

/** Random 63-bit ids, like etcd's, so ids of a previous run are not reused by accident. */
export function newLeaseId(state: KvState): string {
  for (;;) {
    const id = (randomBytes(8).readBigUInt64BE() >> 1n).toString();
    if (id !== '0' && !state.leases.has(id)) return id;
  }
}
