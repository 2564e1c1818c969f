import { graphql } from '../../generated/gql.js';

/** The operations the download tests send, typed by `npm run codegen`. */

export const SegmentDownloadUrl = graphql(`
  query SegmentDownloadUrl($id: ID!, $ttlSeconds: Int) {
    segment(id: $id) {
      id
      downloadUrl(ttlSeconds: $ttlSeconds)
    }
  }
`);

export const DownloadAuditLog = graphql(`
  query DownloadAuditLog {
    auditLog(first: 20) {
      edges {
        node {
          actor {
            id
            role
          }
          field
          arguments
          outcome
          errorCode
        }
      }
    }
  }
`);
