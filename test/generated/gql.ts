/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ServerVersion {\n    version\n  }\n": typeof types.ServerVersionDocument,
    "\n  fragment InstallLogFields on InstallLog {\n    recordId\n    status\n    percent\n    updatedAt\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n    changedSeats {\n      seatName\n      action\n      state\n      percent\n      error\n    }\n  }\n": typeof types.InstallLogFieldsFragmentDoc,
    "\n  mutation InstallSegment($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          id\n          status\n          installSeatNames\n          uninstallSeatNames\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.InstallSegmentDocument,
    "\n  subscription InstallLogUpdated($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...InstallLogFields\n    }\n  }\n": typeof types.InstallLogUpdatedDocument,
    "\n  query GetInstallRecord($id: ID!) {\n    installRecord(id: $id) {\n      id\n      status\n      error\n      createdAt\n      startedAt\n      finishedAt\n      installSeatNames\n      uninstallSeatNames\n      segment {\n        id\n      }\n      log {\n        status\n        percent\n        summary {\n          total\n          succeeded\n          failed\n        }\n        seats {\n          seat {\n            id\n            name\n          }\n          seatName\n          action\n          state\n          percent\n          error\n        }\n      }\n    }\n  }\n": typeof types.GetInstallRecordDocument,
    "\n  query SegmentSeats($id: ID!) {\n    segment(id: $id) {\n      id\n      seats {\n        id\n        name\n        ip\n      }\n      installRecords {\n        id\n        status\n      }\n    }\n  }\n": typeof types.SegmentSeatsDocument,
    "\n  mutation RefreshSegmentSeats($id: ID!) {\n    refreshSegmentSeats(id: $id) {\n      __typename\n      ... on RefreshSegmentSeatsSuccess {\n        versions {\n          id\n          version\n          seats {\n            name\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RefreshSegmentSeatsDocument,
    "\n  query InstallProgress($id: ID!) {\n    installRecord(id: $id) {\n      status\n      log {\n        percent\n        summary {\n          total\n          pending\n          running\n          succeeded\n          failed\n        }\n      }\n    }\n  }\n": typeof types.InstallProgressDocument,
    "\n  subscription SegmentSeatsUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      deleted\n      seats {\n        name\n      }\n    }\n  }\n": typeof types.SegmentSeatsUpdatedDocument,
    "\n  fragment SeatFields on Seat {\n    id\n    name\n    ip\n    createdAt\n    updatedAt\n  }\n": typeof types.SeatFieldsFragmentDoc,
    "\n  mutation UpsertSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          ...SeatFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidInputError {\n        field\n      }\n    }\n  }\n": typeof types.UpsertSeatsDocument,
    "\n  mutation DeleteSeats($ids: [ID!]!) {\n    deleteSeats(ids: $ids) {\n      __typename\n      ... on DeleteSeatsSuccess {\n        deletedIds\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SeatNotFoundError {\n        seatIds\n      }\n      ... on SeatInUseError {\n        seatName\n        segmentIds\n      }\n    }\n  }\n": typeof types.DeleteSeatsDocument,
    "\n  query ListSeats($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...SeatFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ListSeatsDocument,
    "\n  query SeatNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Seat {\n        name\n        ip\n      }\n    }\n  }\n": typeof types.SeatNodeDocument,
    "\n  query WhoCanRead {\n    version\n    seats(first: 1) {\n      totalCount\n    }\n  }\n": typeof types.WhoCanReadDocument,
    "\n  mutation AddSeat($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on Error {\n        code\n      }\n    }\n  }\n": typeof types.AddSeatDocument,
    "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n    }\n  }\n": typeof types.RetrySyncDocument,
    "\n  query AuditTrail($first: Int, $after: String) {\n    auditLog(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          actor {\n            id\n            role\n          }\n          operationName\n          field\n          arguments\n          outcome\n          resultType\n          errorCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditTrailDocument,
    "\n  subscription AllSegmentUpdates {\n    segmentUpdated {\n      id\n    }\n  }\n": typeof types.AllSegmentUpdatesDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          id\n          deleteStatus\n          deleteError\n          deleteAttempts\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SegmentInstalledError {\n        seatCount\n        installRunning\n      }\n    }\n  }\n": typeof types.DeleteSegmentDocument,
    "\n  query SegmentDeleteState($id: ID!) {\n    segment(id: $id) {\n      id\n      deleteStatus\n      deleteError\n      deleteAttempts\n      deleteNextAttemptAt\n      deleted\n    }\n  }\n": typeof types.SegmentDeleteStateDocument,
    "\n  subscription SegmentDeleteUpdates($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      name\n      sha256\n      deleteStatus\n      deleted\n    }\n  }\n": typeof types.SegmentDeleteUpdatesDocument,
    "\n  fragment RemoteSyncReportFields on RemoteSyncReport {\n    target\n    startedAt\n    finishedAt\n    added {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n        isLocal\n        sha256\n        sync {\n          status\n        }\n        remoteExtra {\n          uid\n        }\n      }\n    }\n    removed {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n      }\n    }\n    failed {\n      uid\n      name\n      version\n      reason\n    }\n    addedCount\n    removedCount\n    failedCount\n    error\n  }\n": typeof types.RemoteSyncReportFieldsFragmentDoc,
    "\n  mutation SyncRemote($target: SdpTarget) {\n    syncRemote(target: $target) {\n      __typename\n      ... on SyncRemoteSuccess {\n        report {\n          ...RemoteSyncReportFields\n        }\n        reports {\n          ...RemoteSyncReportFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.SyncRemoteDocument,
    "\n  query RemoteSyncReports {\n    remoteSyncReports {\n      ...RemoteSyncReportFields\n    }\n  }\n": typeof types.RemoteSyncReportsDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n": typeof types.SegmentFieldsFragmentDoc,
    "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n": typeof types.UploadSegmentDocument,
    "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": typeof types.GetSegmentDocument,
    "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n": typeof types.GetNodeDocument,
    "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n": typeof types.SegmentExistsDocument,
    "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n": typeof types.SegmentVersionsDocument,
    "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RetrySegmentSyncDocument,
    "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n": typeof types.SegmentUpdatedDocument,
    "\n  query ListSegments($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          version\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ListSegmentsDocument,
    "\n  query ListSegmentsDeep($first: Int) {\n    segments(first: $first) {\n      edges {\n        node {\n          id\n          installedSeatCount\n          seats {\n            name\n            ip\n          }\n          versions {\n            id\n          }\n        }\n      }\n    }\n  }\n": typeof types.ListSegmentsDeepDocument,
};
const documents: Documents = {
    "\n  query ServerVersion {\n    version\n  }\n": types.ServerVersionDocument,
    "\n  fragment InstallLogFields on InstallLog {\n    recordId\n    status\n    percent\n    updatedAt\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n    changedSeats {\n      seatName\n      action\n      state\n      percent\n      error\n    }\n  }\n": types.InstallLogFieldsFragmentDoc,
    "\n  mutation InstallSegment($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          id\n          status\n          installSeatNames\n          uninstallSeatNames\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.InstallSegmentDocument,
    "\n  subscription InstallLogUpdated($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...InstallLogFields\n    }\n  }\n": types.InstallLogUpdatedDocument,
    "\n  query GetInstallRecord($id: ID!) {\n    installRecord(id: $id) {\n      id\n      status\n      error\n      createdAt\n      startedAt\n      finishedAt\n      installSeatNames\n      uninstallSeatNames\n      segment {\n        id\n      }\n      log {\n        status\n        percent\n        summary {\n          total\n          succeeded\n          failed\n        }\n        seats {\n          seat {\n            id\n            name\n          }\n          seatName\n          action\n          state\n          percent\n          error\n        }\n      }\n    }\n  }\n": types.GetInstallRecordDocument,
    "\n  query SegmentSeats($id: ID!) {\n    segment(id: $id) {\n      id\n      seats {\n        id\n        name\n        ip\n      }\n      installRecords {\n        id\n        status\n      }\n    }\n  }\n": types.SegmentSeatsDocument,
    "\n  mutation RefreshSegmentSeats($id: ID!) {\n    refreshSegmentSeats(id: $id) {\n      __typename\n      ... on RefreshSegmentSeatsSuccess {\n        versions {\n          id\n          version\n          seats {\n            name\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RefreshSegmentSeatsDocument,
    "\n  query InstallProgress($id: ID!) {\n    installRecord(id: $id) {\n      status\n      log {\n        percent\n        summary {\n          total\n          pending\n          running\n          succeeded\n          failed\n        }\n      }\n    }\n  }\n": types.InstallProgressDocument,
    "\n  subscription SegmentSeatsUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      deleted\n      seats {\n        name\n      }\n    }\n  }\n": types.SegmentSeatsUpdatedDocument,
    "\n  fragment SeatFields on Seat {\n    id\n    name\n    ip\n    createdAt\n    updatedAt\n  }\n": types.SeatFieldsFragmentDoc,
    "\n  mutation UpsertSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          ...SeatFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidInputError {\n        field\n      }\n    }\n  }\n": types.UpsertSeatsDocument,
    "\n  mutation DeleteSeats($ids: [ID!]!) {\n    deleteSeats(ids: $ids) {\n      __typename\n      ... on DeleteSeatsSuccess {\n        deletedIds\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SeatNotFoundError {\n        seatIds\n      }\n      ... on SeatInUseError {\n        seatName\n        segmentIds\n      }\n    }\n  }\n": types.DeleteSeatsDocument,
    "\n  query ListSeats($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...SeatFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ListSeatsDocument,
    "\n  query SeatNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Seat {\n        name\n        ip\n      }\n    }\n  }\n": types.SeatNodeDocument,
    "\n  query WhoCanRead {\n    version\n    seats(first: 1) {\n      totalCount\n    }\n  }\n": types.WhoCanReadDocument,
    "\n  mutation AddSeat($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on Error {\n        code\n      }\n    }\n  }\n": types.AddSeatDocument,
    "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n    }\n  }\n": types.RetrySyncDocument,
    "\n  query AuditTrail($first: Int, $after: String) {\n    auditLog(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          actor {\n            id\n            role\n          }\n          operationName\n          field\n          arguments\n          outcome\n          resultType\n          errorCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditTrailDocument,
    "\n  subscription AllSegmentUpdates {\n    segmentUpdated {\n      id\n    }\n  }\n": types.AllSegmentUpdatesDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          id\n          deleteStatus\n          deleteError\n          deleteAttempts\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SegmentInstalledError {\n        seatCount\n        installRunning\n      }\n    }\n  }\n": types.DeleteSegmentDocument,
    "\n  query SegmentDeleteState($id: ID!) {\n    segment(id: $id) {\n      id\n      deleteStatus\n      deleteError\n      deleteAttempts\n      deleteNextAttemptAt\n      deleted\n    }\n  }\n": types.SegmentDeleteStateDocument,
    "\n  subscription SegmentDeleteUpdates($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      name\n      sha256\n      deleteStatus\n      deleted\n    }\n  }\n": types.SegmentDeleteUpdatesDocument,
    "\n  fragment RemoteSyncReportFields on RemoteSyncReport {\n    target\n    startedAt\n    finishedAt\n    added {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n        isLocal\n        sha256\n        sync {\n          status\n        }\n        remoteExtra {\n          uid\n        }\n      }\n    }\n    removed {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n      }\n    }\n    failed {\n      uid\n      name\n      version\n      reason\n    }\n    addedCount\n    removedCount\n    failedCount\n    error\n  }\n": types.RemoteSyncReportFieldsFragmentDoc,
    "\n  mutation SyncRemote($target: SdpTarget) {\n    syncRemote(target: $target) {\n      __typename\n      ... on SyncRemoteSuccess {\n        report {\n          ...RemoteSyncReportFields\n        }\n        reports {\n          ...RemoteSyncReportFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.SyncRemoteDocument,
    "\n  query RemoteSyncReports {\n    remoteSyncReports {\n      ...RemoteSyncReportFields\n    }\n  }\n": types.RemoteSyncReportsDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n": types.SegmentFieldsFragmentDoc,
    "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n": types.UploadSegmentDocument,
    "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": types.GetSegmentDocument,
    "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n": types.GetNodeDocument,
    "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n": types.SegmentExistsDocument,
    "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n": types.SegmentVersionsDocument,
    "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RetrySegmentSyncDocument,
    "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n": types.SegmentUpdatedDocument,
    "\n  query ListSegments($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          version\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ListSegmentsDocument,
    "\n  query ListSegmentsDeep($first: Int) {\n    segments(first: $first) {\n      edges {\n        node {\n          id\n          installedSeatCount\n          seats {\n            name\n            ip\n          }\n          versions {\n            id\n          }\n        }\n      }\n    }\n  }\n": types.ListSegmentsDeepDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerVersion {\n    version\n  }\n"): (typeof documents)["\n  query ServerVersion {\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InstallLogFields on InstallLog {\n    recordId\n    status\n    percent\n    updatedAt\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n    changedSeats {\n      seatName\n      action\n      state\n      percent\n      error\n    }\n  }\n"): (typeof documents)["\n  fragment InstallLogFields on InstallLog {\n    recordId\n    status\n    percent\n    updatedAt\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n    changedSeats {\n      seatName\n      action\n      state\n      percent\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InstallSegment($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          id\n          status\n          installSeatNames\n          uninstallSeatNames\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InstallSegment($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          id\n          status\n          installSeatNames\n          uninstallSeatNames\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InstallLogUpdated($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...InstallLogFields\n    }\n  }\n"): (typeof documents)["\n  subscription InstallLogUpdated($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...InstallLogFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetInstallRecord($id: ID!) {\n    installRecord(id: $id) {\n      id\n      status\n      error\n      createdAt\n      startedAt\n      finishedAt\n      installSeatNames\n      uninstallSeatNames\n      segment {\n        id\n      }\n      log {\n        status\n        percent\n        summary {\n          total\n          succeeded\n          failed\n        }\n        seats {\n          seat {\n            id\n            name\n          }\n          seatName\n          action\n          state\n          percent\n          error\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetInstallRecord($id: ID!) {\n    installRecord(id: $id) {\n      id\n      status\n      error\n      createdAt\n      startedAt\n      finishedAt\n      installSeatNames\n      uninstallSeatNames\n      segment {\n        id\n      }\n      log {\n        status\n        percent\n        summary {\n          total\n          succeeded\n          failed\n        }\n        seats {\n          seat {\n            id\n            name\n          }\n          seatName\n          action\n          state\n          percent\n          error\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentSeats($id: ID!) {\n    segment(id: $id) {\n      id\n      seats {\n        id\n        name\n        ip\n      }\n      installRecords {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentSeats($id: ID!) {\n    segment(id: $id) {\n      id\n      seats {\n        id\n        name\n        ip\n      }\n      installRecords {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSegmentSeats($id: ID!) {\n    refreshSegmentSeats(id: $id) {\n      __typename\n      ... on RefreshSegmentSeatsSuccess {\n        versions {\n          id\n          version\n          seats {\n            name\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSegmentSeats($id: ID!) {\n    refreshSegmentSeats(id: $id) {\n      __typename\n      ... on RefreshSegmentSeatsSuccess {\n        versions {\n          id\n          version\n          seats {\n            name\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstallProgress($id: ID!) {\n    installRecord(id: $id) {\n      status\n      log {\n        percent\n        summary {\n          total\n          pending\n          running\n          succeeded\n          failed\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InstallProgress($id: ID!) {\n    installRecord(id: $id) {\n      status\n      log {\n        percent\n        summary {\n          total\n          pending\n          running\n          succeeded\n          failed\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SegmentSeatsUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      deleted\n      seats {\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription SegmentSeatsUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      deleted\n      seats {\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SeatFields on Seat {\n    id\n    name\n    ip\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment SeatFields on Seat {\n    id\n    name\n    ip\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpsertSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          ...SeatFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidInputError {\n        field\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpsertSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          ...SeatFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidInputError {\n        field\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSeats($ids: [ID!]!) {\n    deleteSeats(ids: $ids) {\n      __typename\n      ... on DeleteSeatsSuccess {\n        deletedIds\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SeatNotFoundError {\n        seatIds\n      }\n      ... on SeatInUseError {\n        seatName\n        segmentIds\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSeats($ids: [ID!]!) {\n    deleteSeats(ids: $ids) {\n      __typename\n      ... on DeleteSeatsSuccess {\n        deletedIds\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SeatNotFoundError {\n        seatIds\n      }\n      ... on SeatInUseError {\n        seatName\n        segmentIds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListSeats($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...SeatFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListSeats($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...SeatFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeatNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Seat {\n        name\n        ip\n      }\n    }\n  }\n"): (typeof documents)["\n  query SeatNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Seat {\n        name\n        ip\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoCanRead {\n    version\n    seats(first: 1) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query WhoCanRead {\n    version\n    seats(first: 1) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSeat($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on Error {\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddSeat($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on Error {\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditTrail($first: Int, $after: String) {\n    auditLog(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          actor {\n            id\n            role\n          }\n          operationName\n          field\n          arguments\n          outcome\n          resultType\n          errorCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditTrail($first: Int, $after: String) {\n    auditLog(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          actor {\n            id\n            role\n          }\n          operationName\n          field\n          arguments\n          outcome\n          resultType\n          errorCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AllSegmentUpdates {\n    segmentUpdated {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription AllSegmentUpdates {\n    segmentUpdated {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          id\n          deleteStatus\n          deleteError\n          deleteAttempts\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SegmentInstalledError {\n        seatCount\n        installRunning\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          id\n          deleteStatus\n          deleteError\n          deleteAttempts\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on SegmentInstalledError {\n        seatCount\n        installRunning\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentDeleteState($id: ID!) {\n    segment(id: $id) {\n      id\n      deleteStatus\n      deleteError\n      deleteAttempts\n      deleteNextAttemptAt\n      deleted\n    }\n  }\n"): (typeof documents)["\n  query SegmentDeleteState($id: ID!) {\n    segment(id: $id) {\n      id\n      deleteStatus\n      deleteError\n      deleteAttempts\n      deleteNextAttemptAt\n      deleted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SegmentDeleteUpdates($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      name\n      sha256\n      deleteStatus\n      deleted\n    }\n  }\n"): (typeof documents)["\n  subscription SegmentDeleteUpdates($id: ID) {\n    segmentUpdated(id: $id) {\n      id\n      name\n      sha256\n      deleteStatus\n      deleted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RemoteSyncReportFields on RemoteSyncReport {\n    target\n    startedAt\n    finishedAt\n    added {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n        isLocal\n        sha256\n        sync {\n          status\n        }\n        remoteExtra {\n          uid\n        }\n      }\n    }\n    removed {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n      }\n    }\n    failed {\n      uid\n      name\n      version\n      reason\n    }\n    addedCount\n    removedCount\n    failedCount\n    error\n  }\n"): (typeof documents)["\n  fragment RemoteSyncReportFields on RemoteSyncReport {\n    target\n    startedAt\n    finishedAt\n    added {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n        isLocal\n        sha256\n        sync {\n          status\n        }\n        remoteExtra {\n          uid\n        }\n      }\n    }\n    removed {\n      id\n      name\n      version\n      uid\n      segment {\n        id\n      }\n    }\n    failed {\n      uid\n      name\n      version\n      reason\n    }\n    addedCount\n    removedCount\n    failedCount\n    error\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncRemote($target: SdpTarget) {\n    syncRemote(target: $target) {\n      __typename\n      ... on SyncRemoteSuccess {\n        report {\n          ...RemoteSyncReportFields\n        }\n        reports {\n          ...RemoteSyncReportFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SyncRemote($target: SdpTarget) {\n    syncRemote(target: $target) {\n      __typename\n      ... on SyncRemoteSuccess {\n        report {\n          ...RemoteSyncReportFields\n        }\n        reports {\n          ...RemoteSyncReportFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RemoteSyncReports {\n    remoteSyncReports {\n      ...RemoteSyncReportFields\n    }\n  }\n"): (typeof documents)["\n  query RemoteSyncReports {\n    remoteSyncReports {\n      ...RemoteSyncReportFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n"): (typeof documents)["\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n"): (typeof documents)["\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n"): (typeof documents)["\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListSegments($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          version\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListSegments($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          version\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListSegmentsDeep($first: Int) {\n    segments(first: $first) {\n      edges {\n        node {\n          id\n          installedSeatCount\n          seats {\n            name\n            ip\n          }\n          versions {\n            id\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListSegmentsDeep($first: Int) {\n    segments(first: $first) {\n      edges {\n        node {\n          id\n          installedSeatCount\n          seats {\n            name\n            ip\n          }\n          versions {\n            id\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;