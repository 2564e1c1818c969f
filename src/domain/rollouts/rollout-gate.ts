import type { RolloutRecords } from '../../records/rollout-records.js';

/**
 * D4: converge of a segment name waits while a rollout of that name has not ended (the rollout
 * decides what the seats run), and after a CANCELLED one until the operator says again what the
 * group should run (`setDesiredVersion`) or starts a new rollout.
 */
export class RolloutGate {
  constructor(
    private readonly records: RolloutRecords,
    /** When each desired version of the name was last set. */
    private readonly desiredSetTimes: (name: string) => Promise<readonly string[]>,
  ) {}

  /** Why converge of `name` must wait now; undefined when it may go on. */
  async holdsConverge(name: string): Promise<string | undefined> {
    const active = await this.records.activeFor(name);
    if (active !== undefined) return `rollout ${active} of ${name} has not ended`;
    const newest = (await this.records.idsOfName(name)).at(-1);
    const stored = newest === undefined ? undefined : await this.records.get(newest);
    if (stored?.record.state !== 'CANCELLED') return undefined;
    const cancelledAt = Date.parse(stored.record.finishedAt ?? stored.record.createdAt);
    const setSince = (await this.desiredSetTimes(name)).some((at) => Date.parse(at) > cancelledAt);
    return setSince
      ? undefined
      : `rollout ${stored.id} of ${name} was cancelled: converge waits for setDesiredVersion or a new rollout`;
  }
}
