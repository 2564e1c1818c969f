import { z } from 'zod';
import type { KeyValue, KvStore, TxnOp } from '../kv/kv.js';
import { chunksOf, newChunkNonce, SEAT_CHUNK_SIZE } from './chunked-writes.js';
import { type InstallHead, type InstallRecordValue, installHeadCodec } from './install-schema.js';
import { jsonCodec, RecordDecodeError } from './json-codec.js';
import { installIdOfKey, keys } from './keyspace.js';

/**
 * D2 for install records: a record of more than 500 seats keeps its seat names (written with the
 * record) and addresses (written when it is planned) in chunks of 500 in seat order, under a nonce
 * of its own. Chunks never change once a head names them; the record goes, they go with it.
 */

const namesChunkCodec = jsonCodec(z.object({ s: z.array(z.string()) }), 'install seat chunk');
const ipsChunkCodec = jsonCodec(z.object({ a: z.array(z.string().nullable()) }), 'install address chunk');

/** An install record as read from the store, with the revision that writes compare against. */
export interface StoredInstall {
  /** `<segmentId>/<seq>`. */
  readonly id: string;
  readonly record: InstallRecordValue;
  readonly modRevision: number;
  /** The nonce of the record's chunks; undefined for a record stored whole. */
  readonly nonce?: string;
}

/** Whether a new record of this many seats is stored in chunks. */
export function needsChunks(record: InstallRecordValue): boolean {
  return record.installSeats.length + record.uninstallSeats.length > SEAT_CHUNK_SIZE;
}

/** A new record's nonce, or undefined when it is stored whole. */
export function nonceFor(record: InstallRecordValue): string | undefined {
  return needsChunks(record) ? newChunkNonce() : undefined;
}

/** What `installs/<id>` holds for a record: all of it, or (with a nonce) all but its seat lists. */
export function encodeHead(record: InstallRecordValue, nonce: string | undefined): string {
  if (nonce === undefined) return installHeadCodec.encode(record);
  const { installSeats, uninstallSeats, plan, ...rest } = record;
  const head: InstallHead = {
    ...rest,
    chunked: { nonce, install: installSeats.length, uninstall: uninstallSeats.length },
    ...(plan && { plan: { ...plan, ips: undefined } }),
  };
  return installHeadCodec.encode(head);
}

/** Puts of the seat-name chunks of a record stored in chunks. */
export function nameChunkOps(id: string, record: InstallRecordValue, nonce: string): TxnOp[] {
  const seats = [...record.installSeats, ...record.uninstallSeats];
  return chunksOf(seats).map((s, n) => ({
    type: 'put',
    key: keys.installSeatChunk(id, nonce, 'names', n),
    value: namesChunkCodec.encode({ s }),
  }));
}

/** Puts of the address chunks of a record stored in chunks, once it has a plan. */
export function ipChunkOps(id: string, ips: readonly (string | null)[], nonce: string): TxnOp[] {
  return chunksOf(ips).map((a, n) => ({
    type: 'put',
    key: keys.installSeatChunk(id, nonce, 'ips', n),
    value: ipsChunkCodec.encode({ a }),
  }));
}

/** Seats whose decoded chunks a `SeatChunkCache` keeps, over all its records: two 100,000-seat installs. */
const CACHED_SEATS = 200_000;

interface CachedChunks {
  names: readonly string[];
  /** Absent until the record has a plan (its address chunks are written with the plan). */
  ips?: readonly (string | null)[];
}

/**
 * The decoded seat chunks of the chunked records read last. Chunks never change once a head names
 * them (a rewrite takes a new nonce), so a record read again under the same nonce needs its head
 * alone: the install reconciler reads its record on every pass, and re-reading and decoding the
 * 400 chunks of a 100,000-seat record each time was the largest cost of seghub's CPU and garbage
 * over an install (bench install-100k). Least recently read go first once more than `maxSeats` are kept.
 */
export class SeatChunkCache {
  private readonly entries = new Map<string, CachedChunks>();
  private seats = 0;

  constructor(private readonly maxSeats = CACHED_SEATS) {}

  get(id: string, nonce: string): CachedChunks | undefined {
    const key = `${id}\n${nonce}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(id: string, nonce: string, entry: CachedChunks): void {
    const key = `${id}\n${nonce}`;
    this.drop(key);
    if (entry.names.length > this.maxSeats) return;
    this.entries.set(key, entry);
    this.seats += entry.names.length;
    for (const oldest of this.entries.keys()) {
      if (this.seats <= this.maxSeats) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.seats -= entry.names.length;
  }
}

/**
 * The record a head and its chunks make. Throws `RecordDecodeError` when a chunk the head names is
 * missing or the wrong size: a reader retries once in case the record went meanwhile. With a
 * `cache`, chunks read before under the same nonce are not read again.
 */
export async function readInstall(
  kvStore: KvStore,
  kv: KeyValue,
  cache?: SeatChunkCache,
): Promise<StoredInstall> {
  const id = installIdOfKey(kv.key);
  if (id === undefined) throw new Error(`${kv.key} is not an install key`);
  const head = installHeadCodec.decode(kv.key, kv.value);
  const { chunked, installSeats, uninstallSeats, plan, ...rest } = head;
  if (!chunked) {
    const record = { ...rest, installSeats: installSeats ?? [], uninstallSeats: uninstallSeats ?? [] };
    return {
      id,
      modRevision: kv.modRevision,
      record: plan ? { ...record, plan: { ...plan, ips: plan.ips ?? [] } } : record,
    };
  }
  let chunks = cache?.get(id, chunked.nonce);
  // A record read before its plan is read again once: its address chunks came with the plan.
  if (!chunks || (plan && !chunks.ips)) {
    chunks = await readChunks(kvStore, id, chunked, plan !== undefined);
    cache?.set(id, chunked.nonce, chunks);
  }
  const { names, ips } = chunks;
  const record: InstallRecordValue = {
    ...rest,
    installSeats: names.slice(0, chunked.install),
    uninstallSeats: names.slice(chunked.install),
    ...(plan && ips && { plan: { ...plan, ips: [...ips] } }),
  };
  return { id, modRevision: kv.modRevision, record, nonce: chunked.nonce };
}

async function readChunks(
  kvStore: KvStore,
  id: string,
  chunked: { nonce: string; install: number; uninstall: number },
  planned: boolean,
): Promise<CachedChunks> {
  const total = chunked.install + chunked.uninstall;
  const prefix = keys.installSeatChunks(id, chunked.nonce);
  const { kvs } = await kvStore.range(prefix);
  const names = joinChunks(kvs, `${prefix}names/`, total, (c) => namesChunkCodec.decode(c.key, c.value).s);
  if (!planned) return { names };
  return {
    names,
    ips: joinChunks(kvs, `${prefix}ips/`, total, (c) => ipsChunkCodec.decode(c.key, c.value).a),
  };
}

function joinChunks<T>(
  kvs: readonly KeyValue[],
  prefix: string,
  total: number,
  decode: (kv: KeyValue) => T[],
): T[] {
  const out: T[] = [];
  for (const kv of kvs) if (kv.key.startsWith(prefix)) out.push(...decode(kv));
  if (out.length !== total) {
    throw new RecordDecodeError(`${prefix} holds ${out.length} of the record's ${total} seats`);
  }
  return out;
}

/** The status of a record from its head alone: what a watch needs to decide whether it has work. */
export function decodeHead(key: string, value: string): InstallHead {
  return installHeadCodec.decode(key, value);
}
