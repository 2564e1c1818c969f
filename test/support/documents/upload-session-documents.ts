import { graphql } from '../../generated/gql.js';

/** The operations the upload-session tests send, typed by `npm run codegen`. */

export const CreateUploadSession = graphql(`
  mutation CreateUploadSession($input: UploadSessionInput!) {
    createUploadSession(input: $input) {
      __typename
      ... on CreateUploadSessionSuccess {
        session {
          id
          uploadUrl
          token
          expiresAt
          offset
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RenewUploadSession = graphql(`
  mutation RenewUploadSession($id: ID!) {
    renewUploadSession(id: $id) {
      __typename
      ... on RenewUploadSessionSuccess {
        session {
          id
          uploadUrl
          token
          expiresAt
          offset
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const CompleteUploadSession = graphql(`
  mutation CompleteUploadSession($id: ID!) {
    completeUploadSession(id: $id) {
      __typename
      ... on UploadSegmentSuccess {
        segment {
          id
          name
          version
          size
          sha256
          fileName
        }
      }
      ... on ChecksumMismatchError {
        declared
        actual
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const UploadAuditLog = graphql(`
  query UploadAuditLog {
    auditLog(first: 50) {
      edges {
        node {
          field
          arguments
          outcome
          errorCode
        }
      }
    }
  }
`);
