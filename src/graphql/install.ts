import {
  FileTamperedError,
  GroupFrozenError,
  InstallInProgressError,
  InvalidInputError,
  RolloutInProgressError,
  SeatNotFoundError,
  SegmentDeletingError,
  SegmentDeprecatedError,
  SegmentNotFoundError,
  SegmentNotReleasedError,
  SegmentNotSyncedError,
  SignatureRequiredError,
} from '../model/errors.js';
import type { StoredInstall } from '../records/install-records.js';
import {
  type InstallOrigin,
  type ORIGIN_KINDS,
  originOf,
  type UPGRADE_ORDERS,
} from '../records/install-schema.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { InstallLogRef, InstallStatusEnum, installIdOf } from './install-log.js';
import { loadSeats, seatListLoader } from './loaders.js';
import { DateTimeScalar } from './scalars.js';
import { requireSeatNames, SeatRef } from './seat.js';
import { requireSegmentId, SegmentRef } from './segment.js';

const InstallRecordRef = builder.objectRef<StoredInstall>('InstallRecord');

const OriginKindEnum = builder.enumType('InstallOriginKind', {
  description: 'Which path made an install record.',
  values: {
    MANUAL: { description: 'installSegment, called by an operator.' },
    ROLLOUT: { description: 'A wave of a staged rollout.' },
    CONVERGE: { description: 'A converge batch keeping a seat group on its desired version.' },
    ROLLBACK: { description: 'The rollback of a rollout.' },
  } satisfies Record<(typeof ORIGIN_KINDS)[number], { description: string }>,
});

export const UpgradeOrderEnum = builder.enumType('UpgradeOrder', {
  description: 'The order of the two steps when a seat moves from one version of a name to another.',
  values: {
    INSTALL_FIRST: { description: 'Install the new version, then remove the old one (make-before-break).' },
    UNINSTALL_FIRST: {
      description: 'Remove the old version first, for platforms that cannot hold both at once.',
    },
  } satisfies Record<(typeof UPGRADE_ORDERS)[number], { description: string }>,
});

const InstallOriginRef = builder.objectRef<InstallOrigin>('InstallOrigin').implement({
  description: 'Why an install record exists: every change of what runs on seats is one.',
  fields: (t) => ({
    kind: t.field({ type: OriginKindEnum, description: 'The path that made it.', resolve: (o) => o.kind }),
    rolloutId: t.id({
      nullable: true,
      description: 'The rollout whose wave or rollback made it.',
      resolve: (o) => o.rolloutId,
    }),
    wave: t.int({ nullable: true, description: 'The rollout wave (0-based).', resolve: (o) => o.wave }),
    attempt: t.int({
      nullable: true,
      description: 'Which attempt this is for its seats (0 the first).',
      resolve: (o) => o.attempt,
    }),
    group: t.string({
      nullable: true,
      description: 'The seat group a converge batch works for.',
      resolve: (o) => o.group,
    }),
  }),
});

builder.node(InstallRecordRef, {
  description: 'One request to change which seats have a segment (SegInstallRecord).',
  id: { resolve: (stored) => stored.id },
  loadOne: (id, context) => context.services.installs.get(id),
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      nullable: true,
      description: 'The segment installed or removed; null once it is deleted.',
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
    installSeatNames: t.stringList({
      description: 'Names of the seats to install on, deleted seats included.',
      resolve: (stored) => stored.record.installSeats,
    }),
    uninstallSeatNames: t.stringList({
      description: 'Names of the seats to uninstall from, deleted seats included.',
      resolve: (stored) => stored.record.uninstallSeats,
    }),
    status: t.field({
      type: InstallStatusEnum,
      description: 'Where the record stands as a whole.',
      resolve: (stored) => stored.record.status,
    }),
    createdAt: t.field({
      type: DateTimeScalar,
      description: 'When it was requested.',
      resolve: (stored) => stored.record.createdAt,
    }),
    startedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the controller started it; null while PENDING.',
      resolve: (stored) => stored.record.startedAt,
    }),
    finishedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it ended; null until then.',
      resolve: (stored) => stored.record.finishedAt,
    }),
    requestedBy: t.string({
      nullable: true,
      description: 'Who asked: a token label or JWT subject; null for records seghub made itself.',
      resolve: (stored) => stored.record.requestedBy,
    }),
    origin: t.field({
      type: InstallOriginRef,
      description: 'Which path made this record (records from before origins existed: MANUAL).',
      resolve: (stored) => originOf(stored.record),
    }),
    replacesVersions: t.field({
      type: [SegmentRef],
      description:
        'The other versions of the name this record removes from its seats (replaceOtherVersions), ' +
        'those still existing.',
      resolve: async (stored, _args, context) => {
        const others = stored.record.replace?.others ?? [];
        const found = await Promise.all(
          others.map((other) => context.services.segments.get(other.segmentId)),
        );
        return found.filter((segment) => segment !== undefined);
      },
    }),
    upgradeOrder: t.field({
      type: UpgradeOrderEnum,
      nullable: true,
      description: 'The order of install and removal when the record replaces other versions.',
      resolve: (stored) => stored.record.replace?.order,
    }),
    error: t.string({
      nullable: true,
      description: 'Why the whole record failed before reaching the seats.',
      resolve: (stored) => stored.record.error,
    }),
    log: t.field({
      type: InstallLogRef,
      nullable: true,
      description: 'Progress per seat; null before the controller starts the record.',
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
    description: 'The install record with this id; null when there is none. Viewers and up.',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true, description: 'An InstallRecord id.' }) },
    resolve: (_root, { id }, context) => {
      const recordId = installIdOf(String(id));
      return recordId === undefined ? null : context.services.installs.get(recordId);
    },
  }),
);

