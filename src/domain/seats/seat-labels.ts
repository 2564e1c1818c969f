import { InvalidInputError, InvalidLabelError, SeatNotFoundError } from '../../model/errors.js';
import { isValidLabelKey, type Label, MAX_LABELS_PER_SEAT, sortLabels } from '../../model/labels.js';
import { parseSelector } from '../../model/selector.js';
import type { SeatCache } from '../../records/seat-cache.js';
import type { SeatRecords, StoredSeat } from '../../records/seat-records.js';
import type { SeatRecord } from '../../records/seat-schema.js';
import { checkCount, isValidSeatName, validateLabels } from './seat-input.js';

/** `setSeatLabels` (SPEC-FLEET D4): which seats, and what to set and remove on each. */
export interface SeatLabelChange {
  /** Seat names; exactly one of `seatNames` and `selector` is given. */
  readonly seatNames?: readonly string[] | null;
  readonly selector?: string | null;
  readonly set?: readonly Label[] | null;
  readonly remove?: readonly string[] | null;
}

export interface SeatLabelOutcome {
  /** Seats the call was about (named, or matching the selector when it was read). */
  readonly matched: number;
  /** Seats whose labels changed (the others had them already). */
  readonly changed: string[];
}

/**
 * Relabels seats in bulk without touching their addresses. The whole input and the resulting label
 * counts are checked against the cache first, so bad input changes nothing; the writes go out in
 * atomic chunks (`records/seat-rewrite.ts`). A seat deleted meanwhile is skipped.
 */
export async function setSeatLabels(
  change: SeatLabelChange,
  { records, cache, now }: { records: SeatRecords; cache: SeatCache; now: Date },
): Promise<SeatLabelOutcome> {
  const set = validateLabels(change.set ?? [], 'set');
  const remove = [...new Set(change.remove ?? [])];
  remove.forEach((key, index) => {
    if (!isValidLabelKey(key))
      throw new InvalidLabelError(`${JSON.stringify(key)} is no label key`, `remove[${index}]`, key);
  });
  const both = set.find((label) => remove.includes(label.key));
  if (both) throw new InvalidInputError(`label ${both.key} is both set and removed`, 'remove');
  const names = await targetSeats(change, cache);
  const relabel = (seat: StoredSeat): Label[] => {
    const labels = new Map((seat.labels ?? []).map(({ key, value }) => [key, value]));
    for (const key of remove) labels.delete(key);
    for (const { key, value } of set) labels.set(key, value);
    return sortLabels([...labels].map(([key, value]) => ({ key, value })));
  };
  const view = cache.current().seats;
  for (const name of names) {
    const seat = view.get(name);
    if (seat && relabel(seat).length > MAX_LABELS_PER_SEAT) throw tooMany(name);
  }
  const at = now.toISOString();
  const outcome = await records.rewrite(names, (seat): SeatRecord | undefined => {
    const labels = relabel(seat);
    if (sameLabels(labels, seat.labels ?? [])) return undefined;
    // Checked above; a concurrent write may have added labels since.
    if (labels.length > MAX_LABELS_PER_SEAT) throw tooMany(seat.name);
    const { modRevision: _, ...record } = seat;
    const { labels: _old, ...rest } = record;
    return { ...rest, updatedAt: at, ...(labels.length > 0 ? { labels } : {}) };
  });
  return { matched: names.length, changed: outcome.changed };
}

async function targetSeats(change: SeatLabelChange, cache: SeatCache): Promise<string[]> {
  const given = change.seatNames != null;
  if (given === (change.selector != null)) {
    throw new InvalidInputError(
      'give exactly one of seatIds and selector',
      change.selector == null ? 'seatIds' : 'selector',
    );
  }
  if (change.selector != null) {
    const selector = parseSelector(change.selector);
    const view = await cache.fresh();
    const names = [...view.seats.matching(selector, `selector:${change.selector}`)];
    checkCount(names.length, 'selector');
    return names;
  }
  const names = [...new Set(change.seatNames)];
  checkCount(names.length, 'seatIds');
  const view = await cache.fresh();
  const missing = names.filter((name) => !isValidSeatName(name) || !view.seats.get(name));
  if (missing.length > 0) throw new SeatNotFoundError(missing);
  return names;
}

function tooMany(seatName: string): InvalidLabelError {
  return new InvalidLabelError(`seat ${seatName} would carry more than ${MAX_LABELS_PER_SEAT} labels`, 'set');
}

function sameLabels(a: readonly Label[], b: readonly Label[]): boolean {
  return (
    a.length === b.length && a.every((label, i) => label.key === b[i]!.key && label.value === b[i]!.value)
  );
}
