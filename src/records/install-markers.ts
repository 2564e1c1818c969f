import type { KvStore } from '../kv/kv.js';
import { installHeadCodec, isFinalInstallStatus } from './install-schema.js';
import { keys } from './keyspace.js';

/**
 * The markers of changes that have not ended (D1: one active change per segment name): a segment's
 * and a name's active install, and the name's active rollout, which an install's create compares.
 */
export class InstallMarkers {
  constructor(private readonly kv: KvStore) {}

  /** The name's active rollout (D1) and its marker's revision (0 when none). */
  async activeRollout(name: string): Promise<{ id?: string; revision: number }> {
    const kv = await this.kv.get(keys.activeRollout(name));
    return kv ? { id: kv.value, revision: kv.modRevision } : { revision: 0 };
  }

  /** The record id of the segment's install that has not ended, if any. */
  async activeFor(segmentId: string): Promise<string | undefined> {
    return (await this.kv.get(keys.activeInstall(segmentId)))?.value;
  }

  /**
   * The record id of an install of any version of `name` that has not ended, if any: the name's
   * marker, or (records from before it existed) a version's marker.
   */
  async activeForName(name: string): Promise<string | undefined> {
    const marker = await this.kv.get(keys.activeNameInstall(name));
    if (marker) return marker.value;
    const { kvs } = await this.kv.range(keys.activeInstall(`${name}/`), { limit: 1 });
    return kvs[0]?.value;
  }

  /**
   * Seats of every install record that has not ended (D5 `MAX_SEATS_IN_FLIGHT`): one record per
   * segment name at most, read from the heads (a chunked head carries its counts).
   */
  async seatsInFlight(): Promise<number> {
    let seats = 0;
    let startAfter: string | undefined;
    const prefix = keys.activeNameInstall('');
    for (;;) {
      const page = await this.kv.range(prefix, { limit: 500, startAfter });
      for (const marker of page.kvs) {
        const kv = await this.kv.get(keys.install(marker.value));
        if (!kv) continue;
        const head = installHeadCodec.decode(kv.key, kv.value);
        if (isFinalInstallStatus(head.status)) continue;
        seats += head.chunked
          ? head.chunked.install + head.chunked.uninstall
          : (head.installSeats?.length ?? 0) + (head.uninstallSeats?.length ?? 0);
      }
      if (!page.more) return seats;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /** Removes the name's marker if it still names `recordId` (whose record is gone or has ended). */
  async clearNameMarker(name: string, recordId: string): Promise<boolean> {
    const key = keys.activeNameInstall(name);
    const result = await this.kv.txn({
      compare: [{ key, target: 'value', op: '=', value: recordId }],
      success: [{ type: 'delete', key }],
    });
    return result.succeeded;
  }
}
