import { graphql } from '../../generated/gql.js';

/** The operations the security tests send, typed by `npm run codegen`. */

export const WhoCanRead = graphql(`
  query WhoCanRead {
    version
    seats(first: 1) {
      totalCount
    }
  }
`);

export const AddSeat = graphql(`
  mutation AddSeat($seats: [SeatInput!]!) {
    upsertSeats(seats: $seats) {
      __typename
      ... on Error {
        code
      }
    }
  }
`);

export const RetrySync = graphql(`
  mutation RetrySync($id: ID!) {
    retrySegmentSync(id: $id) {
      __typename
    }
  }
`);

export const AuditTrail = graphql(`
  query AuditTrail($first: Int, $after: String) {
    auditLog(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          actor {
            id
            role
          }
          operationName
          field
          arguments
          outcome
          resultType
          errorCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);

export const AllSegmentUpdates = graphql(`
  subscription AllSegmentUpdates {
    segmentUpdated {
      id
    }
  }
`);
