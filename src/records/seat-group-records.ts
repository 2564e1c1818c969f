import { z } from 'zod';
import { absent, type KeyValue, type KvStore, unchangedSince } from '../kv/kv.js';
import { ConflictError } from './conflict-error.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * A freeze (SPEC-FLEET section 2, D8): nothing new starts on the group's seats while it is in force.
 * One whose `until` has passed is simply not in force any more; it stays in the record, harmless,
 * until the group is frozen again or unfrozen.
 */
const groupFreezeSchema = z.object({
  reason: z.string().min(1),
  until: z.iso.datetime().optional(),
  /** The principal that froze it. */
  by: z.string(),
  at: z.iso.datetime(),
});

export type GroupFreezeRecord = z.infer<typeof groupFreezeSchema>;

/**
 * `seat-groups/<name>`: a named label selector (SPEC-FLEET section 1). Membership is not stored:
 * it follows the seats' labels, computed by the seat cache.
 */
const seatGroupSchema = z.object({
  name: z.string().min(1),
  /** As the operator wrote it (it parsed when written). */
  selector: z.string(),
  protected: z.boolean(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  frozen: groupFreezeSchema.optional(),
});

export type SeatGroupRecord = z.infer<typeof seatGroupSchema>;
const seatGroupCodec = jsonCodec(seatGroupSchema, 'seat group');

export interface StoredSeatGroup extends SeatGroupRecord {
  readonly modRevision: number;
}

export function toStoredSeatGroup(kv: KeyValue): StoredSeatGroup {
  return { ...seatGroupCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
}

/** The group name a `seat-groups/...` key names, or undefined for any other key. */
export function seatGroupNameOfKey(key: string): string | undefined {
  return key.startsWith(keys.seatGroups) ? key.slice(keys.seatGroups.length) : undefined;
}

/** Writes of group records; reads go through the seat cache, which also holds the groups. */
export class SeatGroupRecords {
  constructor(private readonly kv: KvStore) {}

  async get(name: string): Promise<StoredSeatGroup | undefined> {
    const kv = await this.kv.get(keys.seatGroup(name));
    return kv && toStoredSeatGroup(kv);
  }

  async count(): Promise<number> {
    return (await this.kv.range(keys.seatGroups, { limit: 1, keysOnly: true })).count;
  }

  /**
   * Creates the group, or replaces it if it is still at `expectedRevision` (0: must not exist).
   * ConflictError when another writer got there first.
   */
  async put(record: SeatGroupRecord, expectedRevision: number): Promise<StoredSeatGroup> {
    const key = keys.seatGroup(record.name);
    const result = await this.kv.txn({
      compare: [expectedRevision === 0 ? absent(key) : unchangedSince(key, expectedRevision)],
      success: [{ type: 'put', key, value: seatGroupCodec.encode(record) }],
    });
    if (!result.succeeded) throw new ConflictError(`seat group ${record.name} changed meanwhile`);
    return { ...record, modRevision: result.revision };
  }

  /** Deletes the group if it is still at `expectedRevision`; ConflictError otherwise. */
  async delete(name: string, expectedRevision: number): Promise<void> {
    const key = keys.seatGroup(name);
    const result = await this.kv.txn({
      compare: [unchangedSince(key, expectedRevision)],
      success: [{ type: 'delete', key }],
    });
    if (!result.succeeded) throw new ConflictError(`seat group ${name} changed meanwhile`);
  }
}
