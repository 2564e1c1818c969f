/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a requested deletion of the segment stands. */
export type DeleteStatus =
  /** SDP refused the deletion for good (`deleteError`); deleteSegment tries again. */
  | 'FAILED'
  /** No deletion requested. */
  | 'NONE'
  /** deleteSegment was called: removing it from SDP, then from seghub; segmentUpdated sends the tombstone. */
  | 'PROCESSING';

/** What went wrong, for programs: stable across releases, unlike `message`. */
export type ErrorCode =
  /** Approvals come from another principal than the rollout creator. */
  | 'APPROVAL_NOT_ALLOWED'
  /** An upload session's bytes do not hash to the SHA-256 it declared. */
  | 'CHECKSUM_MISMATCH'
  /** The stored file no longer hashes to the segment's SHA-256; the segment is blocked. */
  | 'FILE_TAMPERED'
  /** The file exceeds MAX_UPLOAD_BYTES. */
  | 'FILE_TOO_LARGE'
  /** A seat group is frozen: nothing new starts on its seats until the freeze ends. */
  | 'GROUP_FROZEN'
  /** Something still depends on the seat group. */
  | 'GROUP_IN_USE'
  /** No seat group has this name. */
  | 'GROUP_NOT_FOUND'
  /** An install of another version of the name has not ended. */
  | 'INSTALL_IN_PROGRESS'
  /** An argument is malformed (see `field`). */
  | 'INVALID_INPUT'
  /** Not an Ed25519, ECDSA P-256 or RSA (at least 3072 bits) public key in PEM. */
  | 'INVALID_KEY'
  /** A label breaks the label rules. */
  | 'INVALID_LABEL'
  /** The archive is not a valid segment (see `reason`). */
  | 'INVALID_SEGMENT_FILE'
  /** A label selector does not parse. */
  | 'INVALID_SELECTOR'
  /** The signature does not verify over the segment's statement with the key. */
  | 'INVALID_SIGNATURE'
  /** The signing key's notAfter has passed. */
  | 'KEY_EXPIRED'
  /** No signing key has this id. */
  | 'KEY_NOT_FOUND'
  /** The signing key was revoked. */
  | 'KEY_REVOKED'
  /** The group or selector matches no seat. */
  | 'NO_MATCHING_SEATS'
  /** The leading controller did not report within the wait; the request stays queued. */
  | 'REMOTE_SYNC_TIMEOUT'
  /** A rollout of the segment name (any version) has not ended: one change per name. */
  | 'ROLLOUT_IN_PROGRESS'
  /** No rollout has this id. */
  | 'ROLLOUT_NOT_FOUND'
  /** The rollout's state does not allow the action. */
  | 'ROLLOUT_STATE_CONFLICT'
  /** A newer rollout of the same name and group exists; roll that one back. */
  | 'ROLLOUT_SUPERSEDED'
  /** The seat has segments installed or is named by a running install. */
  | 'SEAT_IN_USE'
  /** Ids that name no seat. */
  | 'SEAT_NOT_FOUND'
  /** A segment of this name and version is already in seghub (versions compare numerically: 1.0 is 1.0.0). */
  | 'SEGMENT_ALREADY_EXISTS'
  /** The segment is being deleted. */
  | 'SEGMENT_DELETING'
  /** The segment is DEPRECATED: no new install, rollout or release. */
  | 'SEGMENT_DEPRECATED'
  /** The segment is installed on seats, or an install of it is running. */
  | 'SEGMENT_INSTALLED'
  /** The version is a desired version or what a rollout would return seats to. */
  | 'SEGMENT_IN_USE'
  /** No segment has this id. */
  | 'SEGMENT_NOT_FOUND'
  /** Seats of a protected group would get a segment that is not RELEASED. */
  | 'SEGMENT_NOT_RELEASED'
  /** The segment is not on its SDP target yet. */
  | 'SEGMENT_NOT_SYNCED'
  /** Releasing needs a TESTED segment (the promotion gate, or markSegmentTested). */
  | 'SEGMENT_NOT_TESTED'
  /** The segment has fewer valid signatures by distinct keys than SIGNATURES_REQUIRED. */
  | 'SIGNATURE_REQUIRED'
  /** The storage volume has no room for the file. */
  | 'STORAGE_FULL'
  /** A new seat group would pass MAX_SEAT_GROUPS. */
  | 'TOO_MANY_SEAT_GROUPS'
  /** A new signature would pass MAX_SIGNATURES_PER_SEGMENT. */
  | 'TOO_MANY_SIGNATURES'
  /** A new signing key would pass MAX_SIGNING_KEYS. */
  | 'TOO_MANY_SIGNING_KEYS'
  /** The caller holds MAX_UPLOAD_SESSIONS_PER_PRINCIPAL open upload sessions already. */
  | 'TOO_MANY_UPLOAD_SESSIONS'
  /** The file name ends in neither .zip nor .mpk. */
  | 'UNSUPPORTED_FORMAT'
  /** No open upload session has this id (completed, expired or never created). */
  | 'UPLOAD_SESSION_NOT_FOUND';

/** What an install record does to one seat. */
export type InstallAction =
  /** Puts the segment onto the seat. */
  | 'INSTALL'
  /** Removes the segment from the seat. */
  | 'UNINSTALL';

/** Where an install record stands as a whole. */
export type InstallStatus =
  /** Ended: every seat failed, or the record failed before reaching the seats (`error`). */
  | 'FAILED'
  /** Ended: some seats succeeded and some failed (see the log). */
  | 'PARTIALLY_SUCCEEDED'
  /** Accepted; the controller has not started it yet. */
  | 'PENDING'
  /** SDP tasks are running on its seats. */
  | 'RUNNING'
  /** Ended: every seat succeeded. */
  | 'SUCCEEDED';

/** Whether the stored file still hashes to the segment's SHA-256 (D11). */
export type IntegrityStatus =
  /** The last check found the bytes that were uploaded. */
  | 'OK'
  /** The last check found other bytes or no file: the segment is blocked everywhere until verifySegmentFile finds it right again. */
  | 'TAMPERED'
  /** Not checked yet (checks run at release, at rollout creation and periodically). */
  | 'UNCHECKED';

/** The signature algorithm a signing key verifies with (follows from the key). */
export type KeyAlgorithm =
  /** ECDSA on the P-256 curve with SHA-256; signatures DER-encoded. */
  | 'ECDSA_P256_SHA256'
  /** Ed25519 (pure, RFC 8032) over the statement bytes. */
  | 'ED25519'
  /** RSA-PSS with SHA-256 and MGF1-SHA256 (salt 32 when signing; any length verifies); ≥ 3072 bits. */
  | 'RSA_PSS_SHA256';

