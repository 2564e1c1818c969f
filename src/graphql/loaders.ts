import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { StoredSeat } from '../domain/seats/seat-service.js';
import type { GraphQLContext } from './context.js';
import { forgetTrustReads } from './trust-loaders.js';

/**
 * Per-request batching: a page of 50 segments with their seats and versions costs one read barrier
 * and one batched read of the seats they name, not 50 of each.
 */

/** One read barrier per request for everything read from the segment cache. */
export const catalogReader = createContextCache((context: GraphQLContext) =>
  context.services.catalog.reader(context.request?.signal),
);

export const seatListLoader = createContextCache(
  (context: GraphQLContext) =>
    new DataLoader<string, readonly string[]>((ids) => catalogReader(context).seatLists(ids)),
);

export const seatLoader = createContextCache(
  (context: GraphQLContext) =>
    new DataLoader<string, StoredSeat | undefined>(async (names) => {
      const found = await context.services.seats.getMany(names);
      return names.map((name) => found.get(name));
    }),
);

/** The seats with these names, in order; undefined for names no seat has any more. */
export async function seatsByName(
  names: readonly string[],
  context: GraphQLContext,
): Promise<(StoredSeat | undefined)[]> {
  return (await seatLoader(context).loadMany(names)).map((seat) => {
    if (seat instanceof Error) throw seat;
    return seat;
  });
}

/** The seats with these names, in order; names no seat has any more are left out. */
export async function loadSeats(names: readonly string[], context: GraphQLContext): Promise<StoredSeat[]> {
  return (await seatsByName(names, context)).filter((seat) => seat !== undefined);
}

/**
 * A subscription executes every event with the context it started with: what was read for one
 * event must not answer the next, which reports a later change.
 */
export function forgetReads(context: GraphQLContext): void {
  catalogReader.delete(context);
  seatListLoader.delete(context);
  seatLoader.delete(context);
  forgetTrustReads(context);
}
