import { setTimeout as delay } from 'node:timers/promises';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomised, so many retrying clients do not move in step. */
  jitter?: number;
}

/** Exponential delay for the given attempt (0-based), capped, with jitter. */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs, jitter = 0.2 }: BackoffOptions,
  random = Math.random,
): number {
  const exact = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 52));
  return Math.round(exact * (1 - jitter + 2 * jitter * random()));
}

/**
 * Runs `task` until it succeeds, waiting longer after each failure. Stops (rejecting with the abort
 * reason) when `signal` aborts.
 */
export async function retryUntilDone<T>(
  task: (attempt: number) => Promise<T>,
  options: BackoffOptions & {
    signal: AbortSignal;
    /** Errors that no retry can fix end the loop at once. */
    isPermanent?: (error: unknown) => boolean;
    onError?: (error: unknown, attempt: number, nextDelayMs: number) => void;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    options.signal.throwIfAborted();
    try {
      return await task(attempt);
    } catch (error) {
      options.signal.throwIfAborted();
      if (options.isPermanent?.(error)) throw error;
      const wait = backoffDelay(attempt, options);
      options.onError?.(error, attempt, wait);
      // An abort mid-wait rejects with the signal's own reason, as an abort anywhere else does.
      await delay(wait, undefined, { signal: options.signal }).catch(() => options.signal.throwIfAborted());
    }
  }
}
