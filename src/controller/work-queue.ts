import { backoffDelay } from '../util/backoff.js';

export interface WorkQueueOptions {
  /** Per-key delay after a key's first failure; it doubles with each further failure. */
  baseDelayMs?: number;
  /** Cap of the per-key delay. */
  maxDelayMs?: number;
  /** Fraction of the per-key delay that is randomised, so keys that failed together do not retry together. */
  jitter?: number;
  /** Sustained rate of rate-limited adds across all keys... */
  ratePerSecond?: number;
  /** ...and how many may come at once before that rate applies. */
  burst?: number;
  /** Source of the jitter; tests pass a fixed one. */
  random?: () => number;
}

const DEFAULTS = {
  baseDelayMs: 5,
  maxDelayMs: 60_000,
  jitter: 0.2,
  ratePerSecond: 20,
  burst: 100,
  random: Math.random,
} satisfies Required<WorkQueueOptions>;

/**
 * A rate-limited work queue after client-go's `workqueue.RateLimitingInterface`.
 *
 * A key is queued at most once. A key handed out by `get()` stays "processing" until `done(key)`;
 * adding it meanwhile only marks it dirty, and it is queued again at `done`, so no two workers ever
 * hold the same key. After `shutDown()` every `get()` resolves `undefined` and adds are ignored:
 * keys still queued are dropped, since a controller that stops wants its workers back now.
 */
export class WorkQueue<K = string> {
  private readonly options: Required<WorkQueueOptions>;
  private readonly bucket: TokenBucket;
  /** FIFO of queued keys; `head` is the next to hand out (an array shift per get is O(n)). */
  private queued: K[] = [];
  private head = 0;
  /** Keys that need processing: queued, or to be queued again once their processing is done. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly delayed = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private readonly failureCounts = new Map<K, number>();
  /** Waiting `get()` calls; there are some only while nothing is queued. */
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private stopped = false;

  constructor(options: WorkQueueOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    const { ratePerSecond, burst } = this.options;
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new RangeError(
        `work queue needs ratePerSecond > 0 and burst >= 1 (got ${ratePerSecond}, ${burst})`,
      );
    }
    this.bucket = new TokenBucket(ratePerSecond, burst);
  }

  /** Keys queued now (not those being processed or waiting for a delayed add). */
  get length(): number {
    return this.queued.length - this.head;
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  /** Queues `key` now; a delayed add of it is dropped, since this one comes first. */
  add(key: K): void {
    if (this.stopped) return;
    this.cancelDelayed(key);
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) this.enqueue(key);
  }

  /** Queues `key` after `delayMs`; if it already waits for a delayed add, the earlier time wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.stopped) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const at = performance.now() + delayMs;
    const waiting = this.delayed.get(key);
    if (waiting && waiting.at <= at) return;
    if (waiting) clearTimeout(waiting.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { at, timer });
  }

  /**
   * Queues `key` after the longer of its own backoff (which grows with each call until `forget`)
   * and the global bucket's delay, as client-go's default controller rate limiter does. Returns
   * the delay chosen.
   */
  addRateLimited(key: K): number {
    if (this.stopped) return 0;
    const failures = this.failureCounts.get(key) ?? 0;
    this.failureCounts.set(key, failures + 1);
    const { baseDelayMs: baseMs, maxDelayMs: maxMs, jitter, random } = this.options;
    const delayMs = Math.max(backoffDelay(failures, { baseMs, maxMs, jitter }, random), this.bucket.take());
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Resets the backoff of `key`: call it once the key was processed successfully. */
  forget(key: K): void {
    this.failureCounts.delete(key);
  }

  /** How often `key` was rate-limited since it was last forgotten. */
  failures(key: K): number {
    return this.failureCounts.get(key) ?? 0;
  }

  /** The next key, oldest first, waiting until there is one; `undefined` once shut down. */
  get(): Promise<K | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    if (this.length > 0) return Promise.resolve(this.claim(this.dequeue()));
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of `key`; if it was added meanwhile, it is queued again now. */
  done(key: K): void {
    this.processing.delete(key);
    if (!this.stopped && this.dirty.has(key)) this.enqueue(key);
  }

  /** Wakes every waiting `get()` with `undefined`, drops queued and delayed keys and clears all timers. */
  shutDown(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queued = [];
    this.head = 0;
    this.dirty.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
  }

  private enqueue(key: K): void {
    const getter = this.getters.shift();
    if (getter) getter(this.claim(key));
    else this.queued.push(key);
  }

  private dequeue(): K {
    const key = this.queued[this.head++] as K;
    if (this.head >= 1024 && this.head * 2 >= this.queued.length) {
      this.queued = this.queued.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  private claim(key: K): K {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private cancelDelayed(key: K): void {
    const waiting = this.delayed.get(key);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.delayed.delete(key);
  }
}

/**
 * golang.org/x/time/rate's reservation semantics: every take succeeds, borrowing against future
 * refills once the bucket is empty, and says how long to wait until the borrowed token exists.
 */
class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond);
  }
}
