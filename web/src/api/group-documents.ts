import { graphql } from '../generated/gql.js';

/** Seat labels and seat groups (SPEC-FLEET section 1), typed by `npm run codegen`. */

export const LabelledSeatsPage = graphql(`
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
`);

export const RelabelSeats = graphql(`
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
`);

export const SeatGroupList = graphql(`
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
`);

export const SeatGroupMembers = graphql(`
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
`);

export const SaveSeatGroup = graphql(`
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
`);

export const SeatIdsBySelector = graphql(`
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
`);

export const GroupSeatIds = graphql(`
  query GroupSeatIds($name: String!, $after: String) {
    seatGroup(name: $name) {
      # Nested lists cost more under the query-cost limit than top-level ones: smaller pages.
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
`);
