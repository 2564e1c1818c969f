import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  type DomainError,
  ERROR_CODES,
  FileTooLargeError,
  INVALID_SEGMENT_FILE_REASONS,
  InstallInProgressError,
  InvalidInputError,
  InvalidSegmentFileError,
  RemoteSyncTimeoutError,
  SeatInUseError,
  SeatNotFoundError,
  SegmentAlreadyExistsError,
  SegmentDeletingError,
  SegmentInstalledError,
  SegmentNotFoundError,
  SegmentNotSyncedError,
  UnsupportedFormatError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { SafeIntScalar } from './scalars.js';
import { UnknownSeatIdsError } from './seat.js';

const ErrorCodeEnum = builder.enumType('ErrorCode', { values: ERROR_CODES });

/** Every error member of a mutation result union implements this. */
const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The argument that was refused.' }),
  }),
});
builder.objectType(SegmentNotFoundError, {
  name: 'SegmentNotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentNotFoundError,
  fields: () => ({}),
});
builder.objectType(SegmentAlreadyExistsError, {
  name: 'SegmentAlreadyExistsError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentAlreadyExistsError,
  fields: (t) => ({
    name: t.exposeString('segmentName'),
    version: t.exposeString('segmentVersion'),
  }),
});
builder.objectType(SegmentDeletingError, {
  name: 'SegmentDeletingError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentDeletingError,
  fields: () => ({}),
});
builder.objectType(UnsupportedFormatError, {
  name: 'UnsupportedFormatError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnsupportedFormatError,
  fields: (t) => ({ fileName: t.exposeString('fileName') }),
});
builder.objectType(FileTooLargeError, {
  name: 'FileTooLargeError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof FileTooLargeError,
  fields: (t) => ({
    maxBytes: t.field({ type: SafeIntScalar, resolve: (e) => e.maxBytes }),
  }),
});

const InvalidSegmentFileReasonEnum = builder.enumType('InvalidSegmentFileReason', {
  values: INVALID_SEGMENT_FILE_REASONS,
});

builder.objectType(InvalidSegmentFileError, {
  name: 'InvalidSegmentFileError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidSegmentFileError,
  fields: (t) => ({
    reason: t.field({ type: InvalidSegmentFileReasonEnum, resolve: (e) => e.reason }),
  }),
});
builder.objectType(SegmentNotSyncedError, {
  name: 'SegmentNotSyncedError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentNotSyncedError,
  fields: (t) => ({ syncStatus: t.exposeString('syncStatus') }),
});
builder.objectType(InstallInProgressError, {
  name: 'InstallInProgressError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InstallInProgressError,
  fields: (t) => ({
    recordId: t.id({
      description: 'The install record that is running.',
      resolve: (e) => encodeGlobalID('InstallRecord', e.recordId),
    }),
  }),
});
builder.objectType(SeatNotFoundError, {
  name: 'SeatNotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SeatNotFoundError,
  fields: (t) => ({
    seatIds: t.idList({
      description: 'The ids that name no seat.',
      resolve: (e) =>
        e instanceof UnknownSeatIdsError
          ? [...e.seatIds]
          : e.seatIds.map((name) => encodeGlobalID('Seat', name)),
    }),
  }),
});
builder.objectType(SeatInUseError, {
  name: 'SeatInUseError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SeatInUseError,
  fields: (t) => ({
    seatName: t.exposeString('seatName'),
    segmentIds: t.idList({
      description: 'Segments installed on the seat, or with an install naming it that has not ended.',
      resolve: (e) => e.segmentIds.map((id) => encodeGlobalID('Segment', id)),
    }),
  }),
});
builder.objectType(SegmentInstalledError, {
  name: 'SegmentInstalledError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentInstalledError,
  fields: (t) => ({
    seatCount: t.exposeInt('seatCount', { description: 'Seats the segment is installed on.' }),
    installRunning: t.exposeBoolean('installRunning', {
      description: 'An install or uninstall of the segment is running.',
    }),
  }),
});
builder.objectType(RemoteSyncTimeoutError, {
  name: 'RemoteSyncTimeoutError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RemoteSyncTimeoutError,
  fields: (t) => ({
    requestId: t.exposeString('requestId', {
      description: 'The request stays queued; the report that serves it names it in requestIds.',
    }),
  }),
});
