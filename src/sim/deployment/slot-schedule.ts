/**
 * Hands out start times when at most `parallelism` devices run at once: each device, in request
 * order, takes the slot that frees first. A device that never finishes keeps its slot for good.
 */
export class SlotSchedule {
  // A binary min-heap of the times the slots free up; absent when every device may start at once.
  private readonly freeAt: number[] | undefined;

  constructor(parallelism: number, devices: number) {
    this.freeAt = parallelism === 0 || parallelism >= devices ? undefined : Array(parallelism).fill(0);
  }

  /** The start of a device that then runs for `runMs` (Infinity: forever). */
  take(runMs: number): number {
    const heap = this.freeAt;
    if (!heap) return 0;
    const start = heap[0]!;
    heap[0] = start + runMs;
    siftDown(heap);
    return start;
  }
}

function siftDown(heap: number[]): void {
  const value = heap[0]!;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= value) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = value;
}
