import type { OpenSession } from '../domain/transfers/upload-sessions.js';
import {
  ChecksumMismatchError,
  FileTooLargeError,
  InvalidInputError,
  InvalidSegmentFileError,
  SegmentAlreadyExistsError,
  StorageFullError,
  TooManyUploadSessionsError,
  UnsupportedFormatError,
  UploadSessionNotFoundError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { ErrorInterface } from './error-types.js';
import { DateTimeScalar, SafeIntScalar } from './scalars.js';
import { UploadSegmentSuccess } from './segment-mutations.js';

/**
 * Resumable uploads (SPEC-FLEET section 4): open a session, send the bytes to its `uploadUrl` with
 * any tus 1.0.0 client and the session's token, then complete it. docs/transfers.md.
 */

const UploadSessionRef = builder.objectRef<OpenSession>('UploadSession').implement({
  description:
    'An open resumable upload. Send the bytes to `uploadUrl` with the tus 1.0.0 protocol (HEAD for ' +
    'the offset, PATCH with `Upload-Offset`), `Authorization: Bearer <token>` on every request; then ' +
    'call `completeUploadSession`. Idle for UPLOAD_SESSION_TTL_H, it is removed with its bytes.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'The session, for `renewUploadSession` and `completeUploadSession`.',
    }),
    uploadUrl: t.exposeString('uploadUrl', {
      description: 'Where the bytes go (tus): `/uploads/<id>`, relative to seghub unless PUBLIC_URL is set.',
    }),
    token: t.exposeString('token', {
      description:
        'The upload token, sent as `Authorization: Bearer <token>` to `uploadUrl` only. It must first be ' +
        'used within TRANSFER_TOKEN_TTL_S, and each use extends it by TRANSFER_TOKEN_EXTEND_S; ' +
        '`renewUploadSession` gives a fresh one.',
    }),
    expiresAt: t.field({
      type: DateTimeScalar,
      description: 'When the token expires unless used before.',
      resolve: (s) => s.expiresAt,
    }),
    offset: t.field({
      type: SafeIntScalar,
      description: 'Bytes received so far (what a tus HEAD answers); send from here.',
      resolve: (s) => s.offset,
    }),
  }),
});

const UploadSessionInputRef = builder.inputType('UploadSessionInput', {
  description: 'The file an upload session will receive.',
  fields: (t) => ({
    fileName: t.string({ required: true, description: 'The archive name, ending in .zip or .mpk.' }),
    size: t.field({
      type: SafeIntScalar,
      required: true,
      description: 'Its size in bytes: at least 1, at most MAX_UPLOAD_BYTES.',
    }),
    sha256: t.string({
      description:
        'Its SHA-256 in hex, when known: a file seghub already holds for a segment is refused at once ' +
        '(SEGMENT_ALREADY_EXISTS, nothing to send), and bytes that hash otherwise are CHECKSUM_MISMATCH.',
    }),
  }),
});

builder.objectType(ChecksumMismatchError, {
  name: 'ChecksumMismatchError',
  description:
    "The bytes received do not hash to the session's declared SHA-256; session and bytes are removed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ChecksumMismatchError,
  fields: (t) => ({
    declared: t.exposeString('declared', { description: 'The SHA-256 the session declared.' }),
    actual: t.exposeString('actual', { description: 'The SHA-256 of the bytes received.' }),
  }),
});
builder.objectType(UploadSessionNotFoundError, {
  name: 'UploadSessionNotFoundError',
  description:
    'No open upload session has this id: completed, removed after UPLOAD_SESSION_TTL_H idle, or never made.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UploadSessionNotFoundError,
  fields: () => ({}),
});
builder.objectType(TooManyUploadSessionsError, {
  name: 'TooManyUploadSessionsError',
  description:
    'The caller already holds MAX_UPLOAD_SESSIONS_PER_PRINCIPAL open sessions; nothing was opened.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TooManyUploadSessionsError,
  fields: (t) => ({
    limit: t.int({ description: 'The limit.', resolve: (e) => e.limit }),
  }),
});

const CreateUploadSessionSuccess = builder
  .objectRef<{ session: OpenSession }>('CreateUploadSessionSuccess')
  .implement({
    description: 'The session is open; send the bytes to its uploadUrl.',
    fields: (t) => ({
      session: t.field({
        type: UploadSessionRef,
        description: 'The new session.',
        resolve: (r) => r.session,
      }),
    }),
  });

const RenewUploadSessionSuccess = builder
  .objectRef<{ session: OpenSession }>('RenewUploadSessionSuccess')
  .implement({
    description: 'The session has a fresh token; earlier tokens no longer work.',
    fields: (t) => ({
      session: t.field({
        type: UploadSessionRef,
        description: 'The session with its new token and current offset.',
        resolve: (r) => r.session,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createUploadSession: t.field({
    type: CreateUploadSessionSuccess,
    description:
      'Opens a resumable upload. The file name, size (MAX_UPLOAD_BYTES) and, when given, SHA-256 are ' +
      'checked at once, as `uploadSegment` checks them; a caller holds at most ' +
      'MAX_UPLOAD_SESSIONS_PER_PRINCIPAL open sessions. Operators and admins.',
    authScopes: { operator: true },
    args: { input: t.arg({ type: UploadSessionInputRef, required: true, description: 'The file to send.' }) },
    errors: {
      types: [
        UnsupportedFormatError,
        FileTooLargeError,
        SegmentAlreadyExistsError,
        TooManyUploadSessionsError,
        InvalidInputError,
        StorageFullError,
      ],
      directResult: true,
      union: {
        name: 'CreateUploadSessionResult',
        description: 'The open session, or why none was opened.',
      },
    },
    resolve: async (_root, { input }, { services, principal }) => ({
      session: await services.uploadSessions.create(input, principal.id),
    }),
  }),
  renewUploadSession: t.field({
    type: RenewUploadSessionSuccess,
    description:
      'Issues a fresh token for an open session (the old ones stop working). Its owner, or an admin; ' +
      "another caller's session is UPLOAD_SESSION_NOT_FOUND. Operators and admins.",
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true, description: 'The UploadSession id.' }) },
    errors: {
      types: [UploadSessionNotFoundError],
      directResult: true,
      union: { name: 'RenewUploadSessionResult', description: 'The session with a fresh token, or why not.' },
    },
    resolve: async (_root, { id }, { services, principal }) => ({
      session: await services.uploadSessions.renew(String(id), principal),
    }),
  }),
  completeUploadSession: t.field({
    type: UploadSegmentSuccess,
    description:
      'Turns the bytes of a session into a segment, exactly as `uploadSegment` does (manifest, record, ' +
      'the same refusals), and ends the session. CHECKSUM_MISMATCH when a declared SHA-256 differs; ' +
      'INVALID_INPUT while bytes are missing (the session stays open). Its owner, or an admin; another ' +
      "caller's session is UPLOAD_SESSION_NOT_FOUND. Operators and admins.",
    authScopes: { operator: true },
    args: { id: t.arg.id({ required: true, description: 'The UploadSession id.' }) },
    errors: {
      types: [
        UnsupportedFormatError,
        FileTooLargeError,
        InvalidSegmentFileError,
        SegmentAlreadyExistsError,
        InvalidInputError,
        StorageFullError,
        ChecksumMismatchError,
        UploadSessionNotFoundError,
      ],
      directResult: true,
      union: {
        name: 'CompleteUploadSessionResult',
        description: 'The new segment, or why the session was not turned into one.',
      },
    },
    resolve: async (_root, { id }, { services, principal }) => ({
      segment: await services.uploadSessions.complete(String(id), principal),
    }),
  }),
}));
