import { InvalidInputError } from '../model/errors.js';

/** Every list (segments, seats, the audit trail) pages the same way. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

/** A list's `first`, checked: 0 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when not given. */
export function pageSize(first?: number | null): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`first must be 0 to ${MAX_PAGE_SIZE}, got ${size}`, 'first');
  }
  return size;
}
