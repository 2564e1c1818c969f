import { graphql } from '../../generated/gql.js';

/** The operations the seat label and group tests send, typed by `npm run codegen`. */

export const UpsertLabelledSeats = graphql(`
  mutation UpsertLabelledSeats($seats: [SeatInput!]!) {
    upsertSeats(seats: $seats) {
      __typename
      ... on UpsertSeatsSuccess {
        seats {
          name
          description
          labels {
            key
            value
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
      ... on InvalidLabelError {
        labelField: field
        key
      }
    }
  }
`);

export const SelectSeats = graphql(`
  query SelectSeats($first: Int, $after: String, $selector: String) {
    seats(first: $first, after: $after, selector: $selector) {
      totalCount
      edges {
        cursor
        node {
          name
          description
          labels {
            key
            value
          }
          groups
          segments {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SetSeatLabels = graphql(`
  mutation SetSeatLabels($seatIds: [ID!], $selector: String, $set: [LabelInput!], $remove: [String!]) {
    setSeatLabels(seatIds: $seatIds, selector: $selector, set: $set, remove: $remove) {
      __typename
      ... on SetSeatLabelsSuccess {
        matchedCount
        changedCount
      }
      ... on Error {
        code
        message
      }
      ... on InvalidSelectorError {
        position
        expected
      }
      ... on InvalidLabelError {
        labelField: field
      }
      ... on SeatNotFoundError {
        seatIds
      }
    }
  }
`);

export const UpsertSeatGroup = graphql(`
  mutation UpsertSeatGroup($input: SeatGroupInput!) {
    upsertSeatGroup(input: $input) {
      __typename
      ... on UpsertSeatGroupSuccess {
        group {
          name
          selector
          protected
          description
          seatCount
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidSelectorError {
        position
        expected
      }
      ... on InvalidInputError {
        field
      }
    }
  }
`);

export const DeleteSeatGroup = graphql(`
  mutation DeleteSeatGroup($name: String!) {
    deleteSeatGroup(name: $name) {
      __typename
      ... on DeleteSeatGroupSuccess {
        name
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const GetSeatGroup = graphql(`
  query GetSeatGroup($name: String!, $first: Int, $after: String) {
    seatGroup(name: $name) {
      name
      selector
      protected
      description
      seatCount
      seats(first: $first, after: $after) {
        totalCount
        edges {
          cursor
          node {
            name
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

export const ListSeatGroups = graphql(`
  query ListSeatGroups {
    seatGroups {
      name
      selector
      protected
      seatCount
    }
  }
`);

export const InstallOnGroupSeats = graphql(`
  mutation InstallOnGroupSeats($id: ID!, $seatIds: [ID!]!) {
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
      ... on SegmentNotReleasedError {
        seatIds
        groups
      }
    }
  }
`);

export const GroupDesiredVersions = graphql(`
  query GroupDesiredVersions($name: String!) {
    seatGroup(name: $name) {
      desiredVersions {
        name
        version
        drift
        convergeError
      }
    }
  }
`);
