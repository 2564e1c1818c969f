import type { DriftPage } from '../domain/desired-versions/desired-version-service.js';
import type { DRIFT_REASONS, SeatDrift } from '../domain/desired-versions/drift.js';
import type { SeatGroup } from '../domain/groups/group-service.js';
import {
  FileTamperedError,
  GroupNotFoundError,
  InvalidInputError,
  SegmentDeletingError,
  SegmentDeprecatedError,
  SegmentNotFoundError,
} from '../model/errors.js';
import { isValidSegmentName, parseSegmentId } from '../model/segment-identity.js';
import type { StoredDesiredVersion } from '../records/desired-version-records.js';
import { builder } from './builder.js';
import { seatLoader } from './loaders.js';
import { RolloutRef } from './rollout.js';
import { DateTimeScalar } from './scalars.js';
import { SeatRef, seatCursor, seatOfCursor } from './seat.js';
import { SeatGroupRef } from './seat-group.js';
import { requireSegmentId, SegmentRef } from './segment.js';

const DriftReasonEnum = builder.enumType('DriftReason', {
  description: 'Why a seat of a group does not run exactly its desired version.',
  values: {
    MISSING: { description: 'The desired version is not on the seat; converge will install it.' },
    OTHER_VERSION: { description: 'The desired version is there, but so is another version of the name.' },
    CONFLICT: {
      description: 'Groups of the seat desire different versions of the name: converge leaves it alone.',
    },
    RETRYING: { description: 'Converge failed on the seat and tries again at `nextAttemptAt`.' },
    PARKED: {
      description:
        'Converge failed on the seat too often and stopped; setting the desired version again retries.',
    },
  } satisfies Record<(typeof DRIFT_REASONS)[number], { description: string }>,
});

const DriftSeatRef = builder.objectRef<SeatDrift>('DriftSeat').implement({
  description: 'A seat of the group that does not run exactly its desired version, and why.',
  fields: (t) => ({
    seat: t.field({
      type: SeatRef,
      nullable: true,
      description: 'Null when the seat was deleted meanwhile.',
      resolve: (drift, _args, context) => seatLoader(context).load(drift.seat),
    }),
    seatName: t.exposeString('seat', { description: 'The seat name.' }),
    reason: t.field({ type: DriftReasonEnum, description: 'Why it drifts.', resolve: (d) => d.reason }),
    message: t.exposeString('message', {
      description: 'For people: the versions and groups involved, the last error.',
    }),
    attempts: t.exposeInt('attempts', { description: 'Failed converge attempts on this seat so far.' }),
    nextAttemptAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'RETRYING: when converge tries again.',
      resolve: (d) => d.nextAttemptAt,
    }),
  }),
});

const DriftSeatEdgeRef = builder.objectRef<{ node: SeatDrift; cursor: string }>('DriftSeatEdge').implement({
  description: 'A drifting seat and its cursor.',
  fields: (t) => ({
    node: t.field({ type: DriftSeatRef, description: 'The seat.', resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor', { description: 'Pass as `after` for the seats after this one.' }),
  }),
});

const DriftSeatConnectionRef = builder
  .objectRef<DriftPage & { after?: string }>('DriftSeatConnection')
  .implement({
    description: 'Drifting seats in name order.',
    fields: (t) => ({
      edges: t.field({
        type: [DriftSeatEdgeRef],
        description: 'This page.',
        resolve: (page) => page.seats.map((node) => ({ node, cursor: seatCursor(node.seat) })),
      }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        description: 'Where this page is.',
        resolve: (page) => ({
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.after !== undefined,
          startCursor: page.seats[0] && seatCursor(page.seats[0].seat),
          endCursor: page.seats.at(-1) && seatCursor(page.seats.at(-1)!.seat),
        }),
      }),
      totalCount: t.exposeInt('totalCount', { description: 'Every drifting seat, not only this page.' }),
    }),
  });

const DesiredVersionRef = builder.objectRef<StoredDesiredVersion>('DesiredVersion').implement({
  description:
    'The version of a segment name the seats of a group should run. seghub keeps the group there: ' +
    'seats that join it or lost the version get it installed (converge, in batches).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The segment name.' }),
    version: t.string({
      description: 'The desired version.',
      resolve: (d) => parseSegmentId(d.segmentId)?.version ?? '',
    }),
    segment: t.field({
      type: SegmentRef,
      nullable: true,
      description: 'The desired segment (null if it was deleted meanwhile).',
      resolve: (d, _args, { services }) => services.segments.get(d.segmentId),
    }),
    setAt: t.field({ type: DateTimeScalar, description: 'When it was set.', resolve: (d) => d.setAt }),
    setBy: t.string({ nullable: true, description: 'Who set it (a principal id).', resolve: (d) => d.setBy }),
    rollout: t.field({
      type: RolloutRef,
      nullable: true,
      description: 'The rollout that set it; null when it was set by setDesiredVersion.',
      resolve: async (d, _args, { services }) =>
        d.rolloutId === null ? null : ((await services.rollouts.get(d.rolloutId)) ?? null),
    }),
    drift: t.int({
      description: 'Seats of the group not running exactly this version (conflicts included).',
      resolve: async (d, _args, { services }) =>
        (await services.desiredVersions.drift(d.group, d.name)).length,
    }),
    driftSeats: t.field({
      type: DriftSeatConnectionRef,
      description: 'The drifting seats with their reasons, in name order.',
      args: {
        first: t.arg.int({ description: 'Page size: default 50, at most 500.' }),
        after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      },
      resolve: async (d, { first, after }, { services }) => {
        const afterName = after == null ? undefined : seatOfCursor(after);
        const page = await services.desiredVersions.driftPage(d.group, d.name, { first, after: afterName });
        return { ...page, after: afterName };
      },
    }),
    convergeError: t.string({
      nullable: true,
      description: 'Why converge cannot install this version now (it tries again), if it cannot.',
      resolve: async (d, _args, { services }) =>
        (await services.desiredVersions.convergeState(d.name))?.error,
    }),
  }),
});

