import { graphql } from '../generated/gql.js';

/** Every operation the dashboard sends, typed by `npm run codegen:graphql`. */

export const SegmentRowFields = graphql(`
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
`);

export const LogProgressFields = graphql(`
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
`);

export const InstallSeatFields = graphql(`
  fragment InstallSeatFields on InstallLogSeat {
    seatName
    action
    state
    percent
    error
  }
`);

export const InstallRecordFields = graphql(`
  fragment InstallRecordFields on InstallRecord {
    id
    status
    error
    createdAt
    finishedAt
    installSeatNames
    uninstallSeatNames
  }
`);

export const SegmentDetail = graphql(`
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
`);

export const SegmentChanged = graphql(`
  subscription SegmentChanged {
    segmentUpdated {
      ...SegmentRowFields
    }
  }
`);

export const CreateUploadSession = graphql(`
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
`);

export const RenewUploadSession = graphql(`
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
`);

export const CompleteUploadSession = graphql(`
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
`);

export const DeleteSegmentById = graphql(`
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
`);

export const RetrySync = graphql(`
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
`);

export const SeatsPage = graphql(`
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
`);

export const AddSeats = graphql(`
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
`);

export const StartInstall = graphql(`
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
`);

export const InstallRecordLog = graphql(`
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
`);

export const InstallLogLive = graphql(`
  subscription InstallLogLive($recordId: ID!) {
    installLogUpdated(recordId: $recordId) {
      ...LogProgressFields
      changedSeats {
        ...InstallSeatFields
      }
    }
  }
`);

export const SegmentsPage = graphql(`
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
`);
