import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import { type IntegrityService, integrityDueAt } from '../domain/trust/integrity-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { segmentKind } from '../records/kinds.js';
import type { StoredSegment } from '../records/segment-records.js';
import { backoffDelay } from '../util/backoff.js';
import { runKeySource } from './key-source.js';
import type { ReconcileObservation } from './run-workers.js';

/**
 * The leader's integrity pass (SPEC-FLEET D11): every stored file is hashed again once per
 * `INTEGRITY_CHECK_INTERVAL_H`. When each segment is due comes from its record's
 * `integrity.checkedAt`, not from a timer, so a new leader carries on where the old one stopped.
 * Files are checked one at a time (they can be GiBs); between passes the loop waits for the next due
 * time, a segment that was never checked (from the segment watch), or the end of the term.
 */

export interface IntegrityPassDeps {
  integrity: IntegrityService;
  /** Where the segments come from (the catalog, read from memory). */
  segments: SegmentService;
  logger: Logger;
  /** Holds only while this process leads. */
  guard: WriteGuard;
  /** INTEGRITY_CHECK_INTERVAL_H, in ms. */
  intervalMs: number;
  /**
   * The longest wait without looking at the clock again (CONTROLLER_RESYNC_MS): the clock may jump
   * (NTP, or a test's injected clock), and then a timer set for the old due time would be late.
   */
  resyncMs: number;
  now?: () => Date;
}

export interface IntegrityPassOptions {
  signal: AbortSignal;
  /** One observation per file checked, named `integrity` (the controller's reconcile histogram). */
  observe?: (observation: ReconcileObservation) => void;
}

/** Resolves once `signal` aborts (the end of the leader's term) and the check in flight stopped. */
export async function runIntegrity(
  store: KvStore,
  deps: IntegrityPassDeps,
  options: IntegrityPassOptions,
): Promise<void> {
  const { signal } = options;
  const wake = new Wake();
  const logger = deps.logger.child({ component: 'integrity-pass' });
  await Promise.all([
    // New segments (no `integrity` yet) are due at once; every other change is no reason to look.
    runKeySource(store, segmentKind.prefix, {
      onKey: (_key, kv) => {
        if (kv) wake.poke();
      },
      filter: (kv) => {
        try {
          const record = segmentKind.decode(kv.key, kv.value);
          return record.integrity === undefined && record.deleteStatus !== 'PROCESSING';
        } catch {
          return false; // unreadable records are reported by whoever reads them
        }
      },
      resyncMs: 0,
      signal,
      logger,
    }),
    loop(deps, wake, options, logger),
  ]);
}

async function loop(deps: IntegrityPassDeps, wake: Wake, options: IntegrityPassOptions, log: Logger) {
  const { signal } = options;
  const now = deps.now ?? (() => new Date());
  for (let failures = 0; !signal.aborted; ) {
    wake.clear(); // a segment arriving from here on is either seen by this pass or wakes the next
    let waitMs: number;
    try {
      const outcome = await pass(deps, options, log);
      waitMs = Math.min(Math.max(0, outcome.nextDueAt - now().getTime()), deps.resyncMs);
      // Files that could not be read for a passing reason stay due: try them again after a pause.
      failures = outcome.failed > 0 ? failures + 1 : 0;
      if (failures > 0) waitMs = Math.min(waitMs, retryDelay(failures, deps.resyncMs));
    } catch (error) {
      if (signal.aborted) return;
      waitMs = retryDelay(++failures, deps.resyncMs);
      log.warn({ err: error, nextDelayMs: waitMs }, 'integrity pass failed');
    }
    await wake.wait(waitMs, signal);
  }
}

interface PassOutcome {
  /** When the earliest segment not checked in this pass is due (Infinity: none). */
  nextDueAt: number;
  /** Checks that failed for a reason that says nothing about the file. */
  failed: number;
}

/** Checks every due segment, most overdue first; the record is read again just before its check. */
async function pass(
  deps: IntegrityPassDeps,
  options: IntegrityPassOptions,
  log: Logger,
): Promise<PassOutcome> {
  const { signal, observe } = options;
  const now = deps.now ?? (() => new Date());
  const dueAt = (segment: StoredSegment) => integrityDueAt(segment, deps.intervalMs);
  const candidates = (await deps.segments.all())
    .filter((segment) => !beingDeleted(segment))
    .map((segment) => ({ segment, due: dueAt(segment) }))
    .sort((a, b) => a.due - b.due);
  let failed = 0;
  for (const { segment: listed, due } of candidates) {
    signal.throwIfAborted();
    if (due > now().getTime()) return { nextDueAt: due, failed };
    // The list may be minutes old by now (files are large): someone may have checked it meanwhile.
    const segment = await deps.segments.get(listed.id);
    if (!segment || beingDeleted(segment) || dueAt(segment) > now().getTime()) continue;
    const started = performance.now();
    try {
      await deps.integrity.check(segment, deps.guard, signal);
      observe?.({ name: 'integrity', outcome: 'success', durationMs: performance.now() - started });
    } catch (error) {
      signal.throwIfAborted();
      failed++;
      observe?.({ name: 'integrity', outcome: 'error', durationMs: performance.now() - started });
      log.warn({ err: error, segmentId: segment.id }, 'integrity check failed; trying again later');
    }
  }
  return { nextDueAt: Number.POSITIVE_INFINITY, failed };
}

/**
 * Its file is about to go, and a file already removed would read as tampered. A FAILED delete keeps
 * the segment (and its file, which downloads still serve): that one is checked.
 */
function beingDeleted(segment: StoredSegment): boolean {
  return segment.record.deleteStatus === 'PROCESSING';
}

function retryDelay(failures: number, maxMs: number): number {
  return backoffDelay(failures - 1, { baseMs: 1000, maxMs });
}

/** A wait that ends at its time, on abort, or when poked (also by a poke that came before it). */
class Wake {
  private poked = false;
  private wakeUp: (() => void) | undefined;

  poke(): void {
    this.poked = true;
    this.wakeUp?.();
  }

  clear(): void {
    this.poked = false;
  }

  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.poked || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
