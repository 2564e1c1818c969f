import { mkdir } from 'node:fs/promises';
import {
  InvalidRequestError,
  type KeyValue,
  type KvStore,
  type Lease,
  LeaseNotFoundError,
  type RangeOptions,
  type RangeResult,
  StoreUnavailableError,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchOptions,
} from '../kv.js';
import { type KvLogger, silentLogger } from '../kv-logger.js';
import { type Applied, CommitPipeline } from './commit-pipeline.js';
import { DirLock } from './dir-lock.js';
import { EmbeddedWatch, type WatchFeed } from './embedded-watch.js';
import { healWhenWritable } from './heal.js';
import type { History } from './history.js';
import type { Journal, JournalOptions } from './journal.js';
import type { KvState } from './kv-state.js';
import { LeaseKeeper, newLeaseId } from './lease-keeper.js';
import { type Loaded, load } from './recovery.js';
import { revokeLease } from './revoke-lease.js';
import { runTxn } from './txn.js';

export interface EmbeddedKvOptions {
  /** Data directory; created if missing. One process at a time may open it. */
  dir: string;
  logger?: KvLogger;
  /** Events kept so watches can start in the past or catch up (default 100 000). */
  historyLimit?: number;
  /** The log is never compacted into a snapshot below this size (default 64 MiB). */
  snapshotMinLogBytes?: number;
  /** Default for `ping()` (default 5 s). */
  pingTimeoutMs?: number;
  /** After a failed log write, how often to check whether the disk takes writes again (default 1 s). */
  healIntervalMs?: number;
}

const DEFAULT_HISTORY_LIMIT = 100_000;
const DEFAULT_SNAPSHOT_MIN_LOG_BYTES = 64 * 1024 * 1024;
const DEFAULT_PING_TIMEOUT_MS = 5000;
const DEFAULT_HEAL_INTERVAL_MS = 1000;

/**
 * Opens the embedded store: etcd's KV semantics in this process, persisted under `dir`.
 * Where to look: `files.ts` (directory layout), `commit-pipeline.ts` (ordering, group commit, no
 * undurable reads), `journal.ts` (log and snapshots), `recovery.ts` (start-up, torn tails),
 * `embedded-watch.ts` (watches over the shared history).
 *
 * Leases found on disk belonged to the previous process, which can no longer keep them alive:
 * they get a fresh TTL from now and then expire with their keys, as etcd does with leases after a
 * leader change. Holders must grant new leases after a restart.
 */
