import {
  type DomainError,
  ERROR_CODES,
  FileTooLargeError,
  INVALID_SEGMENT_FILE_REASONS,
  InvalidInputError,
  InvalidSegmentFileError,
  SegmentAlreadyExistsError,
  SegmentDeletingError,
  SegmentNotFoundError,
  UnsupportedFormatError,
} from '../domain/errors.js';
import { builder } from './builder.js';
import { SafeIntScalar } from './scalars.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', { values: ERROR_CODES });

/** Every error member of a mutation result union implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
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
