import { SegmentNotFoundError } from '../model/errors.js';
import { SDP_TARGETS, SEGMENT_FORMATS } from '../model/targets.js';
import type { StoredSegment } from '../records/segment-records.js';
import { DELETE_STATUSES, type SegmentRecord, SYNC_STATUSES } from '../records/segment-schema.js';
import { builder } from './builder.js';
import { cancellable } from './cancellable.js';
import { describedValues } from './enum-values.js';
import { localIdOf } from './global-id.js';
import { catalogReader, forgetReads } from './loaders.js';
import { DateTimeScalar, JSONObjectScalar, SafeIntScalar } from './scalars.js';

export const SegmentFormatEnum = builder.enumType('SegmentFormat', {
  description: 'The archive format, decided by the file suffix: .zip or .mpk.',
  values: describedValues(SEGMENT_FORMATS, {
    ZIP: 'A .zip archive; it goes to DEPLOY_PLATFORM.',
    MPK: 'An .mpk archive (a zip with an MPK header); it goes to STORE_15S.',
  }),
});

export const SdpTargetEnum = builder.enumType('SdpTarget', {
  description: 'The remote platform a segment lives on: ZIP → DEPLOY_PLATFORM, MPK → STORE_15S.',
  values: describedValues(SDP_TARGETS, {
    DEPLOY_PLATFORM: 'The deployment platform: holds .zip segments and installs them onto seats.',
    STORE_15S: 'The STORE_15S platform: holds .mpk segments.',
  }),
});

export const SyncStatusEnum = builder.enumType('SyncStatus', {
  description: 'Whether the segment exists on its SDP target yet; only SYNCED segments can be installed.',
  values: describedValues(SYNC_STATUSES, {
    PENDING: 'Not on SDP yet: the controller is creating it, or waits to try again (`sync.nextAttemptAt`).',
    SYNCED: 'On its SDP target; `remoteExtra.uid` names it there.',
    FAILED: 'Attempts ran out or SDP refused it for good (`sync.lastError`); retrySegmentSync starts over.',
  }),
});
export const DeleteStatusEnum = builder.enumType('DeleteStatus', {
  description: 'Where a requested deletion of the segment stands.',
  values: describedValues(DELETE_STATUSES, {
    NONE: 'No deletion requested.',
    PROCESSING:
      'deleteSegment was called: removing it from SDP, then from seghub; segmentUpdated sends the tombstone.',
    FAILED: 'SDP refused the deletion for good (`deleteError`); deleteSegment tries again.',
  }),
});

const SegmentSyncRef = builder.objectRef<SegmentRecord['sync']>('SegmentSync').implement({
  description: 'Where creating the segment on its SDP target stands.',
  fields: (t) => ({
    status: t.field({
      type: SyncStatusEnum,
      description: 'Where the sync stands.',
      resolve: (s) => s.status,
    }),
    attempts: t.exposeInt('attempts', { description: 'Failed attempts since syncing (re)started.' }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last attempt failed, as SDP or seghub put it; null when none has failed.',
    }),
    lastAttemptAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When the last attempt ended; null before the first.',
      resolve: (s) => s.lastAttemptAt,
    }),
    syncedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it became SYNCED; null while it is not.',
      resolve: (s) => s.syncedAt,
    }),
    nextAttemptAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'While PENDING after a failure: the next attempt happens no earlier than this.',
      resolve: (s) => s.nextAttemptAt,
    }),
  }),
});

const RemoteExtraRef = builder.objectRef<{ uid: string }>('RemoteExtra').implement({
  description: 'What the SDP target assigned to the segment.',
  fields: (t) => ({ uid: t.exposeString('uid', { description: "The segment's id on its SDP target." }) }),
});

export const SegmentRef = builder.objectRef<StoredSegment>('Segment');

