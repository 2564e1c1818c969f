import { encodeGlobalID } from '@pothos/plugin-relay';
import { isValidSeatName } from '../domain/seats/seat-input.js';
import type { SeatPage, StoredSeat } from '../domain/seats/seat-service.js';
import { InvalidInputError, SeatInUseError, SeatNotFoundError } from '../model/errors.js';
import { builder } from './builder.js';
import { localIdOf } from './global-id.js';
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
    createdAt: t.field({ type: DateTimeScalar, resolve: (seat) => seat.createdAt }),
    updatedAt: t.field({ type: DateTimeScalar, resolve: (seat) => seat.updatedAt }),
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
  fields: (t) => ({
    node: t.field({ type: SeatRef, resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor'),
  }),
});

const SeatConnectionRef = builder.objectRef<SeatPage & { after?: string }>('SeatConnection').implement({
  description: 'Seats in name order.',
  fields: (t) => ({
    edges: t.field({
      type: [SeatEdgeRef],
      resolve: (page) => page.seats.map((node) => ({ node, cursor: seatCursor(node.name) })),
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.after !== undefined,
        startCursor: page.seats[0] && seatCursor(page.seats[0].name),
        endCursor: page.seats.at(-1) && seatCursor(page.seats.at(-1)!.name),
      }),
    }),
    totalCount: t.exposeInt('totalCount', { description: 'Every seat, not only this page.' }),
  }),
});

// Opaque to clients; the position is a seat name, so seats added or removed between pages neither
// repeat nor shift the rest.
const CURSOR_PREFIX = 'seat:';

function seatCursor(name: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${name}`).toString('base64url');
}

function seatOfCursor(cursor: string): string {
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
    description: 'Every seat, in name order: `first` (default 50, at most 500) after the cursor `after`.',
    authScopes: { viewer: true },
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, { first, after }, { services }) => {
      const afterName = after === null || after === undefined ? undefined : seatOfCursor(after);
      const page = await services.seats.page({ first: first ?? undefined, after: afterName });
      return { ...page, after: afterName };
    },
  }),
}));

// ---- mutations ----

const SeatInputRef = builder.inputType('SeatInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Upsert key: an existing seat of this name is changed.' }),
    ip: t.string({ required: true, description: 'IPv4 or IPv6 (no zone id).' }),
  }),
});

const UpsertSeatsSuccess = builder.objectRef<{ seats: StoredSeat[] }>('UpsertSeatsSuccess').implement({
  fields: (t) => ({
    seats: t.field({ type: [SeatRef], description: 'In input order.', resolve: (r) => r.seats }),
  }),
});

const DeleteSeatsSuccess = builder.objectRef<{ names: string[] }>('DeleteSeatsSuccess').implement({
  fields: (t) => ({
    deletedIds: t.idList({ resolve: (r) => r.names.map((name) => encodeGlobalID('Seat', name)) }),
  }),
});

builder.mutationFields((t) => ({
  upsertSeats: t.field({
    type: UpsertSeatsSuccess,
    description:
      'Creates seats, or changes the IP of existing ones (by name). At most 20,000 per call. Invalid ' +
      'names or addresses, a name or address twice, or an address another seat holds: INVALID_INPUT, ' +
      'and nothing is written.',
    authScopes: { admin: true },
    args: { seats: t.arg({ type: [SeatInputRef], required: true }) },
    errors: { types: [InvalidInputError], directResult: true, union: { name: 'UpsertSeatsResult' } },
    resolve: async (_root, { seats }, { services }) => ({ seats: await services.seats.upsert(seats) }),
  }),
  deleteSeats: t.field({
    type: DeleteSeatsSuccess,
    description:
      'Deletes seats. Unknown ids: SEAT_NOT_FOUND; a seat with a segment installed, or named by an ' +
      'install that has not ended: SEAT_IN_USE. Either way nothing is deleted.',
    authScopes: { admin: true },
    args: { ids: t.arg.idList({ required: true }) },
    errors: {
      types: [SeatNotFoundError, SeatInUseError, InvalidInputError],
      directResult: true,
      union: { name: 'DeleteSeatsResult' },
    },
    resolve: async (_root, { ids }, { services }) => ({
      names: await services.seats.delete(requireSeatNames(ids.map(String))),
    }),
  }),
}));