export async function openEmbeddedKv(options: EmbeddedKvOptions): Promise<KvStore> {
  const logger = options.logger ?? silentLogger;
  await mkdir(options.dir, { recursive: true });
  const lock = await DirLock.acquire(options.dir);
  try {
    const historyLimit = Math.max(1, options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    const journalOptions = {
      dir: options.dir,
      logger,
      snapshotMinLogBytes: options.snapshotMinLogBytes ?? DEFAULT_SNAPSHOT_MIN_LOG_BYTES,
    };
    const loaded = await load(journalOptions, historyLimit);
    const { state } = loaded;
    logger.info(
      { dir: options.dir, revision: state.revision, keys: state.size, leases: state.leases.size },
      'embedded kv: opened',
    );
    const deps = {
      lock,
      logger,
      journalOptions,
      historyLimit,
      pingTimeoutMs: options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS,
      healIntervalMs: options.healIntervalMs ?? DEFAULT_HEAL_INTERVAL_MS,
    };
    return new EmbeddedKv(deps, loaded);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

interface Deps {
  lock: DirLock;
  logger: KvLogger;
  journalOptions: JournalOptions;
  historyLimit: number;
  pingTimeoutMs: number;
  healIntervalMs: number;
}

class EmbeddedKv implements KvStore {
  readonly kind = 'embedded' as const;
  // Replaced together when the store heals after a failed log write (see `reopen`).
  private state!: KvState;
  private history!: History;
  private journal!: Journal;
  private pipeline!: CommitPipeline;
  private leases!: LeaseKeeper;
  private compactRevision = 0;
  /** Highest durable revision: what readers and watchers may see. */
  private visible = 0;
  private readonly watches = new Set<EmbeddedWatch>();
  private readonly feed: WatchFeed;
  private closing: Promise<void> | undefined;
  private readonly closed = new AbortController();
  private healing: Promise<boolean> | undefined;

  constructor(
    private readonly deps: Deps,
    loaded: Loaded,
  ) {
    this.use(loaded);
    this.feed = {
      floor: () => this.history.floor,
      visibleRevision: () => this.visible,
      entryAt: (revision) => this.history.at(revision),
      detach: (watch) => this.watches.delete(watch),
    };
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.read(() => {
      const kv = this.state.get(key);
      return kv && { ...kv };
    });
  }

  range(prefix: string, options?: RangeOptions): Promise<RangeResult> {
    return this.read(() => this.state.range(prefix, options));
  }

  async put(key: string, value: string, options?: { lease?: string }): Promise<{ revision: number }> {
    const op = options?.lease === undefined ? {} : { lease: options.lease };
    const { revision } = await this.txn({ compare: [], success: [{ type: 'put', key, value, ...op }] });
    return { revision };
  }

  async delete(key: string): Promise<{ deleted: number; revision: number }> {
    const { revision, results } = await this.txn({ compare: [], success: [{ type: 'delete', key }] });
    return { deleted: results[0]?.type === 'delete' ? results[0].deleted : 0, revision };
  }

  async deletePrefix(prefix: string): Promise<{ deleted: number; revision: number }> {
    const { revision, results } = await this.txn({
      compare: [],
      success: [{ type: 'deletePrefix', prefix }],
    });
    return { deleted: results[0]?.type === 'deletePrefix' ? results[0].deleted : 0, revision };
  }

  txn(request: TxnRequest): Promise<TxnResult> {
    return this.write(() => {
      const outcome = runTxn(this.state, request);
      const revision = this.state.revision;
      const result: TxnResult = { succeeded: outcome.succeeded, revision, results: outcome.results };
      if (outcome.changes.length === 0) return { result, records: [] };
      this.history.append({ revision, events: outcome.events });
      return { result, records: [{ t: 'txn', rev: revision, changes: outcome.changes }] };
    });
  }

  watch(prefix: string, options: WatchOptions = {}): Watch {
    const watch = new EmbeddedWatch(this.feed, prefix, options, this.unavailable());
    if (watch.active) this.watches.add(watch);
    return watch;
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new InvalidRequestError(`lease TTL must be a positive number of seconds, got ${ttlSeconds}`);
    }
    const ttl = Math.ceil(ttlSeconds);
    const id = await this.write(() => {
      const lease = newLeaseId(this.state);
      this.state.leases.set(lease, { id: lease, ttlSeconds: ttl, keys: new Set() });
      return { result: lease, records: [{ t: 'grant', lease, ttl }] };
    });
    const signal = this.leases.track(id, ttl, true);
    return {
      id,
      ttlSeconds: ttl,
      signal,
      revoke: () => this.write(() => this.revoke(id, 'revoked')),
      release: () => this.leases.release(id),
    };
  }

  compact(revision: number): Promise<void> {
    return this.write(() => {
      if (!Number.isSafeInteger(revision) || revision > this.state.revision) {
        throw new InvalidRequestError(
          `cannot compact to revision ${revision}: the store is at ${this.state.revision}`,
        );
      }
      if (revision <= this.compactRevision) return { result: undefined, records: [] };
      this.compactRevision = revision;
      this.history.compact(revision);
      return { result: undefined, records: [{ t: 'compact', rev: revision }] };
    });
  }

  async ping(timeoutMs = this.deps.pingTimeoutMs): Promise<{ revision: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`embedded kv did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.read(() => ({ revision: this.state.revision })), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed.abort();
    await this.healing;
    this.leases.stop(new StoreUnavailableError('embedded kv is closed'));
    await this.pipeline.drain();
    for (const watch of [...this.watches]) watch.end();
    if (this.pipeline.error) {
      // Stopped after a failed write and not healed: cut what was never acknowledged, so the next
      // start cannot replay it.
      await this.journal.rewind().catch((err: unknown) => {
        this.deps.logger.error({ err }, 'embedded kv: cannot cut the log back after a failed write');
      });
    } else {
      await this.journal.close();
    }
    await this.deps.lock.release();
    this.deps.logger.info({ revision: this.state.revision }, 'embedded kv: closed');
  }

  private read<T>(fn: () => T): Promise<T> {
    const refusal = this.unavailable();
    return refusal ? Promise.reject(refusal) : this.pipeline.read(fn);
  }

  private write<T>(apply: () => Applied<T>): Promise<T> {
    const refusal = this.unavailable();
    return refusal ? Promise.reject(refusal) : this.pipeline.write(apply);
  }

  private unavailable(): StoreUnavailableError | undefined {
    if (this.closing) return new StoreUnavailableError('embedded kv is closed');
    return this.pipeline.error;
  }

  private revoke(id: string, how: 'revoked' | 'expired'): Applied<undefined> {
    const applied = revokeLease(this.state, this.history, id);
    return {
      ...applied,
      onDurable: () => this.leases.gone(id, new LeaseNotFoundError(`lease ${id} ${how}`)),
    };
  }

  private expireLease(id: string): void {
    this.write(() => this.revoke(id, 'expired')).catch((err: unknown) => {
      if (!this.closing) this.deps.logger.warn({ err, lease: id }, 'embedded kv: expiring a lease failed');
    });
  }

  /** New revisions are durable: let readers and watchers see them. */
  private publish(): void {
    this.visible = this.state.revision;
    for (const watch of this.watches) watch.notify();
  }

  private capture(seq: number) {
    const leases = Array.from(this.state.leases.values(), ({ id, ttlSeconds }) => ({ id, ttlSeconds }));
    const { revision } = this.state;
    return { seq, revision, compactRevision: this.compactRevision, leases, kvs: this.state.allEntries() };
  }

  private onFailure(error: StoreUnavailableError): void {
    this.deps.logger.error({ err: error.cause }, error.message);
    this.leases.stop(error);
    for (const watch of [...this.watches]) watch.fail(error);
    if (this.closing) return;
    this.healing = healWhenWritable({
      dir: this.deps.journalOptions.dir,
      intervalMs: this.deps.healIntervalMs,
      logger: this.deps.logger,
      signal: this.closed.signal,
      reopen: () => this.reopen(),
    });
  }

  /** Starts serving `loaded`: on open, and again after healing. */
  private use(loaded: Loaded): void {
    this.state = loaded.state;
    this.history = loaded.history;
    this.journal = loaded.journal;
    this.compactRevision = loaded.compactRevision;
    this.visible = loaded.state.revision;
    this.pipeline = new CommitPipeline({
      persist: (records) => this.journal.append(records),
      durable: () => this.publish(),
      between: () => this.journal.maybeSnapshot(this.state.liveBytes, (seq) => this.capture(seq)),
      failed: (error) => this.onFailure(error),
    });
    this.leases = new LeaseKeeper((id) => this.expireLease(id));
    // Leases of before a failure are as good as those of a previous process: their holders were
    // told (their signals aborted), so they count down and expire.
    for (const lease of this.state.leases.values()) this.leases.track(lease.id, lease.ttlSeconds, false);
  }

  /**
   * Memory may hold a batch the log lacks: the log is cut back to what was synced and everything
   * is read again from disk. Nothing acknowledged is lost (it was synced), nothing unacknowledged
   * survives, and readers and watchers never saw the lost batch (it was never durable).
   */
  private async reopen(): Promise<void> {
    await this.pipeline.drain();
    await this.journal.rewind();
    const loaded = await load(this.deps.journalOptions, this.deps.historyLimit);
    if (this.closed.signal.aborted) {
      await loaded.journal.close();
      throw new StoreUnavailableError('embedded kv is closed');
    }
    this.use(loaded);
  }
}
