import type { Logger } from '../logger.js';
import type { WorkQueue } from './work-queue.js';

/** Nothing (done until the key changes) or a delay after which to reconcile the key again. */
// biome-ignore lint/suspicious/noConfusingVoidType: a reconcile that returns nothing has succeeded
export type ReconcileResult = void | { requeueAfterMs: number };

/** Brings the world in line with the state of `key`; throws to be retried with backoff. */
export type Reconcile<K> = (key: K, signal: AbortSignal) => Promise<ReconcileResult>;

export type ReconcileOutcome = 'success' | 'requeue' | 'error';

export interface ReconcileObservation {
  /** The controller's name. */
  name: string;
  outcome: ReconcileOutcome;
  durationMs: number;
}

export interface RunWorkersOptions<K = unknown> {
  /** How many keys are reconciled at once (at least 1). */
  workers: number;
  /** Aborting shuts the queue down; in-flight reconciles see it through their own signal. */
  signal: AbortSignal;
  logger: Logger;
  /** Names the controller in logs and metrics. */
  name: string;
  /** Called after every reconcile, e.g. to feed a prom-client histogram. */
  observe?: (observation: ReconcileObservation) => void;
  /**
   * Sharded mode: keys this member does not own are dropped, whichever source queued them
   * (absent: every key is this controller's).
   */
  owns?: (key: K) => boolean;
}

/**
 * Runs `workers` loops that take keys from `queue` and reconcile them. Resolves once `signal` has
 * aborted and every reconcile in flight has returned.
 */
export async function runWorkers<K>(
  queue: WorkQueue<K>,
  reconcile: Reconcile<K>,
  options: RunWorkersOptions<K>,
): Promise<void> {
  const { signal } = options;
  const stop = () => queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const log = options.logger.child({ controller: options.name });
  const work = async () => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      if (options.owns && !options.owns(key)) {
        queue.forget(key);
        queue.done(key);
        continue;
      }
      await reconcileOne(queue, key, reconcile, { ...options, logger: log });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, work));
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function reconcileOne<K>(
  queue: WorkQueue<K>,
  key: K,
  reconcile: Reconcile<K>,
  { signal, logger, name, observe }: RunWorkersOptions<K>,
): Promise<void> {
  const started = performance.now();
  let outcome: ReconcileOutcome;
  try {
    const result = await reconcile(key, signal);
    queue.forget(key);
    if (result) {
      queue.addAfter(key, result.requeueAfterMs);
      outcome = 'requeue';
    } else {
      outcome = 'success';
    }
  } catch (error) {
    outcome = 'error';
    const retryInMs = queue.addRateLimited(key);
    // Reconciles cut short by shutdown fail as a matter of course; they are not worth a warning.
    if (!signal.aborted) {
      logger.warn(
        { err: error, key, failures: queue.failures(key), retryInMs },
        'reconcile failed; retrying',
      );
    }
  } finally {
    queue.done(key);
  }
  try {
    observe?.({ name, outcome, durationMs: performance.now() - started });
  } catch (error) {
    // A broken metrics hook must not stop the worker that called it.
    logger.error({ err: error }, 'reconcile metrics hook failed');
  }
}
