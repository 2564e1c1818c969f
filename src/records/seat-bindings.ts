import type { KvStore } from '../kv/kv.js';
import { readMany } from '../kv/read-many.js';
import { decodeHead, readInstall } from './install-chunks.js';
import { isFinalInstallStatus } from './install-schema.js';
import { keys } from './keyspace.js';

/** An install record that has not ended, with the seats it names. */
export interface ActiveInstallSeats {
  readonly segmentId: string;
  readonly recordId: string;
  /** Its `installSeats` and `uninstallSeats`. */
  readonly seats: readonly string[];
}

const ACTIVE_PREFIX = keys.activeInstall('');
const PAGE = 500;

/**
 * The reads behind "is this seat bound to anything": the seat-bindings lock (see `keyspace.ts`)
 * and the install records that have not ended. Segment seat lists are read through `SegmentSeats`.
 */
export class SeatBindings {
  constructor(private readonly kv: KvStore) {}

  /** The lock's modRevision, 0 while it was never written: what a guarded write compares. */
  async lockRevision(): Promise<number> {
    return (await this.kv.get(keys.seatBindingsLock))?.modRevision ?? 0;
  }

  /**
   * Every install that has not ended, from the `install-active/<segmentId>` markers. A marker whose
   * record is gone or already final names no seats: the record is what counts.
   */
  async activeInstalls(): Promise<ActiveInstallSeats[]> {
    const markers = new Map<string, string>();
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(ACTIVE_PREFIX, { limit: PAGE, startAfter });
      for (const kv of page.kvs) markers.set(kv.key.slice(ACTIVE_PREFIX.length), kv.value);
      if (!page.more || page.kvs.length === 0) break;
      startAfter = page.kvs.at(-1)!.key;
    }
    const records = await readMany(this.kv, keys.installs, [...markers.values()].map(keys.install));
    const active: ActiveInstallSeats[] = [];
    for (const [segmentId, recordId] of markers) {
      const kv = records.get(keys.install(recordId));
      if (!kv) continue;
      if (isFinalInstallStatus(decodeHead(kv.key, kv.value).status)) continue;
      const { record } = await readInstall(this.kv, kv);
      active.push({ segmentId, recordId, seats: [...record.installSeats, ...record.uninstallSeats] });
    }
    return active;
  }
}
