import { openEtcdKv } from '../../src/kv/etcd/etcd-kv.js';
import type { TxnOp } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { seatRecordCodec } from '../../src/records/seat-schema.js';

/** Seat key and IP index key per seat: 64 seats per 128-operation transaction. */
const SEATS_PER_TXN = 64;

export interface SeededSeat {
  name: string;
  ip: string;
}

/** Seat `i` of a seeded fleet: `<prefix>-<i>` at 10.<i>. */
export function seededSeat(i: number, prefix = 'desk'): SeededSeat {
  return { name: `${prefix}-${i}`, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
}

/**
 * Writes `count` seats (records and IP index keys) straight into etcd under `etcdPrefix`, four
 * transactions in flight, before seghub starts: 100,000 seats through `upsertSeats` would take the
 * case's time and bury the install's peak RSS under the upsert's. Returns them in order.
 */
export async function seedSeats(
  endpoints: string[],
  etcdPrefix: string,
  count: number,
  namePrefix = 'desk',
): Promise<SeededSeat[]> {
  const store = await openEtcdKv({ endpoints, prefix: etcdPrefix });
  const at = new Date().toISOString();
  const seats = Array.from({ length: count }, (_, i) => seededSeat(i, namePrefix));
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next += SEATS_PER_TXN;
      const ops: TxnOp[] = [];
      for (const seat of seats.slice(from, from + SEATS_PER_TXN)) {
        const record = { ...seat, createdAt: at, updatedAt: at };
        ops.push({ type: 'put', key: keys.seat(seat.name), value: seatRecordCodec.encode(record) });
        ops.push({ type: 'put', key: keys.seatIp(seat.ip), value: seat.name });
      }
      await store.txn({ compare: [], success: ops });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    await store.close();
  }
  return seats;
}
