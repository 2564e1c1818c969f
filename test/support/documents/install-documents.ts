import { graphql } from '../../generated/gql.js';

/** The operations the install tests send, typed by `npm run codegen`. */

export const InstallLogFields = graphql(`
  fragment InstallLogFields on InstallLog {
    recordId
    status
    percent
    updatedAt
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
    changedSeats {
      seatName
      action
      state
      percent
      error
    }
  }
`);

export const InstallSegment = graphql(`
  mutation InstallSegment($id: ID!, $seatIds: [ID!]!) {
    installSegment(id: $id, seatIds: $seatIds) {
      __typename
      ... on InstallSegmentSuccess {
        record {
          id
          status
          installSeatNames
          uninstallSeatNames
        }
      }
      ... on SegmentNotSyncedError {
        status
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const InstallLogUpdated = graphql(`
  subscription InstallLogUpdated($recordId: ID!) {
    installLogUpdated(recordId: $recordId) {
      ...InstallLogFields
    }
  }
`);

export const GetInstallRecord = graphql(`
  query GetInstallRecord($id: ID!) {
    installRecord(id: $id) {
      id
      status
      error
      createdAt
      startedAt
      finishedAt
      installSeatNames
      uninstallSeatNames
      segment {
        id
      }
      log {
        status
        percent
        summary {
          total
          succeeded
          failed
        }
        seats {
          seat {
            id
            name
          }
          seatName
          action
          state
          percent
          error
        }
      }
    }
  }
`);

export const SegmentSeats = graphql(`
  query SegmentSeats($id: ID!) {
    segment(id: $id) {
      id
      seats {
        id
        name
        ip
      }
      installRecords {
        id
        status
      }
    }
  }
`);

export const RefreshSegmentSeats = graphql(`
  mutation RefreshSegmentSeats($id: ID!) {
    refreshSegmentSeats(id: $id) {
      __typename
      ... on RefreshSegmentSeatsSuccess {
        versions {
          id
          version
          seats {
            name
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const InstallProgress = graphql(`
  query InstallProgress($id: ID!) {
    installRecord(id: $id) {
      status
      log {
        percent
        summary {
          total
          pending
          running
          succeeded
          failed
        }
      }
    }
  }
`);

export const SegmentSeatsUpdated = graphql(`
  subscription SegmentSeatsUpdated($id: ID) {
    segmentUpdated(id: $id) {
      id
      deleted
      seats {
        name
      }
    }
  }
`);
