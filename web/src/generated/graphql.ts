/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type DeleteStatus =
  | 'FAILED'
  | 'NONE'
  | 'PROCESSING';

export type ErrorCode =
  | 'FILE_TOO_LARGE'
  | 'INSTALL_IN_PROGRESS'
  | 'INVALID_INPUT'
  | 'INVALID_SEGMENT_FILE'
  | 'REMOTE_SYNC_TIMEOUT'
  | 'SEAT_IN_USE'
  | 'SEAT_NOT_FOUND'
  | 'SEGMENT_ALREADY_EXISTS'
  | 'SEGMENT_DELETING'
  | 'SEGMENT_INSTALLED'
  | 'SEGMENT_NOT_FOUND'
  | 'SEGMENT_NOT_SYNCED'
  | 'UNSUPPORTED_FORMAT';

export type InstallAction =
  | 'INSTALL'
  | 'UNINSTALL';

export type InstallStatus =
  | 'FAILED'
  | 'PARTIALLY_SUCCEEDED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

/** The remote platform a segment lives on: ZIP → DEPLOY_PLATFORM, MPK → STORE_15S. */
export type SdpTarget =
  | 'DEPLOY_PLATFORM'
  | 'STORE_15S';

export type SeatInput = {
  /** IPv4 or IPv6 (no zone id). */
  ip: string;
  /** Upsert key: an existing seat of this name is changed. */
  name: string;
};

export type SeatInstallState =
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

/** Every field given must match; an absent field matches everything. */
export type SegmentFilter = {
  deleteStatus?: DeleteStatus | null | undefined;
  format?: SegmentFormat | null | undefined;
  /** Installed on at least one seat (true) or on none (false). */
  installed?: boolean | null | undefined;
  /** Uploaded to seghub (true) or taken over from SDP (false). */
  isLocal?: boolean | null | undefined;
  /** A part of the name, any case. */
  nameContains?: string | null | undefined;
  syncStatus?: SyncStatus | null | undefined;
  target?: SdpTarget | null | undefined;
};

/** The archive format, decided by the file suffix: .zip or .mpk. */
export type SegmentFormat =
  | 'MPK'
  | 'ZIP';

export type SyncStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SYNCED';

export type SegmentRowFieldsFragment = { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } };

export type LogProgressFieldsFragment = { recordId: string, status: InstallStatus, percent: number, startedAt: string | null, finishedAt: string | null, timedOutAt: string | null, summary: { total: number, pending: number, running: number, succeeded: number, failed: number } };

export type InstallSeatFieldsFragment = { seatName: string, action: InstallAction, state: SeatInstallState, percent: number, error: string | null };

export type InstallRecordFieldsFragment = { id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> };

export type SegmentDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentDetailQuery = { segment: { description: string | null, sha256: string, id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, seats: Array<{ id: string, name: string }>, versions: Array<{ id: string, version: string, sync: { status: SyncStatus } }>, installRecords: Array<{ id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> }>, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } | null };

export type SegmentChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SegmentChangedSubscription = { segmentUpdated: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } };

export type UploadSegmentFileMutationVariables = Exact<{
  file: File | Blob | null;
}>;


export type UploadSegmentFileMutation = { uploadSegment:
    | { __typename: 'FileTooLargeError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidSegmentFileError', code: ErrorCode, message: string }
    | { __typename: 'SegmentAlreadyExistsError', code: ErrorCode, message: string }
    | { __typename: 'UnsupportedFormatError', code: ErrorCode, message: string }
    | { __typename: 'UploadSegmentSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } }
   };

export type DeleteSegmentByIdMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteSegmentByIdMutation = { deleteSegment:
    | { __typename: 'DeleteSegmentSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } }
    | { __typename: 'SegmentInstalledError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
   };

export type RetrySyncMutationVariables = Exact<{
  id: string | number;
}>;


export type RetrySyncMutation = { retrySegmentSync:
    | { __typename: 'RetrySegmentSyncSuccess', segment: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } }
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
    | { __typename: 'UpsertSeatsSuccess', seats: Array<{ id: string, name: string, ip: string }> }
   };

export type StartInstallMutationVariables = Exact<{
  id: string | number;
  seatIds: Array<string | number> | string | number;
}>;


export type StartInstallMutation = { installSegment:
    | { __typename: 'InstallInProgressError', code: ErrorCode, message: string, recordId: string }
    | { __typename: 'InstallSegmentSuccess', record: { id: string, status: InstallStatus, error: string | null, createdAt: string, finishedAt: string | null, installSeatNames: Array<string>, uninstallSeatNames: Array<string> } | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'SeatNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentDeletingError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SegmentNotSyncedError', code: ErrorCode, message: string }
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


export type SegmentsPageQuery = { segments: { totalCount: number, edges: Array<{ node: { id: string, name: string, version: string, format: SegmentFormat, target: SdpTarget, fileName: string, size: number, isLocal: boolean, createdAt: string, deleted: boolean, deleteStatus: DeleteStatus, deleteError: string | null, installedSeatCount: number, sync: { status: SyncStatus, attempts: number, lastError: string | null, nextAttemptAt: string | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

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
}
    `, {"fragmentName":"SegmentRowFields"}) as unknown as TypedDocumentString<SegmentRowFieldsFragment, unknown>;
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
export const SegmentDetailDocument = new TypedDocumentString(`
    query SegmentDetail($id: ID!) {
  segment(id: $id) {
    ...SegmentRowFields
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
}
fragment InstallRecordFields on InstallRecord {
  id
  status
  error
  createdAt
  finishedAt
  installSeatNames
  uninstallSeatNames
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
}`) as unknown as TypedDocumentString<SegmentChangedSubscription, SegmentChangedSubscriptionVariables>;
export const UploadSegmentFileDocument = new TypedDocumentString(`
    mutation UploadSegmentFile($file: Upload!) {
  uploadSegment(file: $file) {
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
}`) as unknown as TypedDocumentString<UploadSegmentFileMutation, UploadSegmentFileMutationVariables>;
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
}`) as unknown as TypedDocumentString<SegmentsPageQuery, SegmentsPageQueryVariables>;