const InstallSegmentSuccess = builder
  .objectRef<{ record: StoredInstall | null }>('InstallSegmentSuccess')
  .implement({
    description: 'The install request is accepted.',
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
    description: 'SDP answered; the seat lists are stored.',
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
      'uninstalled, the others are left alone. The controller carries it out; follow installLogUpdated. ' +
      'Refused with INSTALL_IN_PROGRESS while any version of the name has an install that has not ended, ' +
      '(ROLLOUT_IN_PROGRESS while a rollout of the name has not ended) ' +
      'and with SEGMENT_NOT_RELEASED (naming the seats) when seats of a protected group would get a ' +
      'segment that is not RELEASED (or SIGNATURE_REQUIRED when its signatures fall short), and with ' +
      'GROUP_FROZEN when it would change seats of a frozen group. A DEPRECATED segment takes no new ' +
      'seats (SEGMENT_DEPRECATED); a tampered file none at all (FILE_TAMPERED). Operators and admins.',
    authScopes: { operator: true },
    args: {
      id: t.arg.id({ required: true, description: 'The Segment id; it must be SYNCED.' }),
      seatIds: t.arg.idList({
        required: true,
        description:
          'Every seat that should have the segment afterwards (Seat ids); empty uninstalls it everywhere.',
      }),
      replaceOtherVersions: t.arg.boolean({
        defaultValue: false,
        description:
          'Also remove every other version of the name from these seats, in the same record: an upgrade ' +
          'in one step. A failed install keeps the old version; a failed removal leaves the seat FAILED ' +
          'with both versions present.',
      }),
      upgradeOrder: t.arg({
        type: UpgradeOrderEnum,
        defaultValue: 'INSTALL_FIRST',
        description: 'With replaceOtherVersions: install first (default), or remove the old version first.',
      }),
    },
    errors: {
      types: [
        SegmentNotFoundError,
        SegmentDeletingError,
        SegmentNotSyncedError,
        SeatNotFoundError,
        InstallInProgressError,
        InvalidInputError,
        SegmentNotReleasedError,
        GroupFrozenError,
        RolloutInProgressError,
        SegmentDeprecatedError,
        FileTamperedError,
        SignatureRequiredError,
      ],
      directResult: true,
      union: { name: 'InstallSegmentResult', description: 'The install record, or why nothing was started.' },
    },
    resolve: async (_root, args, context) => {
      const segmentId = requireSegmentId(String(args.id));
      const names = requireSeatNames(args.seatIds.map(String));
      const record = await context.services.installs.install(segmentId, names, {
        requestedBy: context.principal.id,
        replaceOtherVersions: args.replaceOtherVersions ?? false,
        upgradeOrder: args.upgradeOrder ?? 'INSTALL_FIRST',
        origin: { kind: 'MANUAL' },
      });
      return { record };
    },
  }),
  refreshSegmentSeats: t.field({
    type: RefreshSegmentSeatsSuccess,
    description:
      'Asks SDP which seats really have each version of this name, and stores the answer. ' +
      'Operators and admins.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true, description: 'The Segment id of any version of the name.' }) },
    errors: {
      types: [SegmentNotFoundError],
      directResult: true,
      union: { name: 'RefreshSegmentSeatsResult', description: 'The refreshed versions, or why not.' },
    },
    resolve: async (_root, { id }, context) => ({
      versions: await context.services.installs.refreshSeats(
        requireSegmentId(String(id)),
        context.request?.signal,
      ),
    }),
  }),
}));
