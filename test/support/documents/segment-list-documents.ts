import { graphql } from '../../generated/gql.js';

/** The list operations a front end sends, typed by `npm run codegen`. */

export const ListSegments = graphql(`
  query ListSegments($first: Int, $after: String, $filter: SegmentFilter) {
    segments(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          version
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

export const ListSegmentsDeep = graphql(`
  query ListSegmentsDeep($first: Int) {
    segments(first: $first) {
      edges {
        node {
          id
          installedSeatCount
          seats {
            name
            ip
          }
          versions {
            id
          }
        }
      }
    }
  }
`);
