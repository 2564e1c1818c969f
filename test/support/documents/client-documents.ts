import { graphql } from '../../generated/gql.js';

/**
 * The operations the standard-client suite (`test/e2e/clients.test.ts`) sends through Apollo, urql,
 * graphql-request and graphql-ws, typed by `npm run codegen`. Errors are read through the `Error`
 * interface, as docs/clients.md advises: that is what Apollo's cache needs `possibleTypes` for.
 */

export const ClientUploadSegment = graphql(`
  mutation ClientUploadSegment($file: Upload!) {
    uploadSegment(file: $file) {
      __typename
      ... on UploadSegmentSuccess {
        segment {
          id
          name
          version
          format
          target
          sync {
            status
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

export const ClientSegmentUpdated = graphql(`
  subscription ClientSegmentUpdated($id: ID) {
    segmentUpdated(id: $id) {
      id
      deleted
      deleteStatus
      installedSeatCount
      sync {
        status
      }
      remoteExtra {
        uid
      }
    }
  }
`);

export const ClientSegments = graphql(`
  query ClientSegments($filter: SegmentFilter) {
    segments(filter: $filter) {
      totalCount
      edges {
        node {
          id
          name
          version
          format
          target
          sync {
            status
          }
        }
      }
    }
  }
`);

export const ClientUpsertSeats = graphql(`
  mutation ClientUpsertSeats($seats: [SeatInput!]!) {
    upsertSeats(seats: $seats) {
      __typename
      ... on UpsertSeatsSuccess {
        seats {
          id
          name
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ClientInstallSegment = graphql(`
  mutation ClientInstallSegment($id: ID!, $seatIds: [ID!]!) {
    installSegment(id: $id, seatIds: $seatIds) {
      __typename
      ... on InstallSegmentSuccess {
        record {
          id
          status
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ClientInstallLogUpdated = graphql(`
  subscription ClientInstallLogUpdated($recordId: ID!) {
    installLogUpdated(recordId: $recordId) {
      recordId
      status
      percent
      summary {
        total
        succeeded
        failed
      }
    }
  }
`);

export const ClientDeleteSegment = graphql(`
  mutation ClientDeleteSegment($id: ID!) {
    deleteSegment(id: $id) {
      __typename
      ... on DeleteSegmentSuccess {
        segment {
          id
          deleteStatus
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);
