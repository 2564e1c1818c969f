import type { IRangeRequest } from 'etcd3';
import {
  InvalidRequestError,
  type KeyValue,
  KvError,
  type KvStore,
  type Lease,
  type RangeOptions,
  type RangeResult,
  StoreUnavailableError,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchOptions,
} from '../kv.js';
import { revision, toKeyValue } from './etcd-codec.js';
import { EtcdConnection, type EtcdConnectionOptions } from './etcd-connection.js';
import { EtcdLease } from './etcd-lease.js';
import { fromTxnResponse, toTxnRequest } from './etcd-txn.js';
import { EtcdWatch } from './etcd-watch.js';

export type EtcdKvOptions = EtcdConnectionOptions;

const DEFAULT_PING_TIMEOUT_MS = 2000;
const START_UP_PING_TIMEOUT_MS = 3000;

/**
 * Opens the etcd-backed store. It resolves even when etcd cannot be reached yet (logging a
 * warning): the client connects on its own once etcd answers, and /readyz reports the outage.
 */
export async function openEtcdKv(options: EtcdKvOptions): Promise<KvStore> {
  const store = new EtcdKv(new EtcdConnection(options));
  try {
    const { revision } = await store.ping(START_UP_PING_TIMEOUT_MS);
    store.logger.info({ endpoints: options.endpoints, prefix: options.prefix, revision }, 'etcd store open');
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) {
      await store.close();
      throw error;
    }
    store.logger.warn(
      { err: error, endpoints: options.endpoints },
      'etcd not reachable yet; will keep trying',
    );
  }
  return store;
}

class EtcdKv implements KvStore {
  readonly kind = 'etcd' as const;
  private readonly watches = new Set<EtcdWatch>();
  private readonly leases = new Set<EtcdLease>();

  constructor(private readonly conn: EtcdConnection) {}

  get logger() {
    return this.conn.logger;
  }

  private get kv() {
    return this.conn.client.kv;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const response = await this.conn.call('get', 'read', (o) =>
      this.kv.range({ key: this.conn.keys.key(key) }, o),
    );
    const kv = response.kvs[0];
    return kv ? toKeyValue(kv, this.conn.keys) : undefined;
  }

  async range(prefix: string, options: RangeOptions = {}): Promise<RangeResult> {
    const keys = this.conn.keys;
    const request: IRangeRequest = {
      ...(options.startAfter === undefined
        ? keys.prefixRange(prefix)
        : keys.rangeAfter(prefix, options.startAfter)),
      limit: options.limit ?? 0,
      keys_only: options.keysOnly === true,
    };
    const response = await this.conn.call('range', 'read', (o) => this.kv.range(request, o));
    return {
      kvs: response.kvs.map((kv) => toKeyValue(kv, keys)),
      more: response.more,
      count: revision(response.count),
      revision: revision(response.header.revision),
    };
  }

  async put(key: string, value: string, options: { lease?: string } = {}): Promise<{ revision: number }> {
    const request = {
      key: this.conn.keys.key(key),
      value: Buffer.from(value, 'utf8'),
      ...(options.lease !== undefined && { lease: options.lease }),
    };
    const response = await this.conn.call('put', 'write', (o) => this.kv.put(request, o));
    return { revision: revision(response.header.revision) };
  }

  delete(key: string): Promise<{ deleted: number; revision: number }> {
    return this.deleteRange('delete', { key: this.conn.keys.key(key) });
  }

  deletePrefix(prefix: string): Promise<{ deleted: number; revision: number }> {
    return this.deleteRange('deletePrefix', this.conn.keys.prefixRange(prefix));
  }

  private async deleteRange(operation: string, range: { key: Buffer; range_end?: Buffer }) {
    const response = await this.conn.call(operation, 'write', (o) => this.kv.deleteRange(range, o));
    return { deleted: revision(response.deleted), revision: revision(response.header.revision) };
  }

  async txn(request: TxnRequest): Promise<TxnResult> {
    const raw = toTxnRequest(request, this.conn.keys);
    // A transaction of reads only may be retried like a read.
    const readOnly = [...request.success, ...(request.failure ?? [])].every((op) => op.type === 'get');
    const response = await this.conn.call('txn', readOnly ? 'read' : 'write', (o) => this.kv.txn(raw, o));
    return fromTxnResponse(request, response, this.conn.keys);
  }

  watch(prefix: string, options: WatchOptions = {}): Watch {
    if (this.conn.closed) throw new KvError('etcd watch: the store is closed');
    const watch = new EtcdWatch(this.conn, prefix, options, (ended) => this.watches.delete(ended));
    this.watches.add(watch);
    return watch;
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new InvalidRequestError(`lease TTL must be a whole number of seconds >= 1, got ${ttlSeconds}`);
    }
    const requestedAt = Date.now();
    const response = await this.conn.call('leaseGrant', 'write', (o) =>
      this.conn.client.leaseClient.leaseGrant({ TTL: ttlSeconds }, o),
    );
    if (response.error) throw new KvError(`etcd leaseGrant: ${response.error}`);
    // etcd raises TTLs below its minimum (about 1.5 election timeouts); the granted one counts.
    const ttl = revision(response.TTL) || ttlSeconds;
    const lease = new EtcdLease(this.conn, response.ID, ttl, requestedAt, (ended) =>
      this.leases.delete(ended),
    );
    this.leases.add(lease);
    return lease;
  }

  async compact(toRevision: number): Promise<void> {
    // Idempotent, so retried like a read; compacting again at or below the compacted revision is
    // a no-op rather than an error, because the history it would discard is already gone.
    await this.conn.call('compact', 'read', async (o) => {
      try {
        await this.kv.compact({ revision: toRevision, physical: false }, o);
      } catch (error) {
        if (error instanceof Error && /required revision has been compacted/.test(error.message)) return;
        throw error;
      }
    });
  }

  async ping(timeoutMs = DEFAULT_PING_TIMEOUT_MS): Promise<{ revision: number }> {
    // A linearizable single-key read: cheap, yet it needs a leader and a quorum, like real work.
    const probe = this.conn.keys.key('');
    const request = { key: probe.length > 0 ? probe : Buffer.from([0]), keys_only: true };
    const response = await this.conn.call('ping', 'probe', (o) => this.kv.range(request, o), timeoutMs);
    return { revision: revision(response.header.revision) };
  }

  async close(): Promise<void> {
    if (this.conn.closed) return;
    await Promise.all([...this.watches].map((watch) => watch.close()));
    for (const lease of [...this.leases]) lease.dispose();
    this.conn.close();
  }
}
