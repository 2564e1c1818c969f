import {
  FileTooLargeError,
  InvalidInputError,
  InvalidSegmentFileError,
  SegmentAlreadyExistsError,
  SegmentDeletingError,
  SegmentNotFoundError,
  StorageFullError,
  UnsupportedFormatError,
} from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { UploadScalar } from './scalars.js';
import { requireSegmentId, SegmentRef } from './segment.js';

/** `uploadSegment` and `retrySegmentSync`: the mutations that make and re-sync a segment. */

export const UploadSegmentSuccess = builder
  .objectRef<{ segment: StoredSegment }>('UploadSegmentSuccess')
  .implement({
    description: 'The archive is stored and recorded.',
    fields: (t) => ({
      segment: t.field({
        type: SegmentRef,
        description: 'The new segment, sync status PENDING; segmentUpdated follows its sync.',
        resolve: (r) => r.segment,
      }),
    }),
  });

const RetrySegmentSyncSuccess = builder
  .objectRef<{ segment: StoredSegment }>('RetrySegmentSyncSuccess')
  .implement({
    description: 'Syncing starts over.',
    fields: (t) => ({
      segment: t.field({
        type: SegmentRef,
        description: 'The segment, sync status PENDING with its attempts reset.',
        resolve: (r) => r.segment,
      }),
    }),
  });

builder.mutationFields((t) => ({
  uploadSegment: t.field({
    type: UploadSegmentSuccess,
    description:
      'Streams a .zip or .mpk segment archive into storage and records it (sync status PENDING). ' +
      'A GraphQL multipart request with exactly one file; send the header `x-graphql-yoga-csrf: 1` ' +
      '(or `apollo-require-preflight`): without one, CSRF prevention refuses a multipart request, ' +
      'since a page of another site could make a browser send it. Client set-ups: docs/clients.md. ' +
      'Operators and admins.',
    authScopes: { operator: true },
    args: {
      file: t.arg({
        type: UploadScalar,
        required: true,
        description: 'The archive: a file part of the multipart request, named .zip or .mpk.',
      }),
    },
    errors: {
      types: [
        UnsupportedFormatError,
        FileTooLargeError,
        InvalidSegmentFileError,
        SegmentAlreadyExistsError,
        InvalidInputError,
        StorageFullError,
      ],
      directResult: true,
      union: { name: 'UploadSegmentResult', description: 'The new segment, or why the upload was refused.' },
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
    description:
      'Starts syncing to SDP over after FAILED, with a fresh budget of attempts. Operators and admins.',
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true, description: 'The Segment id.' }) },
    errors: {
      types: [SegmentNotFoundError, SegmentDeletingError],
      directResult: true,
      union: { name: 'RetrySegmentSyncResult', description: 'The segment syncing again, or why not.' },
    },
    resolve: async (_root, { id }, { services }) => ({
      segment: await services.segments.retrySync(requireSegmentId(String(id))),
    }),
  }),
}));
