import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  GroupFrozenError,
  GroupInUseError,
  GroupNotFoundError,
  InvalidLabelError,
  InvalidSelectorError,
  SegmentNotReleasedError,
  TooManySeatGroupsError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { ErrorInterface } from './error-types.js';
import { DateTimeScalar } from './scalars.js';

/** The error members of the seat label, selector and group mutations (SPEC-FLEET section 1). */

builder.objectType(InvalidLabelError, {
  name: 'InvalidLabelError',
  description: 'A label breaks the label rules (key, value, at most 32 per seat); nothing was written.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidLabelError,
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'The argument that was refused, e.g. `seats[3].labels[1]`.',
    }),
    key: t.exposeString('key', { nullable: true, description: 'The label key concerned, when one is.' }),
  }),
});
builder.objectType(InvalidSelectorError, {
  name: 'InvalidSelectorError',
  description: 'A label selector that does not parse.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidSelectorError,
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Where parsing stopped: a 0-based character offset.' }),
    expected: t.exposeString('expected', {
      description: "What would have been accepted there, e.g. `',' or ')'`.",
    }),
  }),
});
builder.objectType(GroupNotFoundError, {
  name: 'GroupNotFoundError',
  description: 'No seat group has this name.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof GroupNotFoundError,
  fields: (t) => ({ name: t.exposeString('groupName', { description: 'The name asked for.' }) }),
});
builder.objectType(GroupInUseError, {
  name: 'GroupInUseError',
  description: 'Something still depends on the seat group (a desired version, a rollout).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof GroupInUseError,
  fields: (t) => ({ reason: t.exposeString('reason', { description: 'What holds the group.' }) }),
});
builder.objectType(TooManySeatGroupsError, {
  name: 'TooManySeatGroupsError',
  description: 'seghub already holds as many seat groups as it is configured for (MAX_SEAT_GROUPS).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TooManySeatGroupsError,
  fields: (t) => ({ limit: t.exposeInt('limit', { description: 'The configured number of seat groups.' }) }),
});
builder.objectType(SegmentNotReleasedError, {
  name: 'SegmentNotReleasedError',
  description: 'Seats of a protected group take only RELEASED segments; nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentNotReleasedError,
  fields: (t) => ({
    seatIds: t.idList({
      description: 'The seats of protected groups that the change would have touched.',
      resolve: (e) => e.seatIds.map((name) => encodeGlobalID('Seat', name)),
    }),
    groups: t.stringList({
      description: 'The protected groups those seats are in.',
      resolve: (e) => [...e.groups],
    }),
  }),
});
builder.objectType(GroupFrozenError, {
  name: 'GroupFrozenError',
  description:
    'A seat group is frozen: nothing new starts on its seats (installs, converge, rollout waves) until ' +
    'it is unfrozen or its `until` passes. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof GroupFrozenError,
  fields: (t) => ({
    group: t.exposeString('groupName', { description: 'The frozen group (the first by name, if several).' }),
    reason: t.exposeString('reason', { description: 'Why it was frozen, as the admin wrote it.' }),
    until: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the freeze ends by itself; null when it holds until unfrozen.',
      resolve: (e) => e.until ?? null,
    }),
  }),
});