builder.objectField(SeatGroupRef, 'desiredVersions', (t) =>
  t.field({
    type: [DesiredVersionRef],
    description: 'The versions this group should run, one per segment name, by name.',
    resolve: (group: SeatGroup, _args, { services }) => services.desiredVersions.forGroup(group.name),
  }),
);

const SetDesiredVersionSuccess = builder
  .objectRef<{ desiredVersion: StoredDesiredVersion }>('SetDesiredVersionSuccess')
  .implement({
    description: 'The desired version as stored; converge starts on its own.',
    fields: (t) => ({
      desiredVersion: t.field({
        type: DesiredVersionRef,
        description: 'The desired version.',
        resolve: (r) => r.desiredVersion,
      }),
    }),
  });

const ClearDesiredVersionSuccess = builder
  .objectRef<{ cleared: boolean }>('ClearDesiredVersionSuccess')
  .implement({
    description: 'The group no longer has a desired version of the name; its seats keep what they run.',
    fields: (t) => ({
      cleared: t.exposeBoolean('cleared', { description: 'False when there was none to clear.' }),
    }),
  });

builder.mutationFields((t) => ({
  setDesiredVersion: t.field({
    type: SetDesiredVersionSuccess,
    description:
      'Makes this segment the version the seats of the group should run (replacing another version of ' +
      'its name). seghub then installs it where it is missing, in batches, removing other versions of ' +
      'the name; seats parked after failures get a fresh start. A DEPRECATED segment (SEGMENT_DEPRECATED) ' +
      'or one whose stored file was found tampered (FILE_TAMPERED) is refused.',
    authScopes: { admin: true },
    args: {
      group: t.arg.string({ required: true, description: 'The seat group.' }),
      segmentId: t.arg.id({ required: true, description: 'The segment (version) to keep the group on.' }),
    },
    errors: {
      types: [
        GroupNotFoundError,
        SegmentNotFoundError,
        SegmentDeletingError,
        SegmentDeprecatedError,
        FileTamperedError,
      ],
      directResult: true,
      union: { name: 'SetDesiredVersionResult', description: 'The desired version set, or why not.' },
    },
    resolve: async (_root, args, context) => {
      const segmentId = requireSegmentId(String(args.segmentId));
      const desiredVersion = await context.services.desiredVersions.set(args.group, segmentId, {
        setBy: context.principal.id,
      });
      return { desiredVersion };
    },
  }),
  clearDesiredVersion: t.field({
    type: ClearDesiredVersionSuccess,
    description: 'Stops keeping the group on a version of the name. Its seats keep what they run.',
    authScopes: { admin: true },
    args: {
      group: t.arg.string({ required: true, description: 'The seat group.' }),
      name: t.arg.string({ required: true, description: 'The segment name.' }),
    },
    errors: {
      types: [GroupNotFoundError, InvalidInputError],
      directResult: true,
      union: { name: 'ClearDesiredVersionResult', description: 'Whether one was cleared, or why not.' },
    },
    resolve: async (_root, args, { services }) => {
      if (!isValidSegmentName(args.name)) throw new InvalidInputError('not a segment name', 'name');
      return { cleared: await services.desiredVersions.clear(args.group, args.name) };
    },
  }),
}));