builder.node(SegmentRef, {
  description: 'One version of one package.',
  id: { resolve: (segment) => segment.id },
  loadOne: (id, context) => context.services.segments.get(id),
  fields: (t) => ({
    name: t.string({ description: 'The package name, from segment.json.', resolve: (s) => s.record.name }),
    version: t.string({
      description: 'The version, from segment.json; name and version are unique together.',
      resolve: (s) => s.record.version,
    }),
    format: t.field({
      type: SegmentFormatEnum,
      description: 'The archive format.',
      resolve: (s) => s.record.format,
    }),
    target: t.field({
      type: SdpTargetEnum,
      description: 'The SDP platform it syncs to (follows from the format).',
      resolve: (s) => s.record.target,
    }),
    fileName: t.string({
      description: 'The file name it was uploaded with (or had on SDP).',
      resolve: (s) => s.record.fileName,
    }),
    size: t.field({ type: SafeIntScalar, description: 'Bytes.', resolve: (s) => s.record.size }),
    sha256: t.string({ description: 'SHA-256 of the file, lowercase hex.', resolve: (s) => s.record.sha256 }),
    description: t.string({
      nullable: true,
      description: 'The description from segment.json; null when the manifest has none.',
      resolve: (s) => s.record.description,
    }),
    metadata: t.field({
      type: JSONObjectScalar,
      description: 'The manifest fields other than name, version and description.',
      resolve: (s) => s.record.metadata,
    }),
    isLocal: t.boolean({
      description: 'Uploaded to seghub (true) or found on SDP by the remote sync (false).',
      resolve: (s) => s.record.isLocal,
    }),
    createdAt: t.field({
      type: DateTimeScalar,
      description: 'When seghub recorded it (upload or remote sync).',
      resolve: (s) => s.record.createdAt,
    }),
    sync: t.field({ type: SegmentSyncRef, description: 'Its sync to SDP.', resolve: (s) => s.record.sync }),
    remoteExtra: t.field({
      type: RemoteExtraRef,
      nullable: true,
      description: 'What SDP assigned to it; null until it is SYNCED.',
      resolve: (s) => s.record.remoteExtra,
    }),
    deleteStatus: t.field({
      type: DeleteStatusEnum,
      description: 'Where a requested deletion stands.',
      resolve: (s) => s.record.deleteStatus,
    }),
    deleteError: t.string({
      nullable: true,
      description: 'Why the last delete attempt failed; null when none has.',
      resolve: (s) => s.record.deleteError,
    }),
    versions: t.field({
      type: [SegmentRef],
      description: 'Every version of this name, newest first (this one included).',
      resolve: (s, _args, context) => catalogReader(context).versions(s.id),
    }),
  }),
});

/** The segment id inside a global id, or undefined when the id names another type. */
function segmentIdOf(globalId: string): string | undefined {
  return localIdOf(globalId, 'Segment');
}

/** For fields where an unknown id is an error, not null. */
export function requireSegmentId(globalId: string): string {
  const id = segmentIdOf(globalId);
  if (id === undefined) throw new SegmentNotFoundError(globalId);
  return id;
}

builder.queryFields((t) => ({
  segment: t.field({
    type: SegmentRef,
    nullable: true,
    description: 'The segment with this id; null when there is none. Viewers and up.',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true, description: 'A Segment id.' }) },
    resolve: (_root, { id }, { services }) => {
      const segmentId = segmentIdOf(String(id));
      return segmentId === undefined ? null : services.segments.get(segmentId);
    },
  }),
  segmentExists: t.boolean({
    description:
      'Whether this name and version is already in seghub, versions compared numerically (`1.0` is ' +
      '`1.0.0`), so whether an upload of it would be refused. Viewers and up.',
    authScopes: { viewer: true },
    args: {
      name: t.arg.string({ required: true, description: 'The segment name.' }),
      version: t.arg.string({ required: true, description: 'The version.' }),
    },
    resolve: (_root, { name, version }, { services }) => services.segments.exists(name, version),
  }),
  segmentVersions: t.field({
    type: [SegmentRef],
    description:
      'Every version of the named segment, newest first. An unknown id is a top-level ' +
      'SEGMENT_NOT_FOUND error, and since the field is non-null it nulls the whole response: a ' +
      'client that wants the rest of the response asks `segment(id) { versions }`, which is null ' +
      'instead. Viewers and up.',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true, description: 'The Segment id of any version of the name.' }) },
    resolve: (_root, { id }, context) => catalogReader(context).versions(requireSegmentId(String(id))),
  }),
}));

builder.subscriptionField('segmentUpdated', (t) =>
  t.field({
    type: SegmentRef,
    description:
      'With an id: that segment now, then each change (to the record, or to its `seats` when an ' +
      'install ends or a refresh changes them), then a tombstone (`deleted: true`, the last state) ' +
      'once it is gone, and completes. Without: every change to any segment from now on, ' +
      'tombstones included.',
    authScopes: { viewer: true },
    args: {
      id: t.arg.id({
        description: 'A Segment id: follow that segment only. Unknown: SEGMENT_NOT_FOUND error.',
      }),
    },
    subscribe: (_root, { id }, { services }) => {
      const segmentId = id === null || id === undefined ? undefined : segmentIdOf(String(id));
      if (id !== null && id !== undefined && segmentId === undefined)
        throw new SegmentNotFoundError(String(id));
      return cancellable((signal) => services.segmentEvents.updates(segmentId, signal));
    },
    resolve: (segment, _args, context) => {
      forgetReads(context);
      return segment;
    },
  }),
);
