import { graphql } from '../generated/gql.js';

/** A fresh download URL for one segment: asked for on each click, as its token is short-lived. */
export const SegmentDownloadLink = graphql(`
  query SegmentDownloadLink($id: ID!) {
    segment(id: $id) {
      id
      downloadUrl
    }
  }
`);
