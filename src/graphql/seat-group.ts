import type { GroupFreeze } from '../domain/groups/group-freeze.js';
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

const GroupFreezeRef = builder.objectRef<GroupFreeze>('GroupFreeze').implement({
  description:
    'A freeze in force: nothing new starts on the seats of the group (installSegment and converge get ' +
    'or wait on GROUP_FROZEN, rollout waves wait) until it is unfrozen or `until` passes.',
  fields: (t) => ({
    reason: t.exposeString('reason', { description: 'Why the group was frozen, as the admin wrote it.' }),
    until: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the freeze ends by itself; null when it holds until `unfreezeGroup`.',
      resolve: (f) => f.until ?? null,
    }),
    by: t.exposeString('by', { description: 'Who froze the group (token label or JWT subject).' }),
    at: t.field({ type: DateTimeScalar, description: 'When the group was frozen.', resolve: (f) => f.at }),
  }),
});

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
    frozen: t.field({
      type: GroupFreezeRef,
      nullable: true,
      description: 'The freeze in force now; null when the group is not frozen (or its freeze has ended).',
      resolve: (g) => g.frozen ?? null,
    }),
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

const FreezeGroupSuccess = builder.objectRef<{ group: SeatGroup }>('FreezeGroupSuccess').implement({
  description: 'The group, frozen.',
  fields: (t) => ({
    group: t.field({
      type: SeatGroupRef,
      description: 'The group with its freeze.',
      resolve: (r) => r.group,
    }),
  }),
});

const UnfreezeGroupSuccess = builder.objectRef<{ group: SeatGroup }>('UnfreezeGroupSuccess').implement({
  description: 'The group, no longer frozen.',
  fields: (t) => ({
    group: t.field({ type: SeatGroupRef, description: 'The group.', resolve: (r) => r.group }),
  }),
});

builder.mutationFields((t) => ({
  freezeGroup: t.field({
    type: FreezeGroupSuccess,
    description:
      'Freezes a seat group: nothing new starts on its seats until `unfreezeGroup` or `until`. Installs ' +
      'and new rollouts touching them get GROUP_FROZEN, converge waits, a running rollout finishes its ' +
      'current wave and pauses; rollbacks still run. Freezing a frozen group replaces its freeze. ' +
      'GROUP_NOT_FOUND; INVALID_INPUT for an empty reason, one over 500 characters, or an `until` not in ' +
      'the future. Admins only.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true, description: 'The group name.' }),
      reason: t.arg.string({
        required: true,
        description: 'Why, for the people it stops (1 to 500 characters).',
      }),
      until: t.arg({
        type: DateTimeScalar,
        description: 'When the freeze ends by itself (in the future); not given: until unfrozen.',
      }),
    },
    errors: {
      types: [GroupNotFoundError, InvalidInputError],
      directResult: true,
      union: { name: 'FreezeGroupResult', description: 'The frozen group, or why nothing was written.' },
    },
    resolve: async (_root, { name, reason, until }, { services, principal }) => ({
      group: await services.groups.freeze(name, reason, until ?? undefined, principal.id),
    }),
  }),
  unfreezeGroup: t.field({
    type: UnfreezeGroupSuccess,
    description:
      'Ends the freeze of a seat group; waiting converge and paused rollouts go on. A group that is not ' +
      'frozen is left as it is (success). GROUP_NOT_FOUND when there is no such group. Admins only.',
    authScopes: { admin: true },
    args: { name: t.arg.string({ required: true, description: 'The group name.' }) },
    errors: {
      types: [GroupNotFoundError],
      directResult: true,
      union: { name: 'UnfreezeGroupResult', description: 'The group, no longer frozen, or why not.' },
    },
    resolve: async (_root, { name }, { services }) => ({ group: await services.groups.unfreeze(name) }),
  }),
}));
