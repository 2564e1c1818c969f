import {
  absent,
  type Compare,
  type KeyValue,
  type KvStore,
  MAX_TXN_OPS,
  type TxnOp,
  unchangedSince,
} from '../kv/kv.js';
import { readMany } from '../kv/read-many.js';
import { canonicalIp } from '../util/ip.js';
import { ContendedWriteError } from './conflict-error.js';
import { keys } from './keyspace.js';
import { type SeatRecord, seatRecordCodec } from './seat-schema.js';
import type { StoredSeat } from './stored-seat.js';

/** One seat to create or change, already validated; names and canonical IPs unique in the input. */
export interface SeatWrite {
  readonly name: string;
  /** As the operator wrote it, trimmed. */
  readonly ip: string;
  readonly canonicalIp: string;
  /** Replaces the seat's labels (in key order) when given; left as they are when not. */
  readonly labels?: readonly { key: string; value: string }[];
  /** Replaces the description when given ('' removes it); left as it is when not. */
  readonly description?: string;
}

export type UpsertRefusal =
  /** `index`'s address is held by `holder`, a seat the input does not move elsewhere. */
  | { readonly kind: 'ip-taken'; readonly index: number; readonly holder: string }
  /** Seats exchanging addresses in a ring longer than one transaction can carry. */
  | { readonly kind: 'exchange-too-large'; readonly index: number; readonly size: number };

export type UpsertSeatsOutcome =
  | { readonly ok: true; readonly seats: StoredSeat[] }
  | ({ readonly ok: false } & UpsertRefusal);

// Per seat at most three keys: the seat, the address it takes, the address it leaves.
export const SEATS_PER_UPSERT_TXN = Math.floor(MAX_TXN_OPS / 3);
const CHUNK_ATTEMPTS = 20;

/**
 * The bulk upsert. A call can hold 20,000 seats while etcd takes at most 128 operations per
 * transaction, so the writes go out in chunks: everything is read and checked first (so input that
 * conflicts with the store changes nothing), then each chunk is one transaction that compares every
 * key it writes with what was read. A chunk that loses to a concurrent writer is re-read and
 * re-checked: if its address is now taken, the call stops there (earlier chunks stay written;
 * a call that fits in one transaction is all-or-nothing).
 *
 * Seats of one call may trade addresses (a takes b's, b takes c's). A chain is written holder first,
 * so each address is free when its new holder claims it; a ring has no first, so it goes in one
 * transaction.
 */
export async function upsertSeats(
  kv: KvStore,
  writes: readonly SeatWrite[],
  now: Date,
): Promise<UpsertSeatsOutcome> {
  const state = new KnownKeys(kv);
  await state.load(writes);
  const inputNames = new Map(writes.map((write, index) => [write.name, index]));
  const taken = findTakenIp(writes, writes.keys(), state, (holder) => inputNames.has(holder));
  if (taken) return { ok: false, ...taken };
  const units = writeOrder(writes, state, inputNames);
  if (!Array.isArray(units)) return { ok: false, ...units };
  for (const chunk of packUnits(units.filter((unit) => !unit.every((i) => isNoOp(writes[i]!, state))))) {
    const refused = await writeChunk(kv, writes, chunk, state, inputNames, now);
    if (refused) return { ok: false, ...refused };
  }
  return { ok: true, seats: writes.map((write) => state.seat(write.name)!) };
}

function findTakenIp(
  writes: readonly SeatWrite[],
  indices: Iterable<number>,
  state: KnownKeys,
  mayRelease: (holder: string) => boolean,
): UpsertRefusal | undefined {
  for (const index of indices) {
    const { name, canonicalIp } = writes[index]!;
    const holder = state.holderOf(canonicalIp);
    if (holder !== undefined && holder !== name && !mayRelease(holder))
      return { kind: 'ip-taken', index, holder };
  }
  return undefined;
}

/**
 * Groups of input indices in write order: a seat after the input seat that holds its new address
 * now. Each seat takes one address and leaves one, so these dependencies form chains and rings.
 */
