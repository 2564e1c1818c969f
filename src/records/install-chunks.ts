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

/**
 * The record a head and its chunks make. Throws `RecordDecodeError` when a chunk the head names is
 * missing or the wrong size: a reader retries once in case the record went meanwhile.
 */
export async function readInstall(kvStore: KvStore, kv: KeyValue): Promise<StoredInstall> {
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
  const total = chunked.install + chunked.uninstall;
  const prefix = keys.installSeatChunks(id, chunked.nonce);
  const { kvs } = await kvStore.range(prefix);
  const names = joinChunks(kvs, `${prefix}names/`, total, (c) => namesChunkCodec.decode(c.key, c.value).s);
  const ips = plan && joinChunks(kvs, `${prefix}ips/`, total, (c) => ipsChunkCodec.decode(c.key, c.value).a);
  const record: InstallRecordValue = {
    ...rest,
    installSeats: names.slice(0, chunked.install),
    uninstallSeats: names.slice(chunked.install),
    ...(plan && ips && { plan: { ...plan, ips } }),
  };
  return { id, modRevision: kv.modRevision, record, nonce: chunked.nonce };
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
