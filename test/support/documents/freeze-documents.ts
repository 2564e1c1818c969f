import { graphql } from '../../generated/gql.js';

/** The operations the group freeze tests send, typed by `npm run codegen`. */

export const FreezeGroup = graphql(`
  mutation FreezeGroup($name: String!, $reason: String!, $until: DateTime) {
    freezeGroup(name: $name, reason: $reason, until: $until) {
      __typename
      ... on FreezeGroupSuccess {
        group {
          name
          updatedAt
          frozen {
            reason
            until
            by
            at
          }
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

export const UnfreezeGroup = graphql(`
  mutation UnfreezeGroup($name: String!) {
    unfreezeGroup(name: $name) {
      __typename
      ... on UnfreezeGroupSuccess {
        group {
          name
          updatedAt
          frozen {
            reason
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

export const GroupFrozenState = graphql(`
  query GroupFrozenState($name: String!) {
    seatGroup(name: $name) {
      name
      selector
      frozen {
        reason
        until
        by
        at
      }
    }
  }
`);

export const InstallOnFrozenSeats = graphql(`
  mutation InstallOnFrozenSeats($id: ID!, $seatIds: [ID!]!) {
    installSegment(id: $id, seatIds: $seatIds) {
      __typename
      ... on InstallSegmentSuccess {
        record {
          id
        }
      }
      ... on Error {
        code
        message
      }
      ... on GroupFrozenError {
        group
        reason
        until
      }
    }
  }
`);

export const InstallRecordTimes = graphql(`
  query InstallRecordTimes($id: ID!) {
    segment(id: $id) {
      installRecords {
        id
        createdAt
        installSeatNames
        origin {
          kind
        }
      }
    }
  }
`);