/** A seat label to set. */
export type LabelInput = {
  /** Lower case, `^[a-z0-9]([a-z0-9._/-]{0,62})$`. */
  key: string;
  /** `^[A-Za-z0-9._-]{0,63}$` (may be empty). */
  value: string;
};

/** Where a segment stands on its way to production: DRAFT → TESTED → RELEASED → DEPRECATED. */
export type Lifecycle =
  /** Withdrawn (deprecateSegment): no new install or rollout anywhere; seats that run it keep it. */
  | 'DEPRECATED'
  /** Uploaded (or stored before lifecycles existed and not installed anywhere); not yet tested. */
  | 'DRAFT'
  /** Released by an admin (releaseSegment): protected groups take it. */
  | 'RELEASED'
  /** Ran long enough on the test group with no failed install (the promotion gate), or an admin vouched for it (markSegmentTested). Can be released. */
  | 'TESTED';

/** Waves start only inside `[fire, fire + durationMinutes)` for a time the cron fires. A window only gates the start of a wave; a running wave finishes. No window in the next 366 days: INVALID_INPUT. */
export type MaintenanceWindowInput = {
  /** A 5-field cron expression, e.g. `0 2 * * 6`. */
  cron: string;
  /** How long each window stays open. */
  durationMinutes: number;
  /** The IANA time zone the cron is read in; default UTC. */
  timeZone?: string | null | undefined;
};

/** What a wave's breach of `maxFailurePercent` does. */
export type RolloutFailureAction =
  /** The rollout is PAUSED with the reason; `resumeRollout` accepts the failures so far. */
  | 'PAUSE'
  /** The rollout rolls back every seat it changed (ROLLING_BACK, then ROLLED_BACK). */
  | 'ROLLBACK';

/** Which rollouts to list; the given conditions all hold. */
export type RolloutFilter = {
  /** Only rollouts to this seat group (its history). */
  group?: string | null | undefined;
  /** Only rollouts of this segment name (any version). */
  segmentName?: string | null | undefined;
  /** Only rollouts in this state. */
  state?: RolloutState | null | undefined;
};

/** A staged rollout: which version, to which seats (a group or a selector), in which waves. */
export type RolloutInput = {
  /** A seat group; its desired version is set when the rollout succeeds. Exactly one of `group` and `selector`. */
  group?: string | null | undefined;
  /** Waves start only inside it; default: at any time. */
  maintenanceWindow?: MaintenanceWindowInput | null | undefined;
  /** Per wave: a failed share above this breaches; default 0 (any failed seat breaches). */
  maxFailurePercent?: number | null | undefined;
  /** A wave is judged once this many of its seats have ended; default 1. */
  minSeatsBeforeEvaluating?: number | null | undefined;
  /** What a breach does; default PAUSE. */
  onFailure?: RolloutFailureAction | null | undefined;
  /** Failed seats are retried this often, with growing intervals, first; default 0. */
  seatRetries?: number | null | undefined;
  /** A seat still running this long has TIMED_OUT (counts as failed); default INSTALL_TIMEOUT_MS. */
  seatTimeoutSeconds?: number | null | undefined;
  /** The Segment (version) to roll out. */
  segmentId: string | number;
  /** An ad-hoc label selector (no desired version is recorded for it). */
  selector?: string | null | undefined;
  /** On seats running another version of the name: default INSTALL_FIRST. */
  upgradeOrder?: UpgradeOrder | null | undefined;
  /** The waves in order; default: one wave with every seat. */
  waves?: Array<WaveInput> | null | undefined;
};

/** Why a rollout is PAUSED. */
export type RolloutPauseCause =
  /** A wave's failures passed `maxFailurePercent`; waits for `resumeRollout`. */
  | 'BREACH'
  /** Its group is frozen; it goes on by itself when the freeze ends. */
  | 'FREEZE'
  /** `pauseRollout`; waits for `resumeRollout`. */
  | 'MANUAL'
  /** The segment may no longer go to the next seats: DEPRECATED, or bound for a protected group while not RELEASED or with signatures below the policy (a key revoked). It goes on by itself once that is mended, or on `resumeRollout` (which pauses again while it is not). */
  | 'TRUST';

/** How far one seat of a rollout got. */
export type RolloutSeatState =
  /** Failed and its retries are spent (`error`); counts against its wave. */
  | 'FAILED'
  /** A rollback could not return it to its `fromVersions` (`error`). */
  | 'NOT_REVERTED'
  /** Not started yet (its wave has not come). */
  | 'PENDING'
  /** Returned to its `fromVersions` by a rollback. */
  | 'ROLLED_BACK'
  /** Being changed now (or waiting for a retry). */
  | 'RUNNING'
  /** Already ran the version when the rollout was created, or was gone by its wave. */
  | 'SKIPPED'
  /** Runs the rollout version. */
  | 'SUCCEEDED'
  /** Ran longer than `seatTimeoutSeconds`; counts as failed. */
  | 'TIMED_OUT';

/** Where a staged rollout stands. SUCCEEDED, ROLLED_BACK, CANCELLED and FAILED are final. */
export type RolloutState =
  /** Final: stopped by hand; nothing was reverted. */
  | 'CANCELLED'
  /** Final: a rollout-level fault (the segment is gone or tampered, see `error`). */
  | 'FAILED'
  /** Nothing new starts: a breach, a pause by hand, or a freeze of the group (`pausedReason`). */
  | 'PAUSED'
  /** Created; its first wave has not started yet. */
  | 'PENDING'
  /** Final: rolled back (seats that could not be reverted are NOT_REVERTED, with errors). */
  | 'ROLLED_BACK'
  /** The seats it changed are being returned to their `fromVersions`. */
  | 'ROLLING_BACK'
  /** A wave is changing its seats. */
  | 'RUNNING'
  /** A wave's seats are done; seghub watches them for `soakSeconds` before the next wave. */
  | 'SOAKING'
  /** Final: every wave succeeded; a group rollout has set the desired version. */
  | 'SUCCEEDED'
  /** The next wave needs an approval (`approveRollout`) by another principal. */
  | 'WAITING_APPROVAL'
  /** The next wave waits for the maintenance window to open (`nextWaveAt`). */
  | 'WAITING_WINDOW';

/** Where one wave of a rollout stands. */
export type RolloutWaveState =
  /** Stopped before the end: a breach, a cancel or a rollback. */
  | 'HALTED'
  /** Not started. */
  | 'PENDING'
  /** Its seats are being changed. */
  | 'RUNNING'
  /** Its seats are done; it is watched until `soakUntil`. */
  | 'SOAKING'
  /** Done and soaked without a breach. */
  | 'SUCCEEDED';

/** The remote platform a segment lives on: ZIP → DEPLOY_PLATFORM, MPK → STORE_15S. */
export type SdpTarget =
  /** The deployment platform: holds .zip segments and installs them onto seats. */
  | 'DEPLOY_PLATFORM'
  /** The STORE_15S platform: holds .mpk segments. */
  | 'STORE_15S';

