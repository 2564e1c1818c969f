import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  type DomainError,
  ERROR_CODES,
  type ErrorCode,
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
  StorageFullError,
  UnsupportedFormatError,
} from '../model/errors.js';
import type { SyncStatus } from '../records/segment-schema.js';
import { builder } from './builder.js';
import { describedValues } from './enum-values.js';
import { SafeIntScalar } from './scalars.js';
import { UnknownSeatIdsError } from './seat.js';
import { SyncStatusEnum } from './segment.js';

/** Partial, not a full record: a code added elsewhere fails the schema description test, not the build. */
const ERROR_CODE_DESCRIPTIONS: Partial<Record<ErrorCode, string>> = {
  SEGMENT_NOT_FOUND: 'No segment has this id.',
  SEGMENT_ALREADY_EXISTS:
    'A segment of this name and version is already in seghub (versions compare numerically: 1.0 is 1.0.0).',
  SEGMENT_INSTALLED: 'The segment is installed on seats, or an install of it is running.',
  SEGMENT_DELETING: 'The segment is being deleted.',
  SEGMENT_NOT_SYNCED: 'The segment is not on its SDP target yet.',
  INSTALL_IN_PROGRESS: 'An install of another version of the name has not ended.',
  SEAT_NOT_FOUND: 'Ids that name no seat.',
  SEAT_IN_USE: 'The seat has segments installed or is named by a running install.',
  INVALID_SEGMENT_FILE: 'The archive is not a valid segment (see `reason`).',
  UNSUPPORTED_FORMAT: 'The file name ends in neither .zip nor .mpk.',
  FILE_TOO_LARGE: 'The file exceeds MAX_UPLOAD_BYTES.',
  INVALID_INPUT: 'An argument is malformed (see `field`).',
  REMOTE_SYNC_TIMEOUT: 'The leading controller did not report within the wait; the request stays queued.',
  INVALID_LABEL: 'A label breaks the label rules.',
  INVALID_SELECTOR: 'A label selector does not parse.',
  GROUP_NOT_FOUND: 'No seat group has this name.',
  GROUP_IN_USE: 'Something still depends on the seat group.',
  GROUP_FROZEN: 'A seat group is frozen: nothing new starts on its seats until the freeze ends.',
  ROLLOUT_IN_PROGRESS: 'A rollout of the segment name (any version) has not ended: one change per name.',
  ROLLOUT_NOT_FOUND: 'No rollout has this id.',
  APPROVAL_NOT_ALLOWED: 'Approvals come from another principal than the rollout creator.',
  ROLLOUT_SUPERSEDED: 'A newer rollout of the same name and group exists; roll that one back.',
  ROLLOUT_STATE_CONFLICT: "The rollout's state does not allow the action.",
  NO_MATCHING_SEATS: 'The group or selector matches no seat.',
  SEGMENT_IN_USE: 'The version is a desired version or what a rollout would return seats to.',
  SEGMENT_NOT_RELEASED: 'Seats of a protected group would get a segment that is not RELEASED.',
  STORAGE_FULL: 'The storage volume has no room for the file.',
  TOO_MANY_SEAT_GROUPS: 'A new seat group would pass MAX_SEAT_GROUPS.',
  CHECKSUM_MISMATCH: "An upload session's bytes do not hash to the SHA-256 it declared.",
  UPLOAD_SESSION_NOT_FOUND: 'No open upload session has this id (completed, expired or never created).',
  TOO_MANY_UPLOAD_SESSIONS:
    'The caller holds MAX_UPLOAD_SESSIONS_PER_PRINCIPAL open upload sessions already.',
  SEGMENT_NOT_TESTED: 'Releasing needs a TESTED segment (the promotion gate, or markSegmentTested).',
  SEGMENT_DEPRECATED: 'The segment is DEPRECATED: no new install, rollout or release.',
  SIGNATURE_REQUIRED: 'The segment has fewer valid signatures by distinct keys than SIGNATURES_REQUIRED.',
  INVALID_SIGNATURE: "The signature does not verify over the segment's statement with the key.",
  INVALID_KEY: 'Not an Ed25519, ECDSA P-256 or RSA (at least 3072 bits) public key in PEM.',
  KEY_NOT_FOUND: 'No signing key has this id.',
  KEY_REVOKED: 'The signing key was revoked.',
  KEY_EXPIRED: "The signing key's notAfter has passed.",
  FILE_TAMPERED: "The stored file no longer hashes to the segment's SHA-256; the segment is blocked.",
  TOO_MANY_SIGNING_KEYS: 'A new signing key would pass MAX_SIGNING_KEYS.',
  TOO_MANY_SIGNATURES: 'A new signature would pass MAX_SIGNATURES_PER_SEGMENT.',
};

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'What went wrong, for programs: stable across releases, unlike `message`.',
  values: Object.fromEntries(
    ERROR_CODES.map((code) => [code, { value: code, description: ERROR_CODE_DESCRIPTIONS[code] }]),
  ) as Record<ErrorCode, { value: ErrorCode; description?: string }>,
});

