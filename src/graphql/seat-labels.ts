import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import {
  InvalidInputError,
  InvalidLabelError,
  InvalidSelectorError,
  SeatNotFoundError,
} from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { LabelInputRef, LabelRef } from './labels.js';
import { catalogReader } from './loaders.js';
import { requireSeatNames, SeatRef } from './seat.js';
import { SegmentRef } from './segment.js';

/** One look at the seat cache per request: a page of 500 seats asks for their groups once. */
const groupView = createContextCache((context: GraphQLContext) =>
  context.services.groups.view(context.request?.signal),
);

const segmentsOnSeatLoader = createContextCache(
  (context: GraphQLContext) =>
    new DataLoader<string, StoredSegment[]>((names) => catalogReader(context).segmentsOnSeats(names)),
);

builder.objectFields(SeatRef, (t) => ({
  labels: t.field({
    type: [LabelRef],
    description: 'In key order.',
    resolve: (seat) => seat.labels ?? [],
  }),
  description: t.string({
    nullable: true,
    description: 'Free text for people ("Bridge 1"); null when never given.',
    resolve: (seat) => seat.description || null,
  }),
  groups: t.stringList({
    description: 'The names of the seat groups whose selector its labels match now, in name order.',
    resolve: async (seat, _args, context) =>
      context.services.groups.groupsOfSeatIn(await groupView(context), seat.name),
  }),
  segments: t.field({
    type: [SegmentRef],
    description: "The segments installed on the seat (from the segments' seat lists), in list order.",
    resolve: (seat, _args, context) => segmentsOnSeatLoader(context).load(seat.name),
  }),
}));

const SetSeatLabelsSuccess = builder
  .objectRef<{ matched: number; changed: number }>('SetSeatLabelsSuccess')
  .implement({
    description: 'How many seats the call was about and how many of them changed.',
    fields: (t) => ({
      matchedCount: t.exposeInt('matched', { description: 'Seats named, or matching the selector.' }),
      changedCount: t.exposeInt('changed', {
        description: 'Seats whose labels changed (the others carried them already).',
      }),
    }),
  });

builder.mutationFields((t) => ({
  setSeatLabels: t.field({
    type: SetSeatLabelsSuccess,
    description:
      'Sets and removes labels on many seats at once, without touching their addresses: the seats ' +
      'named by `seatIds`, or those matching `selector` (exactly one of the two; at most 20,000 seats). ' +
      'Other labels stay. Bad input (INVALID_LABEL, INVALID_SELECTOR, INVALID_INPUT, SEAT_NOT_FOUND) ' +
      'changes nothing; the writes go out in atomic chunks of 64 seats.',
    authScopes: { admin: true },
    args: {
      seatIds: t.arg.idList({ description: 'The seats to relabel.' }),
      selector: t.arg.string({ description: 'Relabel the seats matching this label selector.' }),
      set: t.arg({
        type: [LabelInputRef],
        description: 'Labels to set (replacing the value of a key a seat has).',
      }),
      remove: t.arg.stringList({ description: 'Label keys to remove.' }),
    },
    errors: {
      types: [InvalidLabelError, InvalidSelectorError, InvalidInputError, SeatNotFoundError],
      directResult: true,
      union: {
        name: 'SetSeatLabelsResult',
        description: 'How many seats changed, or why nothing was written.',
      },
    },
    resolve: async (_root, { seatIds, selector, set, remove }, { services }) => {
      const outcome = await services.seats.setLabels({
        seatNames: seatIds ? requireSeatNames(seatIds.map(String)) : null,
        selector,
        set,
        remove,
      });
      return { matched: outcome.matched, changed: outcome.changed.length };
    },
  }),
}));
