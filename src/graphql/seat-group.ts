import type { SeatGroup } from '../domain/groups/group-service.js';
import {
  GroupInUseError,
  GroupNotFoundError,
  InvalidInputError,
  InvalidSelectorError,
  TooManySeatGroupsError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { DateTimeScalar } from './scalars.js';
import { SeatConnectionRef, seatOfCursor } from './seat.js';

export const SeatGroupRef = builder.objectRef<SeatGroup>('SeatGroup').implement({
  description:
    'A named label selector. Membership is dynamic: a seat is in the group while its labels match. ' +
    'Seats of a protected group take only RELEASED segments.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique; lower case, `^[a-z0-9][a-z0-9._-]{0,62}$`.' }),
    selector: t.exposeString('selector', { description: 'The label selector, as written.' }),
    protected: t.exposeBoolean('protected', {
      description: 'Production: only RELEASED segments may be installed on its seats, by any path.',
    }),
    description: t.exposeString('description', { description: 'Free text for people (may be empty).' }),
    createdAt: t.field({
      type: DateTimeScalar,
      description: 'When the group was created.',
      resolve: (g) => g.createdAt,
    }),
    updatedAt: t.field({
      type: DateTimeScalar,
      description: 'When it last changed.',
      resolve: (g) => g.updatedAt,
    }),
    seatCount: t.int({
      description: 'Seats in the group now.',
      resolve: async (group, _args, { services }) => (await services.groups.membersOf(group.name)).length,
    }),
    seats: t.field({
      type: SeatConnectionRef,
      description: 'The seats in the group, in name order, paged as `Query.seats` (same cursors).',
      args: {
        first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
        after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      },
      resolve: async (group, { first, after }, { services }) => {
        const afterName = after == null ? undefined : seatOfCursor(after);
        const page = await services.groups.memberPage(group.name, {
          first: first ?? undefined,
          after: afterName,
        });
        return { ...page, after: afterName };
      },
    }),
  }),
});

const SeatGroupInputRef = builder.inputType('SeatGroupInput', {
  description: 'A seat group to create or change (by name).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Upsert key; lower case, `^[a-z0-9][a-z0-9._-]{0,62}$`.' }),
    selector: t.string({
      required: true,
      description: 'A label selector, e.g. `site=north,role in (bridge,engine)`.',
    }),
    protected: t.boolean({ description: 'Not given: false for a new group, unchanged for an existing one.' }),
    description: t.string({
      description: 'At most 256 characters. Not given: empty for a new group, unchanged for an existing one.',
    }),
  }),
});

builder.queryFields((t) => ({
  seatGroups: t.field({
    type: [SeatGroupRef],
    description: 'Every seat group, in name order.',
    authScopes: { viewer: true },
    resolve: (_root, _args, { services }) => services.groups.list(),
  }),
  seatGroup: t.field({
    type: SeatGroupRef,
    nullable: true,
    description: 'The seat group of this name, or null.',
    authScopes: { viewer: true },
    args: { name: t.arg.string({ required: true, description: 'The group name.' }) },
    resolve: async (_root, { name }, { services }) => (await services.groups.get(name)) ?? null,
  }),
}));

const UpsertSeatGroupSuccess = builder.objectRef<{ group: SeatGroup }>('UpsertSeatGroupSuccess').implement({
  description: 'The group as stored.',
  fields: (t) => ({
    group: t.field({ type: SeatGroupRef, description: 'The group.', resolve: (r) => r.group }),
  }),
});

const DeleteSeatGroupSuccess = builder.objectRef<{ name: string }>('DeleteSeatGroupSuccess').implement({
  description: 'The group is gone; its seats keep their labels and what they run.',
  fields: (t) => ({ name: t.exposeString('name', { description: 'The deleted group.' }) }),
});

builder.mutationFields((t) => ({
  upsertSeatGroup: t.field({
    type: UpsertSeatGroupSuccess,
    description:
      'Creates a seat group, or changes the one of this name. A bad name or description: INVALID_INPUT; ' +
      'a selector that does not parse: INVALID_SELECTOR. Either way nothing is written.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: SeatGroupInputRef, required: true, description: 'The group.' }) },
    errors: {
      types: [InvalidInputError, InvalidSelectorError, TooManySeatGroupsError],
      directResult: true,
      union: {
        name: 'UpsertSeatGroupResult',
        description: 'The group as stored, or why nothing was written.',
      },
    },
    resolve: async (_root, { input }, { services }) => ({ group: await services.groups.upsert(input) }),
  }),
  deleteSeatGroup: t.field({
    type: DeleteSeatGroupSuccess,
    description:
      'Deletes a seat group (not its seats). GROUP_NOT_FOUND when there is none; GROUP_IN_USE while ' +
      'something depends on it (a desired version, a rollout).',
    authScopes: { admin: true },
    args: { name: t.arg.string({ required: true, description: 'The group name.' }) },
    errors: {
      types: [GroupNotFoundError, GroupInUseError],
      directResult: true,
      union: { name: 'DeleteSeatGroupResult', description: 'The group deleted, or why not.' },
    },
    resolve: async (_root, { name }, { services }) => {
      await services.groups.delete(name);
      return { name };
    },
  }),
}));
