import { InvalidInputError, SeatInUseError, SeatNotFoundError } from '../../model/errors.js';
import { parseSelector } from '../../model/selector.js';
import { ContendedWriteError } from '../../records/conflict-error.js';
import type { SeatBindings } from '../../records/seat-bindings.js';
import type { SeatCache } from '../../records/seat-cache.js';
import {
  SEATS_PER_UPSERT_TXN,
  type SeatPage,
  type SeatRecords,
  type StoredSeat,
  type UpsertRefusal,
} from '../../records/seat-records.js';
import type { SegmentSeats } from '../../records/segment-seats.js';
import { canonicalIp } from '../../util/ip.js';
import { pageSize } from '../page-size.js';
import {
  checkCount,
  isValidSeatName,
  type SeatInput,
  type ValidSeatInput,
  validateSeatInputs,
} from './seat-input.js';
import { type SeatLabelChange, type SeatLabelOutcome, setSeatLabels } from './seat-labels.js';
import { seatUsage } from './seat-usage.js';

export type { SeatPage, StoredSeat } from '../../records/seat-records.js';
export type { SeatInput } from './seat-input.js';
export type { SeatLabelChange, SeatLabelOutcome } from './seat-labels.js';

export interface SeatServiceOptions {
  records: SeatRecords;
  bindings: SeatBindings;
  segmentSeats: SegmentSeats;
  /** Every seat with a label index, kept by a watch: selectors are answered from it. */
  cache: SeatCache;
  now?: () => Date;
}

/** Each retry follows a concurrent install or delete that moved the lock; more means a stampede. */
const DELETE_ATTEMPTS = 10;

/**
 * Seats (SPEC "Words": a workstation with a unique name and a unique IP). The GraphQL layer and
 * installs call this; neither touches seat keys.
 */
export class SeatService {
  private readonly now: () => Date;

  constructor(private readonly options: SeatServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get(name: string): Promise<StoredSeat | undefined> {
    return isValidSeatName(name) ? this.options.records.get(name) : Promise.resolve(undefined);
  }

  /** The seats that exist among `names`, by name; invalid names are simply absent. */
  async getMany(names: readonly string[]): Promise<Map<string, StoredSeat>> {
    // From the seat cache past a read barrier: decoding 10,000 seats from the store took 104–146 ms
    // on every install decision and rollout step (bench rollout-10k).
    const view = await this.options.cache.fresh();
    const out = new Map<string, StoredSeat>();
    for (const name of new Set(names)) {
      const seat = view.seats.get(name);
      if (seat) out.set(name, seat);
    }
    return out;
  }

  /**
   * `first` seats (default 50, at most 500) after the seat named `after`, in name order. With a
   * selector (INVALID_SELECTOR when it does not parse) only matching seats, from the seat cache's
   * label index, in the same order and with the same cursors; `totalCount` counts the matches.
   */
  async page({
    first,
    after,
    selector,
  }: {
    first?: number;
    after?: string;
    selector?: string;
  } = {}): Promise<SeatPage> {
    const size = pageSize(first);
    if (selector === undefined) return this.options.records.page(size, after);
    const parsed = parseSelector(selector);
    const { seats } = await this.options.cache.fresh();
    const page = seats.page(parsed, `selector:${selector}`, size, after);
    return { ...page, seats: page.names.map((name) => seats.get(name)!) };
  }

  /** Sets and removes labels on many seats at once (SPEC-FLEET D4); see `seat-labels.ts`. */
  setLabels(change: SeatLabelChange): Promise<SeatLabelOutcome> {
    return setSeatLabels(change, {
      records: this.options.records,
      cache: this.options.cache,
      now: this.now(),
    });
  }

  /**
   * The seats holding these addresses, keyed by canonical address (`canonicalIp` of `util/ip.ts`):
   * how addresses SDP reports are mapped back to seats. Addresses no seat holds, and text that is no
   * address, are left out.
   */
  namesByIps(ips: readonly string[]): Promise<Map<string, string>> {
    const canonicals = new Set(ips.flatMap((ip) => canonicalIp(ip.trim()) ?? []));
    return this.options.records.namesByIps([...canonicals]);
  }

  /**
   * Creates seats and changes the address of existing ones (by name); returns them in input order.
   * Invalid input, or an address another seat holds, is INVALID_INPUT and nothing is written.
   */
  async upsert(inputs: readonly SeatInput[]): Promise<StoredSeat[]> {
    const writes = validateSeatInputs(inputs);
    if (writes.length === 0) return [];
    const outcome = await this.options.records.upsert(writes, this.now());
    if (!outcome.ok) throw refusalError(outcome, writes);
    return outcome.seats;
  }

  /**
   * Deletes seats; returns their names. Unknown names: SEAT_NOT_FOUND. A seat with a segment
   * installed, or named by an install that has not ended: SEAT_IN_USE. Either way nothing is deleted.
   */
  async delete(names: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(names)];
    checkCount(wanted.length, 'ids');
    const existing = await this.getMany(wanted);
    const missing = wanted.filter((name) => !existing.has(name));
    if (missing.length > 0) throw new SeatNotFoundError(missing);

    const deleted: string[] = [];
    let remaining = wanted;
    for (let attempt = 0; attempt < DELETE_ATTEMPTS && remaining.length > 0; attempt++) {
      // The lock is read before usage is checked: an install created after this read bumps it, and
      // the delete's compare on it then fails instead of removing a seat that install names.
      const lockRevision = await this.options.bindings.lockRevision();
      await this.refuseInUse(remaining);
      const outcome = await this.options.records.delete(remaining, lockRevision, this.now());
      deleted.push(...outcome.deleted);
      const gone = new Set(outcome.deleted);
      remaining = remaining.filter((name) => !gone.has(name));
    }
    if (remaining.length > 0) {
      throw new ContendedWriteError(
        `deleting seats kept conflicting with concurrent writers (${DELETE_ATTEMPTS} attempts)`,
      );
    }
    return deleted;
  }

  private async refuseInUse(names: readonly string[]): Promise<void> {
    const usage = await seatUsage(new Set(names), this.options);
    const [first] = usage;
    if (first) throw new SeatInUseError(first[0], first[1]);
  }
}

function refusalError(refusal: UpsertRefusal, writes: readonly ValidSeatInput[]): InvalidInputError {
  const write = writes[refusal.index]!;
  if (refusal.kind === 'ip-taken') {
    return new InvalidInputError(
      `IP ${write.ip} of seat ${write.name} is held by seat ${refusal.holder}`,
      `seats[${refusal.index}].ip`,
    );
  }
  return new InvalidInputError(
    `${refusal.size} seats exchange addresses in a ring (seats[${refusal.index}] ${write.name} among them); ` +
      `change at most ${SEATS_PER_UPSERT_TXN} of them per call, moving one to an unused address first`,
    'seats',
  );
}
