import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from '../logger.js';

/** How often the process looks whether it has gone idle with a grown heap. */
const CHECK_MS = 5000;
/**
 * Event-loop utilisation below which a check's interval counts as quiet. Not zero: the controller's
 * resyncs and syncs to SDP keep a server a few percent busy long after its clients have gone.
 */
const IDLE_UTILIZATION = 0.1;
/** Growth of the committed heap since the last collection that is worth collecting. */
const WORTH_BYTES = 32 * 1024 * 1024;

/**
 * Gives memory back once a burst is over. V8 runs a full collection only when allocation asks for
 * one, so an idle process keeps the heap its last burst grew: 360 MiB resident after 40 large
 * request bodies, 94 MiB after one collection (DEVELOPERS.md). When the event loop has been idle for
 * a whole check and the committed heap has grown by WORTH_BYTES since the last collection, this runs
 * one. Needs node's `--expose-gc` (`npm start` passes it); without it, it does nothing.
 */
export function startIdleGc(log: Logger): { stop(): void } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return { stop() {} };
  let collectedAt = getHeapStatistics().total_heap_size;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const committed = getHeapStatistics().total_heap_size;
    // A busy process collects on its own; and a heap that shrank sets a lower mark to grow from.
    if (committed < collectedAt) collectedAt = committed;
    if (busy > IDLE_UTILIZATION || committed - collectedAt < WORTH_BYTES) return;
    gc();
    collectedAt = getHeapStatistics().total_heap_size;
    log.debug({ before: committed, after: collectedAt }, 'idle: heap collected');
  }, CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
