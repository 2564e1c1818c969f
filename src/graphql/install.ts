import {
  InstallInProgressError,
  InvalidInputError,
  SeatNotFoundError,
  SegmentDeletingError,
  SegmentNotFoundError,
  SegmentNotSyncedError,
} from '../model/errors.js';
import type { StoredInstall } from '../records/install-records.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { InstallLogRef, InstallStatusEnum, installIdOf } from './install-log.js';
import { loadSeats, seatListLoader } from './loaders.js';
import { DateTimeScalar } from './scalars.js';
import { requireSeatNames, SeatRef } from './seat.js';
import { requireSegmentId, SegmentRef } from './segment.js';

const InstallRecordRef = builder.objectRef<StoredInstall>('InstallRecord');

builder.node(InstallRecordRef, {
  description: 'One request to change which seats have a segment (SegInstallRecord).',
  id: { resolve: (stored) => stored.id },
  loadOne: (id, context) => context.services.installs.get(id),
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      nullable: true,
      resolve: (stored, _args, context) => context.services.segments.get(stored.record.segmentId),
    }),
    installSeats: t.field({
      type: [SeatRef],
      description: 'Seats that should get the segment (those still existing).',
      resolve: (stored, _args, context) => loadSeats(stored.record.installSeats, context),
    }),
    uninstallSeats: t.field({
      type: [SeatRef],
      description: 'Seats that should lose the segment (those still existing).',
      resolve: (stored, _args, context) => loadSeats(stored.record.uninstallSeats, context),
    }),
    installSeatNames: t.stringList({ resolve: (stored) => stored.record.installSeats }),
    uninstallSeatNames: t.stringList({ resolve: (stored) => stored.record.uninstallSeats }),
    status: t.field({ type: InstallStatusEnum, resolve: (stored) => stored.record.status }),
    createdAt: t.field({ type: DateTimeScalar, resolve: (stored) => stored.record.createdAt }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      resolve: (stored) => stored.record.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      resolve: (stored) => stored.record.finishedAt,
    }),
    requestedBy: t.string({ nullable: true, resolve: (stored) => stored.record.requestedBy }),
    error: t.string({
      nullable: true,
      description: 'Why the whole record failed before reaching the seats.',
      resolve: (stored) => stored.record.error,
    }),
    log: t.field({
      type: InstallLogRef,
      nullable: true,
      resolve: async (stored, _args, context) => {
        const read = await context.services.installs.readLog(stored.id);
        return read ? { record: stored, log: read.log } : null;
      },
    }),
  }),
});

builder.objectFields(SegmentRef, (t) => ({
  seats: t.field({
    type: [SeatRef],
    description: 'The seats this segment is installed on.',
    resolve: async (segment, _args, context) =>
      loadSeats(await seatListLoader(context).load(segment.id), context),
  }),
  installedSeatCount: t.int({
    description: 'How many seats the segment is installed on.',
    resolve: async (segment, _args, context) => (await seatListLoader(context).load(segment.id)).length,
  }),
  installRecords: t.field({
    type: [InstallRecordRef],
    description: 'Install records of this segment, newest first.',
    resolve: (segment, _args, context) => context.services.installs.forSegment(segment.id),
  }),
}));

builder.queryField('installRecord', (t) =>
  t.field({
    type: InstallRecordRef,
    nullable: true,
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => {
      const recordId = installIdOf(String(id));
      return recordId === undefined ? null : context.services.installs.get(recordId);
    },
  }),
);

const InstallSegmentSuccess = builder
  .objectRef<{ record: StoredInstall | null }>('InstallSegmentSuccess')
  .implement({
    fields: (t) => ({
      record: t.field({
        type: InstallRecordRef,
        nullable: true,
        description: 'Null when the seats already were exactly these: nothing to do, no record.',
        resolve: (r) => r.record,
      }),
    }),
  });

const RefreshSegmentSeatsSuccess = builder
  .objectRef<{ versions: StoredSegment[] }>('RefreshSegmentSeatsSuccess')
  .implement({
    fields: (t) => ({
      versions: t.field({
        type: [SegmentRef],
        description: 'Every version of the name, newest first, each with its seats as SDP reports them.',
        resolve: (r) => r.versions,
      }),
    }),
  });

builder.mutationFields((t) => ({
  installSegment: t.field({
    type: InstallSegmentSuccess,
    description:
      'Sets the seats that should have this segment: new seats are installed, seats not listed are ' +
      'uninstalled, the others are left alone. The controller carries it out; follow installLogUpdated.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true }), seatIds: t.arg.idList({ required: true }) },
    errors: {
      types: [
        SegmentNotFoundError,
        SegmentDeletingError,
        SegmentNotSyncedError,
        SeatNotFoundError,
        InstallInProgressError,
        InvalidInputError,
      ],
      directResult: true,
      union: { name: 'InstallSegmentResult' },
    },
    resolve: async (_root, { id, seatIds }, context) => {
      const segmentId = requireSegmentId(String(id));
      const names = requireSeatNames(seatIds.map(String));
      return { record: await context.services.installs.install(segmentId, names, context.principal.id) };
    },
  }),
  refreshSegmentSeats: t.field({
    type: RefreshSegmentSeatsSuccess,
    description: 'Asks SDP which seats really have each version of this name, and stores the answer.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true }) },
    errors: {
      types: [SegmentNotFoundError],
      directResult: true,
      union: { name: 'RefreshSegmentSeatsResult' },
    },
    resolve: async (_root, { id }, context) => ({
      versions: await context.services.installs.refreshSeats(
        requireSegmentId(String(id)),
        context.request?.signal,
      ),
    }),
  }),
}));
