/**
 * Group commit: one `flush` at a time; whatever is submitted while one runs goes into the next, in
 * batches of at most `maxBatch`. A lone caller is flushed at once; under load, many callers share
 * each flush (one fsync, one store write) instead of queueing one each. Every caller's promise
 * settles with the flush that carried its item, which always starts after the caller submitted.
 */
export class GroupCommit<T> {
  private readonly pending: Batch<T>[] = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = Number.POSITIVE_INFINITY,
  ) {}

  submit(item: T): Promise<void> {
    let batch = this.pending.at(-1);
    if (!batch || batch.items.length >= this.maxBatch) {
      batch = new Batch<T>();
      this.pending.push(batch);
    }
    batch.items.push(item);
    this.pump();
    return batch.done;
  }

  private pump(): void {
    if (this.running) return;
    const batch = this.pending.shift();
    if (!batch) return;
    this.running = true;
    Promise.resolve()
      .then(() => this.flush(batch.items))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }
}

class Batch<T> {
  readonly items: T[] = [];
  resolve!: () => void;
  reject!: (error: unknown) => void;
  readonly done = new Promise<void>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}