/** A seat group to create or change (by name). */
export type SeatGroupInput = {
  /** At most 256 characters. Not given: empty for a new group, unchanged for an existing one. */
  description?: string | null | undefined;
  /** Upsert key; lower case, `^[a-z0-9][a-z0-9._-]{0,62}$`. */
  name: string;
  /** Not given: false for a new group, unchanged for an existing one. */
  protected?: boolean | null | undefined;
  /** A label selector, e.g. `site=north,role in (bridge,engine)`. */
  selector: string;
};

/** A seat to create, or to change (by name). */
export type SeatInput = {
  /** Free text for people, at most 256 characters. Not given: an existing seat keeps its own. */
  description?: string | null | undefined;
  /** IPv4 or IPv6 (no zone id). */
  ip: string;
  /** Given: replaces the seat's labels (at most 32). Not given: an existing seat keeps its labels. */
  labels?: Array<LabelInput> | null | undefined;
  /** Upsert key: an existing seat of this name is changed. */
  name: string;
};

/** How far one seat of an install record got. */
export type SeatInstallState =
  /** Failed on this seat (`error`), or it never answered within INSTALL_TIMEOUT_MS. */
  | 'FAILED'
  /** Not started on this seat yet. */
  | 'PENDING'
  /** SDP is working on this seat (`percent`). */
  | 'RUNNING'
  /** Done on this seat. */
  | 'SUCCEEDED';

/** Every field given must match; an absent field matches everything. */
export type SegmentFilter = {
  /** Only segments with this delete status. */
  deleteStatus?: DeleteStatus | null | undefined;
  /** Only this archive format. */
  format?: SegmentFormat | null | undefined;
  /** Installed on at least one seat (true) or on none (false). */
  installed?: boolean | null | undefined;
  /** Uploaded to seghub (true) or taken over from SDP (false). */
  isLocal?: boolean | null | undefined;
  /** A part of the name, any case. */
  nameContains?: string | null | undefined;
  /** Only segments with this sync status. */
  syncStatus?: SyncStatus | null | undefined;
  /** Only segments of this SDP target. */
  target?: SdpTarget | null | undefined;
};

/** The archive format, decided by the file suffix: .zip or .mpk. */
export type SegmentFormat =
  /** An .mpk archive (a zip with an MPK header); it goes to STORE_15S. */
  | 'MPK'
  /** A .zip archive; it goes to DEPLOY_PLATFORM. */
  | 'ZIP';

/** A segment's signatures judged now against the keyring and SIGNATURES_REQUIRED. */
export type SignatureStatus =
  /** Fewer valid signatures by distinct keys than SIGNATURES_REQUIRED (a key was revoked, or more are needed); releasing and protected groups refuse it. */
  | 'INSUFFICIENT'
  /** SIGNATURES_REQUIRED is 0, signatures exist, and none is valid any more (their keys revoked or gone from the keyring). */
  | 'INVALID'
  /** No signature at all. */
  | 'UNSIGNED'
  /** Valid signatures by enough distinct keys (at least SIGNATURES_REQUIRED, and at least one). */
  | 'VALID';

/** Whether the segment exists on its SDP target yet; only SYNCED segments can be installed. */
export type SyncStatus =
  /** Attempts ran out or SDP refused it for good (`sync.lastError`); retrySegmentSync starts over. */
  | 'FAILED'
  /** Not on SDP yet: the controller is creating it, or waits to try again (`sync.nextAttemptAt`). */
  | 'PENDING'
  /** On its SDP target; `remoteExtra.uid` names it there. */
  | 'SYNCED';

/** The order of the two steps when a seat moves from one version of a name to another. */
export type UpgradeOrder =
  /** Install the new version, then remove the old one (make-before-break). */
  | 'INSTALL_FIRST'
  /** Remove the old version first, for platforms that cannot hold both at once. */
  | 'UNINSTALL_FIRST';

/** The file an upload session will receive. */
export type UploadSessionInput = {
  /** The archive name, ending in .zip or .mpk. */
  fileName: string;
  /** Its SHA-256 in hex, when known: a file seghub already holds for a segment is refused at once (SEGMENT_ALREADY_EXISTS, nothing to send), and bytes that hash otherwise are CHECKSUM_MISMATCH. */
  sha256?: string | null | undefined;
  /** Its size in bytes: at least 1, at most MAX_UPLOAD_BYTES. */
  size: number;
};

/** One wave. Every wave but the last gives exactly one of `seats` or `percent`; the last gives neither and takes the rest. A wave that would be empty is INVALID_INPUT (with the computed sizes). */
export type WaveInput = {
  /** The share of the rollout seats the wave takes: ceil(percent × seats / 100). */
  percent?: number | null | undefined;
  /** The wave starts only after `approveRollout` by another principal than the creator (unless ROLLOUT_SELF_APPROVAL=true). Default false. */
  requireApproval?: boolean | null | undefined;
  /** How many seats the wave takes. */
  seats?: number | null | undefined;
  /** After its seats are done, the wave is watched this long (default 0): a seat that fails or loses the version meanwhile counts against it. */
  soakSeconds?: number | null | undefined;
};

export type SegmentRowFieldsFragment = { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } };

export type LogProgressFieldsFragment = { recordId: string, status: InstallStatus, percent: number, startedAt: string | null, finishedAt: string | null, timedOutAt: string | null, summary: { total: number, pending: number, running: number, succeeded: number, failed: number } };

export type InstallSeatFieldsFragment = { seatName: string, action: InstallAction, state: SeatInstallState, percent: number, error: string | null };

export type InstallRecordFieldsFragment = { id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> };

export type SegmentDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentDetailQuery = { segment: { description: string | null, sha256: string, id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, seats: Array<{ id: string, name: string }>, versions: Array<{ id: string, version: string, sync: { status: SyncStatus } }>, installRecords: Array<{ id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> }>, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } | null };

export type SegmentChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SegmentChangedSubscription = { segmentUpdated: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } };

export type CreateUploadSessionMutationVariables = Exact<{
  input: UploadSessionInput;
}>;


