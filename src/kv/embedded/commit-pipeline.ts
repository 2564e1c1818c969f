import { KvError, StoreUnavailableError } from '../kv.js';
import type { LogRecord } from './records.js';

/** What a write did to the in-memory state, to be made durable before anyone learns of it. */
export interface Applied<T> {
  result: T;
  records: LogRecord[];
  /** Runs once the records are durable, before the caller's promise resolves. */
  onDurable?: () => void;
}

export interface PipelineHooks {
  /** Writes and syncs one batch of records. */
  persist(records: LogRecord[]): Promise<void>;
  /** Everything applied so far is durable (watchers may now see it). */
  durable(): void;
  /** A quiet moment between batches: nothing is being written. */
  between(): Promise<void>;
  /** Persisting failed; the store can no longer be trusted to answer. */
  failed(error: StoreUnavailableError): void;
}

interface Queued {
  apply: () => Applied<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Orders every write and makes it durable with group commit: requests that arrive while one
 * batch is being synced are applied together and synced with a single fsync. Requests are applied
 * to memory in arrival order, so each sees the effects of all before it.
 *
 * Readers never see undurable data: a read that arrives while a batch is being synced runs right
 * after that sync, before the next batch is applied.
 */
export class CommitPipeline {
  private queue: Queued[] = [];
  private readers: (() => void)[] = [];
  private running: Promise<void> | undefined;
  /** A batch is applied in memory but not yet durable. */
  private syncing = false;
  private failure: StoreUnavailableError | undefined;

  constructor(private readonly hooks: PipelineHooks) {}

  get error(): StoreUnavailableError | undefined {
    return this.failure;
  }

  write<T>(apply: () => Applied<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate, not a microtask: lets every request issued in this turn join the batch.
      this.running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.run());
    });
  }

  /** Runs `fn` against durable state: now, or right after the batch being synced. */
  read<T>(fn: () => T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.syncing) return new Promise<T>((resolve) => resolve(fn()));
    return new Promise<T>((resolve, reject) => {
      this.readers.push(() => {
        if (this.failure) reject(this.failure);
        else {
          try {
            resolve(fn());
          } catch (err) {
            reject(err);
          }
        }
      });
    });
  }

  /** Resolves when every queued write has been handled. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    let batch: Queued[] = [];
    try {
      while (this.queue.length > 0 && !this.failure) {
        batch = this.queue.splice(0);
        await this.runBatch(batch);
        batch = [];
        if (!this.failure) await this.hooks.between();
      }
    } catch (err) {
      // Only a bug gets here; stopping is safer than serving from a state of unknown shape.
      // Rejecting requests that were already resolved is a no-op.
      if (!this.failure) this.fail(err, batch, 'an internal error');
    } finally {
      this.running = undefined;
      if (this.failure) this.rejectAll(this.failure);
    }
  }

  private async runBatch(batch: Queued[]): Promise<void> {
    const settle: (() => void)[] = [];
    const records: LogRecord[] = [];
    for (const request of batch) {
      let applied: Applied<unknown>;
      try {
        applied = request.apply();
      } catch (err) {
        // Typed errors are refusals raised before any change; anything else may have left the
        // state half-changed, which must not be served or persisted.
        if (!(err instanceof KvError)) return this.fail(err, batch, 'an internal error');
        settle.push(() => request.reject(err));
        continue;
      }
      records.push(...applied.records);
      settle.push(() => {
        applied.onDurable?.();
        request.resolve(applied.result);
      });
    }
    if (records.length > 0) {
      this.syncing = true;
      try {
        await this.hooks.persist(records);
      } catch (err) {
        return this.fail(err, batch, 'a failed log write');
      } finally {
        this.syncing = false;
      }
      this.hooks.durable();
    }
    for (const s of settle) s();
    this.runReaders();
  }

  private fail(cause: unknown, batch: Queued[], what: string): void {
    this.failure = new StoreUnavailableError(
      `embedded kv stopped after ${what}; it serves again by itself once its log can be written`,
      { cause },
    );
    for (const request of batch) request.reject(this.failure);
    this.hooks.failed(this.failure);
  }

  private rejectAll(error: StoreUnavailableError): void {
    for (const request of this.queue.splice(0)) request.reject(error);
    this.runReaders();
  }

  private runReaders(): void {
    for (const reader of this.readers.splice(0)) reader();
  }
}
