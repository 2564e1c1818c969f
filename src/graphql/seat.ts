import { encodeGlobalID } from '@pothos/plugin-relay';
import { isValidSeatName } from '../domain/seats/seat-input.js';
import type { SeatPage, StoredSeat } from '../domain/seats/seat-service.js';
import { InvalidInputError, InvalidLabelError, SeatInUseError, SeatNotFoundError } from '../model/errors.js';
import { builder } from './builder.js';
import { localIdOf } from './global-id.js';
import { LabelInputRef } from './labels.js';
import { seatsByName } from './loaders.js';
import { DateTimeScalar } from './scalars.js';

export const SeatRef = builder.objectRef<StoredSeat>('Seat');

builder.node(SeatRef, {
  description: 'A workstation segments are installed on, reached by its IP address.',
  id: { resolve: (seat) => seat.name },
  // Batched with every other seat read of the request: lists name seats by the thousand.
  loadMany: (names, context) => seatsByName(names, context),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique; lower case, `^[a-z0-9][a-z0-9._-]{0,62}$`.' }),
    ip: t.exposeString('ip', {
      description:
        'IPv4 or IPv6, as given. Unique across seats whatever the spelling (`::1` = `0:0::1`, ' +
        'and `::ffff:10.0.0.1` = `10.0.0.1`).',
    }),
    createdAt: t.field({
      type: DateTimeScalar,
      description: 'When the seat was created.',
      resolve: (seat) => seat.createdAt,
    }),
    updatedAt: t.field({
      type: DateTimeScalar,
      description: 'When its address, labels or description last changed.',
      resolve: (seat) => seat.updatedAt,
    }),
  }),
});

/** The seat name inside a global id, or undefined when the id names something else. */
function seatNameOf(globalId: string): string | undefined {
  const name = localIdOf(globalId, 'Seat');
  return name !== undefined && isValidSeatName(name) ? name : undefined;
}

/**
 * SEAT_NOT_FOUND for ids that are no seat id at all. The domain's `SeatNotFoundError` names seats,
 * which the error type turns into global ids; these ids go back exactly as the client sent them.
 */
export class UnknownSeatIdsError extends SeatNotFoundError {
  override name = 'UnknownSeatIdsError';
}

/** Every id's seat name; SEAT_NOT_FOUND naming all the ids that are no seat id. */
export function requireSeatNames(globalIds: readonly string[]): string[] {
  const names = globalIds.map(seatNameOf);
  const bad = globalIds.filter((_, index) => names[index] === undefined);
  if (bad.length > 0) throw new UnknownSeatIdsError(bad);
  return names as string[];
}

// ---- the connection ----

const SeatEdgeRef = builder.objectRef<{ node: StoredSeat; cursor: string }>('SeatEdge').implement({
  description: 'One seat of a page.',
  fields: (t) => ({
    node: t.field({ type: SeatRef, description: 'The seat.', resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor', {
      description: 'Pass as `after` to continue after this seat (opaque).',
    }),
  }),
});

export const SeatConnectionRef = builder
  .objectRef<SeatPage & { after?: string }>('SeatConnection')
  .implement({
    description: 'Seats in name order.',
    fields: (t) => ({
      edges: t.field({
        type: [SeatEdgeRef],
        description: 'This page, in name order.',
        resolve: (page) => page.seats.map((node) => ({ node, cursor: seatCursor(node.name) })),
      }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        description: 'Where this page sits; `endCursor` continues.',
        resolve: (page) => ({
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.after !== undefined,
          startCursor: page.seats[0] && seatCursor(page.seats[0].name),
          endCursor: page.seats.at(-1) && seatCursor(page.seats.at(-1)!.name),
        }),
      }),
      totalCount: t.exposeInt('totalCount', {
        description: 'Every seat (matching the selector, when one was given), not only this page.',
      }),
    }),
  });

// Opaque to clients; the position is a seat name, so seats added or removed between pages neither
// repeat nor shift the rest.
const CURSOR_PREFIX = 'seat:';