export type CreateUploadSessionMutation = { createUploadSession:
    | { __typename: 'CreateUploadSessionSuccess', session: { id: string, uploadUrl: string, token: string, offset: number } }
    | { __typename: 'FileTooLargeError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'SegmentAlreadyExistsError', code: ErrorCode, message: string }
    | { __typename: 'StorageFullError', code: ErrorCode, message: string }
    | { __typename: 'TooManyUploadSessionsError', code: ErrorCode, message: string }
    | { __typename: 'UnsupportedFormatError', code: ErrorCode, message: string }
   };

export type RenewUploadSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type RenewUploadSessionMutation = { renewUploadSession:
    | { __typename: 'RenewUploadSessionSuccess', session: { id: string, uploadUrl: string, token: string, offset: number } }
    | { __typename: 'UploadSessionNotFoundError', code: ErrorCode, message: string }
   };

export type CompleteUploadSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type CompleteUploadSessionMutation = { completeUploadSession:
    | { __typename: 'ChecksumMismatchError', code: ErrorCode, message: string }
    | { __typename: 'FileTooLargeError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidSegmentFileError', code: ErrorCode, message: string }
    | { __typename: 'SegmentAlreadyExistsError', code: ErrorCode, message: string }
    | { __typename: 'StorageFullError', code: ErrorCode, message: string }
    | { __typename: 'UnsupportedFormatError', code: ErrorCode, message: string }
    | { __typename: 'UploadSegmentSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'UploadSessionNotFoundError', code: ErrorCode, message: string }
   };

export type DeleteSegmentByIdMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteSegmentByIdMutation = { deleteSegment:
    | { __typename: 'DeleteSegmentSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'SegmentInUseError', code: ErrorCode, message: string }
    | { __typename: 'SegmentInstalledError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
   };

export type RetrySyncMutationVariables = Exact<{
  id: string | number;
}>;


export type RetrySyncMutation = { retrySegmentSync:
    | { __typename: 'RetrySegmentSyncSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
   };

export type SeatsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SeatsPageQuery = { seats: { totalCount: number, edges: Array<{ node: { id: string, name: string, ip: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AddSeatsMutationVariables = Exact<{
  seats: Array<SeatInput> | SeatInput;
}>;


export type AddSeatsMutation = { upsertSeats:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidLabelError', code: ErrorCode, message: string }
    | { __typename: 'UpsertSeatsSuccess', seats: Array<{ id: string, name: string, ip: string }> }
   };

export type StartInstallMutationVariables = Exact<{
  id: string | number;
  seatIds: Array<string | number> | string | number;
}>;


export type StartInstallMutation = { installSegment:
    | { __typename: 'FileTamperedError', code: ErrorCode, message: string }
    | { __typename: 'GroupFrozenError', code: ErrorCode, message: string }
    | { __typename: 'InstallInProgressError', code: ErrorCode, message: string, recordId: string }
    | { __typename: 'InstallSegmentSuccess', record: { id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> } | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'RolloutInProgressError', code: ErrorCode, message: string }
    | { __typename: 'SeatNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeprecatedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotReleasedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotSyncedError', code: ErrorCode, message: string }
    | { __typename: 'SignatureRequiredError', code: ErrorCode, message: string }
   };

export type InstallRecordLogQueryVariables = Exact<{
  id: string | number;
}>;


export type InstallRecordLogQuery = { installRecord: { id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string>, log: { recordId: string, status: InstallStatus, percent: number, startedAt: string | null, finishedAt: string | null, timedOutAt: string | null, seats: Array<{ seatName: string, action: InstallAction, state: SeatInstallState, percent: number, error: string | null }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number } } | null } | null };

export type InstallLogLiveSubscriptionVariables = Exact<{
  recordId: string | number;
}>;


export type InstallLogLiveSubscription = { installLogUpdated: { recordId: string, status: InstallStatus, percent: number, startedAt: string | null, finishedAt: string | null, timedOutAt: string | null, changedSeats: Array<{ seatName: string, action: InstallAction, state: SeatInstallState, percent: number, error: string | null }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number } } };

export type SegmentsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: SegmentFilter | null | undefined;
}>;


export type SegmentsPageQuery = { segments: { totalCount: number, edges: Array<{ node: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, lifecycle: Lifecycle, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SegmentDownloadLinkQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentDownloadLinkQuery = { segment: { id: string, downloadUrl: string } | null };

export type LabelledSeatsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  selector?: string | null | undefined;
}>;


export type LabelledSeatsPageQuery = { seats: { totalCount: number, edges: Array<{ node: { id: string, name: string, ip: string, createdAt: string, description: string | null, groups: Array<string>, labels: Array<{ key: string, value: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RelabelSeatsMutationVariables = Exact<{
  selector?: string | null | undefined;
  set?: Array<LabelInput> | LabelInput | null | undefined;
  remove?: Array<string> | string | null | undefined;
}>;


export type RelabelSeatsMutation = { setSeatLabels:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidLabelError', code: ErrorCode, message: string }
    | { __typename: 'InvalidSelectorError', code: ErrorCode, message: string }
    | { __typename: 'SeatNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SetSeatLabelsSuccess', matchedCount: number, changedCount: number }
   };

export type SeatGroupListQueryVariables = Exact<{ [key: string]: never; }>;


export type SeatGroupListQuery = { seatGroups: Array<{ name: string, selector: string, protected: boolean, description: string, seatCount: number, desiredVersions: Array<{ name: string, version: string, drift: number, convergeError: string | null }> }> };

export type SeatGroupMembersQueryVariables = Exact<{
  name: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SeatGroupMembersQuery = { seatGroup: { name: string, seats: { totalCount: number, edges: Array<{ node: { id: string, name: string, ip: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type SaveSeatGroupMutationVariables = Exact<{
  input: SeatGroupInput;
}>;


export type SaveSeatGroupMutation = { upsertSeatGroup:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidSelectorError', code: ErrorCode, message: string }
    | { __typename: 'TooManySeatGroupsError', code: ErrorCode, message: string }
    | { __typename: 'UpsertSeatGroupSuccess', group: { name: string, seatCount: number } }
   };

export type SeatIdsBySelectorQueryVariables = Exact<{
  selector?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type SeatIdsBySelectorQuery = { seats: { edges: Array<{ node: { id: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type GroupSeatIdsQueryVariables = Exact<{
  name: string;
  after?: string | null | undefined;
}>;


export type GroupSeatIdsQuery = { seatGroup: { seats: { edges: Array<{ node: { id: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type CreateRolloutRequestMutationVariables = Exact<{
  input: RolloutInput;
}>;


export type CreateRolloutRequestMutation = { createRollout:
    | { __typename: 'ApprovalNotAllowedError', code: ErrorCode, message: string }
    | { __typename: 'CreateRolloutSuccess', rollout: { id: string } }
    | { __typename: 'FileTamperedError', code: ErrorCode, message: string }
    | { __typename: 'GroupFrozenError', code: ErrorCode, message: string }
    | { __typename: 'GroupNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'InstallInProgressError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidSelectorError', code: ErrorCode, message: string }
    | { __typename: 'NoMatchingSeatsError', code: ErrorCode, message: string }
    | { __typename: 'RolloutInProgressError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeprecatedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotReleasedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotSyncedError', code: ErrorCode, message: string }
    | { __typename: 'SignatureRequiredError', code: ErrorCode, message: string }
   };

export type ApproveRolloutRequestMutationVariables = Exact<{
  id: string | number;
  note?: string | null | undefined;
}>;


export type ApproveRolloutRequestMutation = { approveRollout:
    | { __typename: 'ApprovalNotAllowedError', code: ErrorCode, message: string }
    | { __typename: 'ApproveRolloutSuccess', rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'RolloutNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RolloutStateConflictError', code: ErrorCode, message: string }
   };

export type PauseRolloutRequestMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type PauseRolloutRequestMutation = { pauseRollout:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'PauseRolloutSuccess', rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } }
    | { __typename: 'RolloutNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RolloutStateConflictError', code: ErrorCode, message: string }
   };

export type ResumeRolloutRequestMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeRolloutRequestMutation = { resumeRollout:
    | { __typename: 'GroupFrozenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'ResumeRolloutSuccess', rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } }
    | { __typename: 'RolloutNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RolloutStateConflictError', code: ErrorCode, message: string }
   };

export type CancelRolloutRequestMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type CancelRolloutRequestMutation = { cancelRollout:
    | { __typename: 'CancelRolloutSuccess', rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'RolloutNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RolloutStateConflictError', code: ErrorCode, message: string }
   };

export type RollbackRolloutRequestMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type RollbackRolloutRequestMutation = { rollbackRollout:
    | { __typename: 'InstallInProgressError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'RollbackRolloutSuccess', rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } }
    | { __typename: 'RolloutInProgressError', code: ErrorCode, message: string }
    | { __typename: 'RolloutNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RolloutStateConflictError', code: ErrorCode, message: string }
    | { __typename: 'RolloutSupersededError', code: ErrorCode, message: string }
   };

export type RolloutViewFieldsFragment = { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> };

export type RolloutByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type RolloutByIdQuery = { rollout: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } | null };

export type RolloutLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type RolloutLiveSubscription = { rolloutUpdated: { id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, currentWave: number, percent: number, pausedReason: string | null, pausedCause: RolloutPauseCause | null, error: string | null, createdBy: string, createdAt: string, startedAt: string | null, finishedAt: string | null, nextWaveAt: string | null, maxFailurePercent: number, onFailure: RolloutFailureAction, waves: Array<{ index: number, seatCount: number, state: RolloutWaveState, succeeded: number, failed: number, soakSeconds: number, soakUntil: string | null, requireApproval: boolean }>, summary: { total: number, pending: number, running: number, succeeded: number, failed: number, timedOut: number, rolledBack: number, notReverted: number, skipped: number }, rollback: { by: string, reason: string, steps: number, stepsDone: number } | null, approvals: Array<{ wave: number, by: string, at: string, note: string }>, events: Array<{ at: string, by: string | null, kind: string, message: string }> } };

export type RolloutSeatsPageQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  state?: RolloutSeatState | null | undefined;
}>;


export type RolloutSeatsPageQuery = { rollout: { id: string, seats: { totalCount: number, nodes: Array<{ seatName: string, wave: number | null, state: RolloutSeatState, attempts: number, fromVersions: Array<string>, error: string | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type RolloutsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: RolloutFilter | null | undefined;
}>;


export type RolloutsPageQuery = { rollouts: { nodes: Array<{ id: string, segmentName: string, version: string, group: string | null, selector: string | null, state: RolloutState, percent: number, createdBy: string, createdAt: string, finishedAt: string | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SyncedSegmentChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type SyncedSegmentChoicesQuery = { segments: { edges: Array<{ node: { id: string, name: string, version: string } }> } };

export type PreviewRolloutSizesQueryVariables = Exact<{
  input: RolloutInput;
}>;


export type PreviewRolloutSizesQuery = { previewRollout: { seatCount: number, skipped: number, firstWindowAt: string | null, waves: Array<{ index: number, seatCount: number }> } };

export type SegmentBadgeFieldsFragment = { lifecycle: Lifecycle, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } };

export type SegmentTrustViewFieldsFragment = { id: string, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } };

export type MarkSegmentTestedRequestMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type MarkSegmentTestedRequestMutation = { markSegmentTested:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'MarkSegmentTestedSuccess', segment: { id: string, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeprecatedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
   };

export type ReleaseSegmentRequestMutationVariables = Exact<{
  id: string | number;
  note?: string | null | undefined;
}>;


export type ReleaseSegmentRequestMutation = { releaseSegment:
    | { __typename: 'FileTamperedError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'ReleaseSegmentSuccess', segment: { id: string, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeprecatedError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotTestedError', reasons: Array<string>, code: ErrorCode, message: string }
    | { __typename: 'SignatureRequiredError', code: ErrorCode, message: string }
   };

export type DeprecateSegmentRequestMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type DeprecateSegmentRequestMutation = { deprecateSegment:
    | { __typename: 'DeprecateSegmentSuccess', segment: { id: string, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
   };

export type VerifySegmentFileRequestMutationVariables = Exact<{
  id: string | number;
}>;


export type VerifySegmentFileRequestMutation = { verifySegmentFile:
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'VerifySegmentFileSuccess', segment: { id: string, signatureStatus: SignatureStatus, releasedAt: string | null, releasedBy: string | null, releaseNote: string | null, deprecatedReason: string | null, lifecycle: Lifecycle, signatures: Array<{ keyId: string, signedAt: string, valid: boolean, reason: string | null, key: { label: string, keyId: string } | null }>, promotion: { tested: boolean, testedAt: string | null, testSeats: Array<string>, reasons: Array<string> }, integrity: { status: IntegrityStatus, checkedAt: string | null, reason: string | null } } }
   };

export type SigningKeyRowFieldsFragment = { keyId: string, algorithm: KeyAlgorithm, label: string, addedAt: string, notAfter: string | null, revokedAt: string | null, revokeReason: string | null };

export type SigningKeyListQueryVariables = Exact<{ [key: string]: never; }>;


export type SigningKeyListQuery = { signingKeys: Array<{ keyId: string, algorithm: KeyAlgorithm, label: string, addedAt: string, notAfter: string | null, revokedAt: string | null, revokeReason: string | null }> };

export type AddSigningKeyRequestMutationVariables = Exact<{
  publicKeyPem: string;
  label: string;
  notAfter?: string | null | undefined;
}>;


export type AddSigningKeyRequestMutation = { addSigningKey:
    | { __typename: 'AddSigningKeySuccess', key: { keyId: string, algorithm: KeyAlgorithm, label: string, addedAt: string, notAfter: string | null, revokedAt: string | null, revokeReason: string | null } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidKeyError', code: ErrorCode, message: string }
    | { __typename: 'TooManySigningKeysError', code: ErrorCode, message: string }
   };

export type RevokeSigningKeyRequestMutationVariables = Exact<{
  keyId: string;
  reason: string;
}>;


export type RevokeSigningKeyRequestMutation = { revokeSigningKey:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'KeyNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RevokeSigningKeySuccess', key: { keyId: string, algorithm: KeyAlgorithm, label: string, addedAt: string, notAfter: string | null, revokedAt: string | null, revokeReason: string | null } }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SegmentBadgeFieldsFragmentDoc = new TypedDocumentString(`
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
    `, {"fragmentName":"SegmentBadgeFields"}) as unknown as TypedDocumentString<SegmentBadgeFieldsFragment, unknown>;
export const SegmentRowFieldsFragmentDoc = new TypedDocumentString(`
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`, {"fragmentName":"SegmentRowFields"}) as unknown as TypedDocumentString<SegmentRowFieldsFragment, unknown>;
export const LogProgressFieldsFragmentDoc = new TypedDocumentString(`
    fragment LogProgressFields on InstallLog {
  recordId
  status
  percent
  startedAt
  finishedAt
  timedOutAt
  summary {
    total
    pending
    running
    succeeded
    failed
  }
}
    `, {"fragmentName":"LogProgressFields"}) as unknown as TypedDocumentString<LogProgressFieldsFragment, unknown>;
export const InstallSeatFieldsFragmentDoc = new TypedDocumentString(`
    fragment InstallSeatFields on InstallLogSeat {
  seatName
  action
  state
  percent
  error
}
    `, {"fragmentName":"InstallSeatFields"}) as unknown as TypedDocumentString<InstallSeatFieldsFragment, unknown>;
export const InstallRecordFieldsFragmentDoc = new TypedDocumentString(`
    fragment InstallRecordFields on InstallRecord {
  id
  status
  error
  createdAt
  finishedAt
  installSeatNames
  uninstallSeatNames
}
    `, {"fragmentName":"InstallRecordFields"}) as unknown as TypedDocumentString<InstallRecordFieldsFragment, unknown>;
export const RolloutViewFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}
    `, {"fragmentName":"RolloutViewFields"}) as unknown as TypedDocumentString<RolloutViewFieldsFragment, unknown>;
export const SegmentTrustViewFieldsFragmentDoc = new TypedDocumentString(`
    fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`, {"fragmentName":"SegmentTrustViewFields"}) as unknown as TypedDocumentString<SegmentTrustViewFieldsFragment, unknown>;
export const SigningKeyRowFieldsFragmentDoc = new TypedDocumentString(`
    fragment SigningKeyRowFields on SigningKey {
  keyId
  algorithm
  label
  addedAt
  notAfter
  revokedAt
  revokeReason
}
    `, {"fragmentName":"SigningKeyRowFields"}) as unknown as TypedDocumentString<SigningKeyRowFieldsFragment, unknown>;
export const SegmentDetailDocument = new TypedDocumentString(`
    query SegmentDetail($id: ID!) {
  segment(id: $id) {
    ...SegmentRowFields
    ...SegmentTrustViewFields
    description
    sha256
    seats {
      id
      name
    }
    versions {
      id
      version
      sync {
        status
      }
    }
    installRecords {
      ...InstallRecordFields
    }
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment InstallRecordFields on InstallRecord {
  id
  status
  error
  createdAt
  finishedAt
  installSeatNames
  uninstallSeatNames
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}`) as unknown as TypedDocumentString<SegmentDetailQuery, SegmentDetailQueryVariables>;
export const SegmentChangedDocument = new TypedDocumentString(`
    subscription SegmentChanged {
  segmentUpdated {
    ...SegmentRowFields
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`) as unknown as TypedDocumentString<SegmentChangedSubscription, SegmentChangedSubscriptionVariables>;
export const CreateUploadSessionDocument = new TypedDocumentString(`
    mutation CreateUploadSession($input: UploadSessionInput!) {
  createUploadSession(input: $input) {
    __typename
    ... on CreateUploadSessionSuccess {
      session {
        id
        uploadUrl
        token
        offset
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CreateUploadSessionMutation, CreateUploadSessionMutationVariables>;
export const RenewUploadSessionDocument = new TypedDocumentString(`
    mutation RenewUploadSession($id: ID!) {
  renewUploadSession(id: $id) {
    __typename
    ... on RenewUploadSessionSuccess {
      session {
        id
        uploadUrl
        token
        offset
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RenewUploadSessionMutation, RenewUploadSessionMutationVariables>;
export const CompleteUploadSessionDocument = new TypedDocumentString(`
    mutation CompleteUploadSession($id: ID!) {
  completeUploadSession(id: $id) {
    __typename
    ... on UploadSegmentSuccess {
      segment {
        ...SegmentRowFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`) as unknown as TypedDocumentString<CompleteUploadSessionMutation, CompleteUploadSessionMutationVariables>;
export const DeleteSegmentByIdDocument = new TypedDocumentString(`
    mutation DeleteSegmentById($id: ID!) {
  deleteSegment(id: $id) {
    __typename
    ... on DeleteSegmentSuccess {
      segment {
        ...SegmentRowFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`) as unknown as TypedDocumentString<DeleteSegmentByIdMutation, DeleteSegmentByIdMutationVariables>;
export const RetrySyncDocument = new TypedDocumentString(`
    mutation RetrySync($id: ID!) {
  retrySegmentSync(id: $id) {
    __typename
    ... on RetrySegmentSyncSuccess {
      segment {
        ...SegmentRowFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`) as unknown as TypedDocumentString<RetrySyncMutation, RetrySyncMutationVariables>;
export const SeatsPageDocument = new TypedDocumentString(`
    query SeatsPage($first: Int, $after: String) {
  seats(first: $first, after: $after) {
    totalCount
    edges {
      node {
        id
        name
        ip
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<SeatsPageQuery, SeatsPageQueryVariables>;
export const AddSeatsDocument = new TypedDocumentString(`
    mutation AddSeats($seats: [SeatInput!]!) {
  upsertSeats(seats: $seats) {
    __typename
    ... on UpsertSeatsSuccess {
      seats {
        id
        name
        ip
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AddSeatsMutation, AddSeatsMutationVariables>;
export const StartInstallDocument = new TypedDocumentString(`
    mutation StartInstall($id: ID!, $seatIds: [ID!]!) {
  installSegment(id: $id, seatIds: $seatIds) {
    __typename
    ... on InstallSegmentSuccess {
      record {
        ...InstallRecordFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on InstallInProgressError {
      recordId
    }
  }
}
    fragment InstallRecordFields on InstallRecord {
  id
  status
  error
  createdAt
  finishedAt
  installSeatNames
  uninstallSeatNames
}`) as unknown as TypedDocumentString<StartInstallMutation, StartInstallMutationVariables>;
export const InstallRecordLogDocument = new TypedDocumentString(`
    query InstallRecordLog($id: ID!) {
  installRecord(id: $id) {
    ...InstallRecordFields
    log {
      ...LogProgressFields
      seats {
        ...InstallSeatFields
      }
    }
  }
}
    fragment LogProgressFields on InstallLog {
  recordId
  status
  percent
  startedAt
  finishedAt
  timedOutAt
  summary {
    total
    pending
    running
    succeeded
    failed
  }
}
fragment InstallSeatFields on InstallLogSeat {
  seatName
  action
  state
  percent
  error
}
fragment InstallRecordFields on InstallRecord {
  id
  status
  error
  createdAt
  finishedAt
  installSeatNames
  uninstallSeatNames
}`) as unknown as TypedDocumentString<InstallRecordLogQuery, InstallRecordLogQueryVariables>;
export const InstallLogLiveDocument = new TypedDocumentString(`
    subscription InstallLogLive($recordId: ID!) {
  installLogUpdated(recordId: $recordId) {
    ...LogProgressFields
    changedSeats {
      ...InstallSeatFields
    }
  }
}
    fragment LogProgressFields on InstallLog {
  recordId
  status
  percent
  startedAt
  finishedAt
  timedOutAt
  summary {
    total
    pending
    running
    succeeded
    failed
  }
}
fragment InstallSeatFields on InstallLogSeat {
  seatName
  action
  state
  percent
  error
}`) as unknown as TypedDocumentString<InstallLogLiveSubscription, InstallLogLiveSubscriptionVariables>;
export const SegmentsPageDocument = new TypedDocumentString(`
    query SegmentsPage($first: Int, $after: String, $filter: SegmentFilter) {
  segments(first: $first, after: $after, filter: $filter) {
    totalCount
    edges {
      node {
        ...SegmentRowFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment SegmentRowFields on Segment {
  id
  name
  version
  format
  target
  fileName
  size
  isLocal
  createdAt
  deleted
  deleteStatus
  deleteError
  installedSeatCount
  sync {
    status
    attempts
    lastError
    nextAttemptAt
  }
  ...SegmentBadgeFields
}
fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}`) as unknown as TypedDocumentString<SegmentsPageQuery, SegmentsPageQueryVariables>;
export const SegmentDownloadLinkDocument = new TypedDocumentString(`
    query SegmentDownloadLink($id: ID!) {
  segment(id: $id) {
    id
    downloadUrl
  }
}
    `) as unknown as TypedDocumentString<SegmentDownloadLinkQuery, SegmentDownloadLinkQueryVariables>;
export const LabelledSeatsPageDocument = new TypedDocumentString(`
    query LabelledSeatsPage($first: Int, $after: String, $selector: String) {
  seats(first: $first, after: $after, selector: $selector) {
    totalCount
    edges {
      node {
        id
        name
        ip
        createdAt
        description
        labels {
          key
          value
        }
        groups
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<LabelledSeatsPageQuery, LabelledSeatsPageQueryVariables>;
export const RelabelSeatsDocument = new TypedDocumentString(`
    mutation RelabelSeats($selector: String, $set: [LabelInput!], $remove: [String!]) {
  setSeatLabels(selector: $selector, set: $set, remove: $remove) {
    __typename
    ... on SetSeatLabelsSuccess {
      matchedCount
      changedCount
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RelabelSeatsMutation, RelabelSeatsMutationVariables>;
export const SeatGroupListDocument = new TypedDocumentString(`
    query SeatGroupList {
  seatGroups {
    name
    selector
    protected
    description
    seatCount
    desiredVersions {
      name
      version
      drift
      convergeError
    }
  }
}
    `) as unknown as TypedDocumentString<SeatGroupListQuery, SeatGroupListQueryVariables>;
export const SeatGroupMembersDocument = new TypedDocumentString(`
    query SeatGroupMembers($name: String!, $first: Int, $after: String) {
  seatGroup(name: $name) {
    name
    seats(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          ip
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SeatGroupMembersQuery, SeatGroupMembersQueryVariables>;
export const SaveSeatGroupDocument = new TypedDocumentString(`
    mutation SaveSeatGroup($input: SeatGroupInput!) {
  upsertSeatGroup(input: $input) {
    __typename
    ... on UpsertSeatGroupSuccess {
      group {
        name
        seatCount
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SaveSeatGroupMutation, SaveSeatGroupMutationVariables>;
export const SeatIdsBySelectorDocument = new TypedDocumentString(`
    query SeatIdsBySelector($selector: String, $after: String) {
  seats(first: 500, after: $after, selector: $selector) {
    edges {
      node {
        id
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<SeatIdsBySelectorQuery, SeatIdsBySelectorQueryVariables>;
export const GroupSeatIdsDocument = new TypedDocumentString(`
    query GroupSeatIds($name: String!, $after: String) {
  seatGroup(name: $name) {
    seats(first: 200, after: $after) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GroupSeatIdsQuery, GroupSeatIdsQueryVariables>;
export const CreateRolloutRequestDocument = new TypedDocumentString(`
    mutation CreateRolloutRequest($input: RolloutInput!) {
  createRollout(input: $input) {
    __typename
    ... on CreateRolloutSuccess {
      rollout {
        id
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CreateRolloutRequestMutation, CreateRolloutRequestMutationVariables>;
export const ApproveRolloutRequestDocument = new TypedDocumentString(`
    mutation ApproveRolloutRequest($id: ID!, $note: String) {
  approveRollout(id: $id, note: $note) {
    __typename
    ... on ApproveRolloutSuccess {
      rollout {
        ...RolloutViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<ApproveRolloutRequestMutation, ApproveRolloutRequestMutationVariables>;
export const PauseRolloutRequestDocument = new TypedDocumentString(`
    mutation PauseRolloutRequest($id: ID!, $reason: String!) {
  pauseRollout(id: $id, reason: $reason) {
    __typename
    ... on PauseRolloutSuccess {
      rollout {
        ...RolloutViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<PauseRolloutRequestMutation, PauseRolloutRequestMutationVariables>;
export const ResumeRolloutRequestDocument = new TypedDocumentString(`
    mutation ResumeRolloutRequest($id: ID!) {
  resumeRollout(id: $id) {
    __typename
    ... on ResumeRolloutSuccess {
      rollout {
        ...RolloutViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<ResumeRolloutRequestMutation, ResumeRolloutRequestMutationVariables>;
export const CancelRolloutRequestDocument = new TypedDocumentString(`
    mutation CancelRolloutRequest($id: ID!, $reason: String!) {
  cancelRollout(id: $id, reason: $reason) {
    __typename
    ... on CancelRolloutSuccess {
      rollout {
        ...RolloutViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<CancelRolloutRequestMutation, CancelRolloutRequestMutationVariables>;
export const RollbackRolloutRequestDocument = new TypedDocumentString(`
    mutation RollbackRolloutRequest($id: ID!, $reason: String!) {
  rollbackRollout(id: $id, reason: $reason) {
    __typename
    ... on RollbackRolloutSuccess {
      rollout {
        ...RolloutViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<RollbackRolloutRequestMutation, RollbackRolloutRequestMutationVariables>;
export const RolloutByIdDocument = new TypedDocumentString(`
    query RolloutById($id: ID!) {
  rollout(id: $id) {
    ...RolloutViewFields
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<RolloutByIdQuery, RolloutByIdQueryVariables>;
export const RolloutLiveDocument = new TypedDocumentString(`
    subscription RolloutLive($id: ID!) {
  rolloutUpdated(id: $id) {
    ...RolloutViewFields
  }
}
    fragment RolloutViewFields on Rollout {
  id
  segmentName
  version
  group
  selector
  state
  currentWave
  percent
  pausedReason
  pausedCause
  error
  createdBy
  createdAt
  startedAt
  finishedAt
  nextWaveAt
  maxFailurePercent
  onFailure
  waves {
    index
    seatCount
    state
    succeeded
    failed
    soakSeconds
    soakUntil
    requireApproval
  }
  summary {
    total
    pending
    running
    succeeded
    failed
    timedOut
    rolledBack
    notReverted
    skipped
  }
  rollback {
    by
    reason
    steps
    stepsDone
  }
  approvals {
    wave
    by
    at
    note
  }
  events {
    at
    by
    kind
    message
  }
}`) as unknown as TypedDocumentString<RolloutLiveSubscription, RolloutLiveSubscriptionVariables>;
export const RolloutSeatsPageDocument = new TypedDocumentString(`
    query RolloutSeatsPage($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {
  rollout(id: $id) {
    id
    seats(first: $first, after: $after, state: $state) {
      totalCount
      nodes {
        seatName
        wave
        state
        attempts
        fromVersions
        error
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutSeatsPageQuery, RolloutSeatsPageQueryVariables>;
export const RolloutsPageDocument = new TypedDocumentString(`
    query RolloutsPage($first: Int, $after: String, $filter: RolloutFilter) {
  rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {
    nodes {
      id
      segmentName
      version
      group
      selector
      state
      percent
      createdBy
      createdAt
      finishedAt
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<RolloutsPageQuery, RolloutsPageQueryVariables>;
export const SyncedSegmentChoicesDocument = new TypedDocumentString(`
    query SyncedSegmentChoices {
  segments(first: 200, filter: {syncStatus: SYNCED, deleteStatus: NONE}) {
    edges {
      node {
        id
        name
        version
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SyncedSegmentChoicesQuery, SyncedSegmentChoicesQueryVariables>;
export const PreviewRolloutSizesDocument = new TypedDocumentString(`
    query PreviewRolloutSizes($input: RolloutInput!) {
  previewRollout(input: $input) {
    seatCount
    skipped
    firstWindowAt
    waves {
      index
      seatCount
    }
  }
}
    `) as unknown as TypedDocumentString<PreviewRolloutSizesQuery, PreviewRolloutSizesQueryVariables>;
export const MarkSegmentTestedRequestDocument = new TypedDocumentString(`
    mutation MarkSegmentTestedRequest($id: ID!, $reason: String!) {
  markSegmentTested(id: $id, reason: $reason) {
    __typename
    ... on MarkSegmentTestedSuccess {
      segment {
        ...SegmentTrustViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}`) as unknown as TypedDocumentString<MarkSegmentTestedRequestMutation, MarkSegmentTestedRequestMutationVariables>;
export const ReleaseSegmentRequestDocument = new TypedDocumentString(`
    mutation ReleaseSegmentRequest($id: ID!, $note: String) {
  releaseSegment(id: $id, note: $note) {
    __typename
    ... on ReleaseSegmentSuccess {
      segment {
        ...SegmentTrustViewFields
      }
    }
    ... on SegmentNotTestedError {
      reasons
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}`) as unknown as TypedDocumentString<ReleaseSegmentRequestMutation, ReleaseSegmentRequestMutationVariables>;
export const DeprecateSegmentRequestDocument = new TypedDocumentString(`
    mutation DeprecateSegmentRequest($id: ID!, $reason: String!) {
  deprecateSegment(id: $id, reason: $reason) {
    __typename
    ... on DeprecateSegmentSuccess {
      segment {
        ...SegmentTrustViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}`) as unknown as TypedDocumentString<DeprecateSegmentRequestMutation, DeprecateSegmentRequestMutationVariables>;
export const VerifySegmentFileRequestDocument = new TypedDocumentString(`
    mutation VerifySegmentFileRequest($id: ID!) {
  verifySegmentFile(id: $id) {
    __typename
    ... on VerifySegmentFileSuccess {
      segment {
        ...SegmentTrustViewFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SegmentBadgeFields on Segment {
  lifecycle
  integrity {
    status
    checkedAt
    reason
  }
}
fragment SegmentTrustViewFields on Segment {
  id
  ...SegmentBadgeFields
  signatureStatus
  signatures {
    keyId
    signedAt
    valid
    reason
    key {
      label
      keyId
    }
  }
  promotion {
    tested
    testedAt
    testSeats
    reasons
  }
  releasedAt
  releasedBy
  releaseNote
  deprecatedReason
}`) as unknown as TypedDocumentString<VerifySegmentFileRequestMutation, VerifySegmentFileRequestMutationVariables>;
export const SigningKeyListDocument = new TypedDocumentString(`
    query SigningKeyList {
  signingKeys {
    ...SigningKeyRowFields
  }
}
    fragment SigningKeyRowFields on SigningKey {
  keyId
  algorithm
  label
  addedAt
  notAfter
  revokedAt
  revokeReason
}`) as unknown as TypedDocumentString<SigningKeyListQuery, SigningKeyListQueryVariables>;
export const AddSigningKeyRequestDocument = new TypedDocumentString(`
    mutation AddSigningKeyRequest($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {
  addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {
    __typename
    ... on AddSigningKeySuccess {
      key {
        ...SigningKeyRowFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SigningKeyRowFields on SigningKey {
  keyId
  algorithm
  label
  addedAt
  notAfter
  revokedAt
  revokeReason
}`) as unknown as TypedDocumentString<AddSigningKeyRequestMutation, AddSigningKeyRequestMutationVariables>;
export const RevokeSigningKeyRequestDocument = new TypedDocumentString(`
    mutation RevokeSigningKeyRequest($keyId: String!, $reason: String!) {
  revokeSigningKey(keyId: $keyId, reason: $reason) {
    __typename
    ... on RevokeSigningKeySuccess {
      key {
        ...SigningKeyRowFields
      }
    }
    ... on Error {
      code
      message
    }
  }
}
    fragment SigningKeyRowFields on SigningKey {
  keyId
  algorithm
  label
  addedAt
  notAfter
  revokedAt
  revokeReason
}`) as unknown as TypedDocumentString<RevokeSigningKeyRequestMutation, RevokeSigningKeyRequestMutationVariables>;