function writeOrder(
  writes: readonly SeatWrite[],
  state: KnownKeys,
  inputNames: ReadonlyMap<string, number>,
): number[][] | UpsertRefusal {
  const dependsOn = writes.map(({ name, canonicalIp }) => {
    const holder = state.holderOf(canonicalIp);
    return holder === undefined || holder === name ? undefined : inputNames.get(holder);
  });
  const next = new Map<number, number>();
  dependsOn.forEach((holder, index) => {
    if (holder !== undefined) next.set(holder, index);
  });
  const units: number[][] = [];
  const placed = new Set<number>();
  dependsOn.forEach((holder, index) => {
    if (holder !== undefined) return;
    for (let at: number | undefined = index; at !== undefined; at = next.get(at)) {
      units.push([at]);
      placed.add(at);
    }
  });
  for (let index = 0; index < writes.length; index++) {
    if (placed.has(index)) continue;
    const ring: number[] = [];
    for (let at = index; !placed.has(at); at = dependsOn[at]!) {
      ring.push(at);
      placed.add(at);
    }
    if (ring.length > SEATS_PER_UPSERT_TXN) return { kind: 'exchange-too-large', index, size: ring.length };
    units.push(ring);
  }
  return units;
}

function packUnits(units: readonly number[][]): number[][] {
  const chunks: number[][] = [];
  let chunk: number[] = [];
  for (const unit of units) {
    if (chunk.length + unit.length > SEATS_PER_UPSERT_TXN) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push(...unit);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Nothing to write: the seat exists with exactly this text and its index entry is its own. */
function isNoOp(write: SeatWrite, state: KnownKeys): boolean {
  const seat = state.seat(write.name);
  return (
    seat?.ip === write.ip &&
    state.holderOf(write.canonicalIp) === write.name &&
    (write.labels === undefined || sameLabels(seat.labels ?? [], write.labels)) &&
    (write.description === undefined || (seat.description ?? '') === write.description)
  );
}

function sameLabels(
  a: readonly { key: string; value: string }[],
  b: readonly { key: string; value: string }[],
) {
  return (
    a.length === b.length && a.every((label, i) => label.key === b[i]!.key && label.value === b[i]!.value)
  );
}

/** The record a write leaves: labels and description kept unless the write gives them. */
function nextRecord(write: SeatWrite, current: StoredSeat | undefined, at: string): SeatRecord {
  const labels = write.labels ?? current?.labels ?? [];
  const description = write.description ?? current?.description ?? '';
  return {
    name: write.name,
    ip: write.ip,
    createdAt: current?.createdAt ?? at,
    updatedAt: at,
    ...(labels.length > 0 ? { labels: [...labels] } : {}),
    ...(description !== '' ? { description } : {}),
  };
}

async function writeChunk(
  kv: KvStore,
  writes: readonly SeatWrite[],
  chunk: readonly number[],
  state: KnownKeys,
  inputNames: ReadonlyMap<string, number>,
  now: Date,
): Promise<UpsertRefusal | undefined> {
  for (let attempt = 1; attempt <= CHUNK_ATTEMPTS; attempt++) {
    const plan = planChunk(writes, chunk, state, now.toISOString());
    if ('kind' in plan) return plan;
    const result = await kv.txn({ compare: plan.compare, success: plan.success });
    if (result.succeeded) {
      state.applied(plan.success, result.revision);
      return undefined;
    }
    await state.load(chunk.map((i) => writes[i]!));
    const taken = findTakenIp(writes, chunk, state, (holder) => inputNames.has(holder));
    if (taken) return taken;
  }
  throw new ContendedWriteError(
    `seat writes kept conflicting with concurrent writers (${CHUNK_ATTEMPTS} attempts)`,
  );
}

/**
 * One transaction for the chunk. Addresses left go first, so an address that one seat leaves and
 * another takes in the same transaction ends as a single put (etcd refuses a key twice in a txn).
 */
function planChunk(
  writes: readonly SeatWrite[],
  chunk: readonly number[],
  state: KnownKeys,
  at: string,
): { compare: Compare[]; success: TxnOp[] } | UpsertRefusal {
  const compare = new Map<string, Compare>();
  const ops = new Map<string, TxnOp>();
  const guard = (key: string) => {
    if (compare.has(key)) return;
    const current = state.entry(key);
    compare.set(key, current ? unchangedSince(key, current.modRevision) : absent(key));
  };
  for (const index of chunk) {
    const { name, canonicalIp: wanted } = writes[index]!;
    const left = leftIp(state.seat(name));
    if (left === undefined || left === wanted || state.holderOf(left) !== name) continue;
    guard(keys.seatIp(left));
    ops.set(keys.seatIp(left), { type: 'delete', key: keys.seatIp(left) });
  }
  const inChunk = new Set(chunk.map((index) => writes[index]!.name));
  for (const index of chunk) {
    const { name, canonicalIp: wanted } = writes[index]!;
    const holder = state.holderOf(wanted);
    // Only a seat leaving the address in this very transaction may hand it over; anything else
    // is a concurrent writer that got there first.
    if (holder !== undefined && holder !== name && !inChunk.has(holder))
      return { kind: 'ip-taken', index, holder };
    const current = state.seat(name);
    const record = nextRecord(writes[index]!, current, at);
    guard(keys.seat(name));
    guard(keys.seatIp(wanted));
    ops.set(keys.seat(name), { type: 'put', key: keys.seat(name), value: seatRecordCodec.encode(record) });
    if (holder !== name) ops.set(keys.seatIp(wanted), { type: 'put', key: keys.seatIp(wanted), value: name });
  }
  return { compare: [...compare.values()], success: [...ops.values()] };
}

function leftIp(seat: StoredSeat | undefined): string | undefined {
  return seat && canonicalIp(seat.ip);
}

/**
 * What this call knows of the keys it touches: read once up front, then kept current with its own
 * writes, so each chunk compares against the revisions the previous chunks produced without
 * reading again. Re-read only after a lost compare.
 */
class KnownKeys {
  private readonly entries = new Map<string, KeyValue | null>();
  private readonly seats = new Map<string, StoredSeat | undefined>();

  constructor(private readonly kv: KvStore) {}

  /** Reads the seats, the addresses they want, and the addresses they hold now. */
  async load(writes: readonly SeatWrite[]): Promise<void> {
    const seatKeys = writes.map((write) => keys.seat(write.name));
    const wantedKeys = writes.map((write) => keys.seatIp(write.canonicalIp));
    const [seats, wanted] = await Promise.all([
      readMany(this.kv, keys.seats, seatKeys),
      readMany(this.kv, keys.seatIp(''), wantedKeys),
    ]);
    this.remember([...seatKeys, ...wantedKeys], new Map([...seats, ...wanted]));
    const heldKeys = writes.flatMap((write) => {
      const held = leftIp(this.seat(write.name));
      return held === undefined ? [] : [keys.seatIp(held)];
    });
    this.remember(heldKeys, await readMany(this.kv, keys.seatIp(''), heldKeys));
  }

  entry(key: string): KeyValue | undefined {
    return this.entries.get(key) ?? undefined;
  }

  holderOf(canonical: string): string | undefined {
    return this.entry(keys.seatIp(canonical))?.value;
  }

  seat(name: string): StoredSeat | undefined {
    const key = keys.seat(name);
    if (!this.seats.has(key)) {
      const kv = this.entry(key);
      this.seats.set(key, kv && { ...seatRecordCodec.decode(kv.key, kv.value), modRevision: kv.modRevision });
    }
    return this.seats.get(key);
  }

  /** Records the effect of a transaction this call committed at `revision`. */
  applied(ops: readonly TxnOp[], revision: number): void {
    for (const op of ops) {
      if (op.type === 'put') {
        const before = this.entry(op.key);
        const createRevision = before?.createRevision ?? revision;
        const version = (before?.version ?? 0) + 1;
        this.set(op.key, { key: op.key, value: op.value, createRevision, modRevision: revision, version });
      } else if (op.type === 'delete') {
        this.set(op.key, null);
      }
    }
  }

  private remember(asked: readonly string[], found: ReadonlyMap<string, KeyValue>): void {
    for (const key of asked) this.set(key, found.get(key) ?? null);
  }

  private set(key: string, kv: KeyValue | null): void {
    this.entries.set(key, kv);
    this.seats.delete(key);
  }
}
