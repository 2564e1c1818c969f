import type { KeyValue } from '../kv/kv.js';
import { type SeatRecord, seatRecordCodec } from './seat-schema.js';

/** A seat as read from the store, with the revision that writes compare against. */
export interface StoredSeat extends SeatRecord {
  readonly modRevision: number;
}

export function toStoredSeat(kv: KeyValue): StoredSeat {
  return { ...seatRecordCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
}