export function seatCursor(name: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${name}`).toString('base64url');
}

export function seatOfCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  const name = text.slice(CURSOR_PREFIX.length);
  if (!text.startsWith(CURSOR_PREFIX) || !isValidSeatName(name) || seatCursor(name) !== cursor) {
    throw new InvalidInputError('after is not a cursor of the seats connection', 'after');
  }
  return name;
}

builder.queryFields((t) => ({
  seats: t.field({
    type: SeatConnectionRef,
    description:
      'Every seat, in name order: `first` (default 50, at most 500) after the cursor `after`. With a ' +
      '`selector`, only the seats whose labels match it, in the same order with the same cursors; ' +
      'a selector that does not parse is an INVALID_SELECTOR error with `position` and `expected`. ' +
      'Viewers and up.',
    authScopes: { viewer: true },
    args: {
      first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      selector: t.arg.string({
        description: 'A label selector, e.g. `site=north,role in (bridge,engine),!retired`.',
      }),
    },
    resolve: async (_root, { first, after, selector }, { services }) => {
      const afterName = after === null || after === undefined ? undefined : seatOfCursor(after);
      const page = await services.seats.page({
        first: first ?? undefined,
        after: afterName,
        selector: selector ?? undefined,
      });
      return { ...page, after: afterName };
    },
  }),
}));

// ---- mutations ----

const SeatInputRef = builder.inputType('SeatInput', {
  description: 'A seat to create, or to change (by name).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Upsert key: an existing seat of this name is changed.' }),
    ip: t.string({ required: true, description: 'IPv4 or IPv6 (no zone id).' }),
    labels: t.field({
      type: [LabelInputRef],
      description:
        "Given: replaces the seat's labels (at most 32). Not given: an existing seat keeps its labels.",
    }),
    description: t.string({
      description: 'Free text for people, at most 256 characters. Not given: an existing seat keeps its own.',
    }),
  }),
});

const UpsertSeatsSuccess = builder.objectRef<{ seats: StoredSeat[] }>('UpsertSeatsSuccess').implement({
  description: 'Every seat is written.',
  fields: (t) => ({
    seats: t.field({ type: [SeatRef], description: 'In input order.', resolve: (r) => r.seats }),
  }),
});

const DeleteSeatsSuccess = builder.objectRef<{ names: string[] }>('DeleteSeatsSuccess').implement({
  description: 'Every seat asked for is deleted.',
  fields: (t) => ({
    deletedIds: t.idList({
      description: 'The Seat ids deleted.',
      resolve: (r) => r.names.map((name) => encodeGlobalID('Seat', name)),
    }),
  }),
});

builder.mutationFields((t) => ({
  upsertSeats: t.field({
    type: UpsertSeatsSuccess,
    description:
      'Creates seats, or changes the IP (and, when given, the labels and description) of existing ' +
      'ones (by name). At most 20,000 per call. Invalid names or addresses, a name or address twice, ' +
      'or an address another seat holds: INVALID_INPUT; a bad label: INVALID_LABEL; either way ' +
      'nothing is written. Admins only.',
    authScopes: { admin: true },
    args: { seats: t.arg({ type: [SeatInputRef], required: true, description: 'The seats, each by name.' }) },
    errors: {
      types: [InvalidInputError, InvalidLabelError],
      directResult: true,
      union: { name: 'UpsertSeatsResult', description: 'The seats written, or why none was.' },
    },
    resolve: async (_root, { seats }, { services }) => ({ seats: await services.seats.upsert(seats) }),
  }),
  deleteSeats: t.field({
    type: DeleteSeatsSuccess,
    description:
      'Deletes seats. Unknown ids: SEAT_NOT_FOUND; a seat with a segment installed, or named by an ' +
      'install that has not ended: SEAT_IN_USE. Either way nothing is deleted. Admins only.',
    authScopes: { admin: true },
    args: { ids: t.arg.idList({ required: true, description: 'The Seat ids to delete.' }) },
    errors: {
      types: [SeatNotFoundError, SeatInUseError, InvalidInputError],
      directResult: true,
      union: { name: 'DeleteSeatsResult', description: 'The seats deleted, or why none was.' },
    },
    resolve: async (_root, { ids }, { services }) => ({
      names: await services.seats.delete(requireSeatNames(ids.map(String))),
    }),
  }),
}));
