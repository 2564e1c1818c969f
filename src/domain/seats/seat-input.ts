import { InvalidInputError, InvalidLabelError } from '../../model/errors.js';
import {
  describeLabelProblem,
  type Label,
  labelProblem,
  MAX_SEAT_DESCRIPTION_LENGTH,
  sortLabels,
} from '../../model/labels.js';
import { isValidSegmentName } from '../../model/segment-identity.js';
import { canonicalIp } from '../../util/ip.js';

/** At most this many seats per upsert or delete: the size of the largest site, with room. */
const MAX_SEATS_PER_CALL = 20_000;

export interface SeatInput {
  readonly name: string;
  readonly ip: string;
  /** Given: replaces the seat's labels. Absent (or null): the labels stay as they are. */
  readonly labels?: readonly Label[] | null;
  /** Given: replaces the description ('' clears it). Absent (or null): it stays. */
  readonly description?: string | null;
}

/** A checked seat input: the trimmed IP as given, and the canonical form uniqueness is judged on. */
export interface ValidSeatInput {
  readonly name: string;
  readonly ip: string;
  readonly canonicalIp: string;
  /** In key order. */
  readonly labels?: readonly Label[];
  readonly description?: string;
}

/**
 * Seat names end up in store keys and in global ids, so they follow the segment-name rule:
 * lower case, `^[a-z0-9][a-z0-9._-]{0,62}$`.
 */
export function isValidSeatName(name: string): boolean {
  return isValidSegmentName(name);
}

/**
 * Checks an upsert's input as a whole before anything is read or written: every name and address
 * valid, no name and no address twice. `field` points at the offending entry (`seats[3].ip`).
 */
export function validateSeatInputs(inputs: readonly SeatInput[]): ValidSeatInput[] {
  checkCount(inputs.length, 'seats');
  const byName = new Map<string, number>();
  const byIp = new Map<string, number>();
  return inputs.map(({ name, ip: given, labels, description }, index) => {
    if (!isValidSeatName(name)) {
      throw new InvalidInputError(
        `seat name ${JSON.stringify(name)} must be 1 to 63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit`,
        `seats[${index}].name`,
      );
    }
    const ip = given.trim();
    const canonical = canonicalIp(ip);
    if (canonical === undefined) {
      throw new InvalidInputError(
        `${JSON.stringify(given)} (seat ${name}) is not an IPv4 or IPv6 address (zone ids are not allowed)`,
        `seats[${index}].ip`,
      );
    }
    const sameName = byName.get(name);
    if (sameName !== undefined) {
      throw new InvalidInputError(
        `seat ${name} appears twice: seats[${sameName}] and seats[${index}]`,
        `seats[${index}].name`,
      );
    }
    const sameIp = byIp.get(canonical);
    if (sameIp !== undefined) {
      throw new InvalidInputError(
        `IP ${ip} of seat ${name} is the same address as seats[${sameIp}] (${inputs[sameIp]!.name})`,
        `seats[${index}].ip`,
      );
    }
    byName.set(name, index);
    byIp.set(canonical, index);
    return {
      name,
      ip,
      canonicalIp: canonical,
      ...(labels == null ? {} : { labels: validateLabels(labels, `seats[${index}].labels`) }),
      ...(description == null
        ? {}
        : { description: validateDescription(description, `seats[${index}].description`) }),
    };
  });
}

/** The labels in key order; INVALID_LABEL naming the first bad one (`field[2]`). */
export function validateLabels(labels: readonly Label[], field: string): Label[] {
  const problem = labelProblem(labels);
  if (problem) {
    const at = problem.kind === 'too-many' ? field : `${field}[${problem.index}]`;
    throw new InvalidLabelError(
      describeLabelProblem(problem),
      at,
      problem.kind === 'too-many' ? undefined : problem.key,
    );
  }
  return sortLabels(labels.map(({ key, value }) => ({ key, value })));
}

export function validateDescription(description: string, field: string): string {
  if (description.length > MAX_SEAT_DESCRIPTION_LENGTH) {
    throw new InvalidInputError(
      `a seat description has at most ${MAX_SEAT_DESCRIPTION_LENGTH} characters, got ${description.length}`,
      field,
    );
  }
  return description;
}

export function checkCount(count: number, field: string): void {
  if (count > MAX_SEATS_PER_CALL) {
    throw new InvalidInputError(`at most ${MAX_SEATS_PER_CALL} seats per call, got ${count}`, field);
  }
}
