import { graphql } from '../../generated/gql.js';

/** The operations the seat tests send, typed by `npm run codegen`. */

export const SeatFields = graphql(`
  fragment SeatFields on Seat {
    id
    name
    ip
    createdAt
    updatedAt
  }
`);

export const UpsertSeats = graphql(`
  mutation UpsertSeats($seats: [SeatInput!]!) {
    upsertSeats(seats: $seats) {
      __typename
      ... on UpsertSeatsSuccess {
        seats {
          ...SeatFields
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

export const DeleteSeats = graphql(`
  mutation DeleteSeats($ids: [ID!]!) {
    deleteSeats(ids: $ids) {
      __typename
      ... on DeleteSeatsSuccess {
        deletedIds
      }
      ... on Error {
        code
        message
      }
      ... on SeatNotFoundError {
        seatIds
      }
      ... on SeatInUseError {
        seatName
        segmentIds
      }
    }
  }
`);

export const ListSeats = graphql(`
  query ListSeats($first: Int, $after: String) {
    seats(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...SeatFields
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const SeatNode = graphql(`
  query SeatNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Seat {
        name
        ip
      }
    }
  }
`);
