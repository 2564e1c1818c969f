/**
 * Group commit: one `flush` at a time; whatever is submitted while one runs goes into the next, in
 * batches of at most `maxBatch`. A lone caller is flushed at once; under load, many callers share
 * each flush (one fsync, one store write, one read) instead of queueing one each. Every caller's
 * promise settles with the flush that carried its item, which always starts after the caller
 * submitted, so it covers everything the caller did before.
 */
export class GroupCommit<T, R = void> {
  private readonly pending: Batch<T, R>[] = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R>,
    private readonly maxBatch = Number.POSITIVE_INFINITY,
  ) {}

  submit(item: T): Promise<R> {
    let batch = this.pending.at(-1);
    if (!batch || batch.items.length >= this.maxBatch) {
      batch = new Batch<T, R>();
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

class Batch<T, R> {
  readonly items: T[] = [];
  resolve!: (value: R) => void;
  reject!: (error: unknown) => void;
  readonly done = new Promise<R>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}
