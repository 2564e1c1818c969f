import {
  FileTooLargeError,
  InvalidInputError,
  InvalidSegmentFileError,
  SegmentAlreadyExistsError,
  SegmentDeletingError,
  SegmentNotFoundError,
  UnsupportedFormatError,
} from '../model/errors.js';
import { SDP_TARGETS, SEGMENT_FORMATS } from '../model/targets.js';
import type { StoredSegment } from '../records/segment-records.js';
import { DELETE_STATUSES, type SegmentRecord, SYNC_STATUSES } from '../records/segment-schema.js';
import { builder } from './builder.js';
import { cancellable } from './cancellable.js';
import { localIdOf } from './global-id.js';
import { catalogReader, forgetReads } from './loaders.js';
import { DateTimeScalar, JSONObjectScalar, SafeIntScalar, UploadScalar } from './scalars.js';

export const SegmentFormatEnum = builder.enumType('SegmentFormat', {
  description: 'The archive format, decided by the file suffix: .zip or .mpk.',
  values: SEGMENT_FORMATS,
});

export const SdpTargetEnum = builder.enumType('SdpTarget', {
  description: 'The remote platform a segment lives on: ZIP → DEPLOY_PLATFORM, MPK → STORE_15S.',
  values: SDP_TARGETS,
});

export const SyncStatusEnum = builder.enumType('SyncStatus', { values: SYNC_STATUSES });
export const DeleteStatusEnum = builder.enumType('DeleteStatus', { values: DELETE_STATUSES });

const SegmentSyncRef = builder.objectRef<SegmentRecord['sync']>('SegmentSync').implement({
  description: 'Where creating the segment on its SDP target stands.',
  fields: (t) => ({
    status: t.field({ type: SyncStatusEnum, resolve: (s) => s.status }),
    attempts: t.exposeInt('attempts', { description: 'Failed attempts since syncing (re)started.' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastAttemptAt: t.field({ type: DateTimeScalar, nullable: true, resolve: (s) => s.lastAttemptAt }),
    syncedAt: t.field({ type: DateTimeScalar, nullable: true, resolve: (s) => s.syncedAt }),
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
  fields: (t) => ({ uid: t.exposeString('uid') }),
});

export const SegmentRef = builder.objectRef<StoredSegment>('Segment');

builder.node(SegmentRef, {
  description: 'One version of one package.',
  id: { resolve: (segment) => segment.id },
  loadOne: (id, context) => context.services.segments.get(id),
  fields: (t) => ({
    name: t.string({ resolve: (s) => s.record.name }),
    version: t.string({ resolve: (s) => s.record.version }),
    format: t.field({ type: SegmentFormatEnum, resolve: (s) => s.record.format }),
    target: t.field({ type: SdpTargetEnum, resolve: (s) => s.record.target }),
    fileName: t.string({ resolve: (s) => s.record.fileName }),
    size: t.field({ type: SafeIntScalar, description: 'Bytes.', resolve: (s) => s.record.size }),
    sha256: t.string({ description: 'SHA-256 of the file, lowercase hex.', resolve: (s) => s.record.sha256 }),
    description: t.string({ nullable: true, resolve: (s) => s.record.description }),
    metadata: t.field({
      type: JSONObjectScalar,
      description: 'The manifest fields other than name, version and description.',
      resolve: (s) => s.record.metadata,
    }),
    isLocal: t.boolean({
      description: 'Uploaded to seghub (true) or found on SDP by the remote sync (false).',
      resolve: (s) => s.record.isLocal,
    }),
    createdAt: t.field({ type: DateTimeScalar, resolve: (s) => s.record.createdAt }),
    sync: t.field({ type: SegmentSyncRef, resolve: (s) => s.record.sync }),
    remoteExtra: t.field({ type: RemoteExtraRef, nullable: true, resolve: (s) => s.record.remoteExtra }),
    deleteStatus: t.field({ type: DeleteStatusEnum, resolve: (s) => s.record.deleteStatus }),
    deleteError: t.string({ nullable: true, resolve: (s) => s.record.deleteError }),
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
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { services }) => {
      const segmentId = segmentIdOf(String(id));
      return segmentId === undefined ? null : services.segments.get(segmentId);
    },
  }),
  segmentExists: t.boolean({
    description: 'Whether this name and version is already in seghub (check before uploading).',
    authScopes: { viewer: true },
    args: { name: t.arg.string({ required: true }), version: t.arg.string({ required: true }) },
    resolve: (_root, { name, version }, { services }) => services.segments.exists(name, version),
  }),
  segmentVersions: t.field({
    type: [SegmentRef],
    description: 'Every version of the named segment, newest first. Unknown id: SEGMENT_NOT_FOUND.',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => catalogReader(context).versions(requireSegmentId(String(id))),
  }),
}));

const UploadSegmentSuccess = builder.objectRef<{ segment: StoredSegment }>('UploadSegmentSuccess').implement({
  fields: (t) => ({ segment: t.field({ type: SegmentRef, resolve: (r) => r.segment }) }),
});

const RetrySegmentSyncSuccess = builder
  .objectRef<{ segment: StoredSegment }>('RetrySegmentSyncSuccess')
  .implement({ fields: (t) => ({ segment: t.field({ type: SegmentRef, resolve: (r) => r.segment }) }) });

builder.mutationFields((t) => ({
  uploadSegment: t.field({
    type: UploadSegmentSuccess,
    description:
      'Streams a .zip or .mpk segment archive into storage and records it (sync status PENDING). ' +
      'A GraphQL multipart request with exactly one file.',
    authScopes: { operator: true },
    args: { file: t.arg({ type: UploadScalar, required: true }) },
    errors: {
      types: [
        UnsupportedFormatError,
        FileTooLargeError,
        InvalidSegmentFileError,
        SegmentAlreadyExistsError,
        InvalidInputError,
      ],
      directResult: true,
      union: { name: 'UploadSegmentResult' },
    },
    resolve: async (_root, { file }, { services, request }) => {
      const upload = await file;
      const segment = await services.segments.upload(
        { fileName: upload.filename, open: () => upload.createReadStream() },
        request?.signal,
      );
      return { segment };
    },
  }),
  retrySegmentSync: t.field({
    type: RetrySegmentSyncSuccess,
    description: 'Starts syncing to SDP over after FAILED, with a fresh budget of attempts.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true }) },
    errors: {
      types: [SegmentNotFoundError, SegmentDeletingError],
      directResult: true,
      union: { name: 'RetrySegmentSyncResult' },
    },
    resolve: async (_root, { id }, { services }) => ({
      segment: await services.segments.retrySync(requireSegmentId(String(id))),
    }),
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
    args: { id: t.arg.id() },
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
