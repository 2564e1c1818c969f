import { z } from 'zod';
import { type Compare, type KvStore, type TxnOp, unchangedSince } from '../kv/kv.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * Desired versions (SPEC-FLEET section 1, D4) and the converge state kept for them.
 *
 * - `desired-versions/<group>/<name>`: the segment id the group's seats should run.
 * - `converge/<name>`: the install record of the name's current converge batch, and the last error
 *   that kept converge from starting one (shown with the desired version).
 * - `converge-seats/<name>/<seat>`: a seat converge failed on: attempts, when to try again, and
 *   whether it is parked. Only failing seats have one, so the values stay small and few.
 */

const isoTime = z.iso.datetime();

const desiredVersionSchema = z.object({
  segmentId: z.string(),
  setAt: isoTime,
  setBy: z.string().optional(),
  /** The rollout that set it; null until rollouts exist. */
  rolloutId: z.string().nullable(),
});
export type DesiredVersionRecord = z.infer<typeof desiredVersionSchema>;
const desiredVersionCodec = jsonCodec(desiredVersionSchema, 'desired version');

export interface StoredDesiredVersion extends DesiredVersionRecord {
  readonly group: string;
  readonly name: string;
  readonly modRevision: number;
}

const convergeStateSchema = z.object({
  /** The current (or last) batch; its end is accounted for once (`accounted`). */
  recordId: z.string().optional(),
  accounted: z.boolean(),
  /** Why no batch could start (the segment is not synced, a protected group refuses it, ...). */
  error: z.string().optional(),
  updatedAt: isoTime,
});
export type ConvergeState = z.infer<typeof convergeStateSchema>;
const convergeStateCodec = jsonCodec(convergeStateSchema, 'converge state');

const convergeSeatSchema = z.object({
  /** The version the failed batches tried to install. */
  segmentId: z.string(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoTime,
  lastError: z.string(),
  /** The batch whose end was counted last: counting the same end twice changes nothing. */
  recordId: z.string(),
  parked: z.boolean(),
});
export type ConvergeSeat = z.infer<typeof convergeSeatSchema>;
const convergeSeatCodec = jsonCodec(convergeSeatSchema, 'converge seat');

/** `desired-versions/<group>/<name>` → group and name. */
export function desiredVersionOfKey(key: string): { group: string; name: string } | undefined {
  if (!key.startsWith(keys.desiredVersions)) return undefined;
  const rest = key.slice(keys.desiredVersions.length);
  const slash = rest.indexOf('/');
  return slash <= 0 ? undefined : { group: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

const PAGE = 500;
const exists = (key: string): Compare => ({ key, target: 'createRevision', op: '>', value: 0 });
/** Puts per transaction: far below etcd's 128 operations. */
const OPS_PER_TXN = 100;

export class DesiredVersionRecords {
  constructor(private readonly kv: KvStore) {}

  async get(group: string, name: string): Promise<StoredDesiredVersion | undefined> {
    const kv = await this.kv.get(keys.desiredVersion(group, name));
    return (
      kv && { group, name, ...desiredVersionCodec.decode(kv.key, kv.value), modRevision: kv.modRevision }
    );
  }

  /** A group's desired versions, or every one (no group), in key order. */
  async list(group?: string): Promise<StoredDesiredVersion[]> {
    const prefix = group === undefined ? keys.desiredVersions : keys.groupDesiredVersions(group);
    const out: StoredDesiredVersion[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(prefix, { limit: PAGE, startAfter });
      for (const kv of page.kvs) {
        const at = desiredVersionOfKey(kv.key);
        if (at)
          out.push({ ...at, ...desiredVersionCodec.decode(kv.key, kv.value), modRevision: kv.modRevision });
      }
      if (!page.more || page.kvs.length === 0) return out;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /**
   * Sets (or replaces) a desired version and forgets the name's converge failures: a new desired
   * version is a fresh start for parked seats. Its revision; undefined when the group or the
   * segment is gone or the group changed meanwhile.
   *
   * The group record is written again unchanged: a `deleteSeatGroup` that checked for desired
   * versions before this write compares the group's revision, finds it moved, and checks again.
   */
  async set(group: string, name: string, record: DesiredVersionRecord): Promise<number | undefined> {
    const groupKv = await this.kv.get(keys.seatGroup(group));
    if (!groupKv) return undefined;
    const result = await this.kv.txn({
      compare: [
        unchangedSince(keys.seatGroup(group), groupKv.modRevision),
        exists(keys.segment(record.segmentId)),
      ],
      success: [
        { type: 'put', key: keys.desiredVersion(group, name), value: desiredVersionCodec.encode(record) },
        { type: 'put', key: keys.seatGroup(group), value: groupKv.value },
        { type: 'deletePrefix', prefix: keys.convergeSeatsOf(name) },
      ],
    });
    return result.succeeded ? result.revision : undefined;
  }

  /** Removes a desired version; false when there was none. */
  async clear(group: string, name: string): Promise<boolean> {
    const key = keys.desiredVersion(group, name);
    const result = await this.kv.txn({
      compare: [{ key, target: 'createRevision', op: '>', value: 0 }],
      success: [{ type: 'delete', key }],
    });
    return result.succeeded;
  }

  async convergeState(name: string): Promise<{ state: ConvergeState; modRevision: number } | undefined> {
    const kv = await this.kv.get(keys.convergeState(name));
    return kv && { state: convergeStateCodec.decode(kv.key, kv.value), modRevision: kv.modRevision };
  }

  /** Replaces the converge state if it is unchanged since read (0: absent); its new revision, or undefined. */
  async putConvergeState(
    name: string,
    state: ConvergeState,
    revision: number,
    guard: Compare[],
  ): Promise<number | undefined> {
    const key = keys.convergeState(name);
    const result = await this.kv.txn({
      compare: [unchangedSince(key, revision), ...guard],
      success: [{ type: 'put', key, value: convergeStateCodec.encode(state) }],
    });
    return result.succeeded ? result.revision : undefined;
  }

  /** The seats converge has failed on for `name`, by seat name. */
  async convergeSeats(name: string): Promise<Map<string, ConvergeSeat>> {
    const prefix = keys.convergeSeatsOf(name);
    const out = new Map<string, ConvergeSeat>();
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.kv.range(prefix, { limit: PAGE, startAfter });
      for (const kv of page.kvs)
        out.set(kv.key.slice(prefix.length), convergeSeatCodec.decode(kv.key, kv.value));
      if (!page.more || page.kvs.length === 0) return out;
      startAfter = page.kvs.at(-1)?.key;
    }
  }

  /** Writes and removes seat failure entries, in transactions of at most OPS_PER_TXN operations. */
  async writeConvergeSeats(
    name: string,
    put: ReadonlyMap<string, ConvergeSeat>,
    remove: readonly string[],
    guard: Compare[],
  ): Promise<void> {
    const ops: TxnOp[] = [
      ...[...put].map(
        ([seat, value]): TxnOp => ({
          type: 'put',
          key: keys.convergeSeat(name, seat),
          value: convergeSeatCodec.encode(value),
        }),
      ),
      ...remove.map((seat): TxnOp => ({ type: 'delete', key: keys.convergeSeat(name, seat) })),
    ];
    for (let i = 0; i < ops.length; i += OPS_PER_TXN) {
      const result = await this.kv.txn({ compare: guard, success: ops.slice(i, i + OPS_PER_TXN) });
      if (!result.succeeded) throw new Error(`converge seats of ${name}: the write was fenced off`);
    }
  }
}