/** Every error member of a mutation result union implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description:
    "An expected refusal, returned as a member of a mutation's result union; nothing was changed " +
    'unless the type says otherwise. Select `__typename`, `code` and `message`.',
  fields: (t) => ({
    code: t.field({
      type: ErrorCodeEnum,
      description: 'What went wrong, for programs.',
      resolve: (error) => error.code,
    }),
    message: t.exposeString('message', { description: 'What went wrong, for people (wording may change).' }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is malformed; nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The argument that was refused.' }),
  }),
});
builder.objectType(SegmentNotFoundError, {
  name: 'SegmentNotFoundError',
  description: 'No segment has the id given (deleted, or never existed).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentNotFoundError,
  fields: () => ({}),
});
builder.objectType(SegmentAlreadyExistsError, {
  name: 'SegmentAlreadyExistsError',
  description: 'A segment of this name and version is already in seghub; the upload was discarded.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentAlreadyExistsError,
  fields: (t) => ({
    name: t.exposeString('segmentName', { description: "The name from the archive's segment.json." }),
    version: t.exposeString('segmentVersion', {
      description: "The version from the archive's segment.json.",
    }),
  }),
});
builder.objectType(SegmentDeletingError, {
  name: 'SegmentDeletingError',
  description: 'The segment is being deleted (deleteStatus PROCESSING); nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentDeletingError,
  fields: () => ({}),
});
builder.objectType(UnsupportedFormatError, {
  name: 'UnsupportedFormatError',
  description: 'The file name ends in neither .zip nor .mpk; nothing was stored.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnsupportedFormatError,
  fields: (t) => ({ fileName: t.exposeString('fileName', { description: 'The file name as sent.' }) }),
});
builder.objectType(StorageFullError, {
  name: 'StorageFullError',
  description: 'The server ran out of disk space while storing the file; nothing was stored. Retry later.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof StorageFullError,
  fields: () => ({}),
});
builder.objectType(FileTooLargeError, {
  name: 'FileTooLargeError',
  description: 'The file is larger than this seghub accepts (MAX_UPLOAD_BYTES); nothing was stored.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof FileTooLargeError,
  fields: (t) => ({
    maxBytes: t.field({
      type: SafeIntScalar,
      description: 'The limit, in bytes.',
      resolve: (e) => e.maxBytes,
    }),
  }),
});

const InvalidSegmentFileReasonEnum = builder.enumType('InvalidSegmentFileReason', {
  description: 'What is wrong with an uploaded archive.',
  values: describedValues(INVALID_SEGMENT_FILE_REASONS, {
    EMPTY: 'The file has no bytes.',
    NOT_A_ZIP: 'It is not a zip archive (an .mpk is one too, behind its header).',
    TRUNCATED: 'The archive ends early or its directory is damaged.',
    UNSAFE_ENTRY_PATH: 'An entry path is absolute or climbs out of the archive (`..`).',
    UNSAFE_ENTRY_TYPE: 'An entry is a symbolic link or another special file.',
    HEADER_MISMATCH:
      "An entry's local header disagrees with the central directory (name, compression, sizes or CRC-32).",
    NO_MANIFEST: 'The archive has no segment.json at its root.',
    MANIFEST_TOO_LARGE: 'segment.json is larger than seghub reads.',
    MANIFEST_NOT_JSON: 'segment.json is not valid JSON.',
    INVALID_NAME: 'The manifest name breaks the naming rules.',
    INVALID_VERSION: 'The manifest version breaks the version rules.',
    INVALID_MANIFEST:
      'segment.json lacks a required field or has one of the wrong type, nests deeper or holds more keys ' +
      'than the limits, or the archive holds it twice or under another spelling (SEGMENT.JSON, ./segment.json).',
  }),
});

builder.objectType(InvalidSegmentFileError, {
  name: 'InvalidSegmentFileError',
  description: 'The archive is not a valid segment; nothing was stored.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidSegmentFileError,
  fields: (t) => ({
    reason: t.field({
      type: InvalidSegmentFileReasonEnum,
      description: 'What is wrong with it.',
      resolve: (e) => e.reason,
    }),
  }),
});
builder.objectType(SegmentNotSyncedError, {
  name: 'SegmentNotSyncedError',
  interfaces: [ErrorInterface],
  description: 'The segment is not on its SDP target yet, so it cannot be installed; nothing was changed.',
  isTypeOf: (value) => value instanceof SegmentNotSyncedError,
  fields: (t) => ({
    status: t.field({
      type: SyncStatusEnum,
      description: 'Where the sync stands: PENDING (wait for SYNCED) or FAILED (retrySegmentSync).',
      // The model keeps the status as a plain string; it only ever holds a SyncStatus.
      resolve: (e) => e.syncStatus as SyncStatus,
    }),
    syncStatus: t.exposeString('syncStatus', {
      description: 'The same as `status`, as a string.',
      deprecationReason: 'Use `status`, typed as the SyncStatus enum.',
    }),
  }),
});
builder.objectType(InstallInProgressError, {
  name: 'InstallInProgressError',
  description: 'An install of this name (any version) has not ended; nothing was started.',
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
  description: 'Some ids name no seat; nothing was changed.',
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
  description: 'A seat still has segments or a running install; no seat was deleted.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SeatInUseError,
  fields: (t) => ({
    seatName: t.exposeString('seatName', { description: 'The seat that is in use.' }),
    segmentIds: t.idList({
      description: 'Segments installed on the seat, or with an install naming it that has not ended.',
      resolve: (e) => e.segmentIds.map((id) => encodeGlobalID('Segment', id)),
    }),
  }),
});
builder.objectType(SegmentInstalledError, {
  name: 'SegmentInstalledError',
  description: 'The segment is installed on seats or an install of it is running; it was not deleted.',
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
  description: 'The leading controller did not report in time; the sync will still run.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RemoteSyncTimeoutError,
  fields: (t) => ({
    requestId: t.exposeString('requestId', {
      description: 'The request stays queued; the report that serves it names it in requestIds.',
    }),
  }),
});

// ---- seat labels and groups (SPEC-FLEET section 1) ----
