import { graphql } from '../generated/gql.js';

/**
 * Signed segments and the release lifecycle (SPEC-FLEET section 3): the fields the segment pages
 * show, the lifecycle and keyring mutations. Each mutation answers a result union whose errors
 * carry `code` and `message`.
 */

/** What a row of the segments table shows: the lifecycle and whether the stored file was tampered with. */
export const SegmentBadgeFields = graphql(`
  fragment SegmentBadgeFields on Segment {
    lifecycle
    integrity {
      status
      checkedAt
      reason
    }
  }
`);

/** Everything the trust part of a segment's detail shows. */
export const SegmentTrustViewFields = graphql(`
  fragment SegmentTrustViewFields on Segment {
    id
    ...SegmentBadgeFields
    signatureStatus
    signatures {
      keyId
      signedAt
      valid
      reason
      key {
        label
        keyId
      }
    }
    promotion {
      tested
      testedAt
      testSeats
      reasons
    }
    releasedAt
    releasedBy
    releaseNote
    deprecatedReason
  }
`);

export const MarkSegmentTestedRequest = graphql(`
  mutation MarkSegmentTestedRequest($id: ID!, $reason: String!) {
    markSegmentTested(id: $id, reason: $reason) {
      __typename
      ... on MarkSegmentTestedSuccess {
        segment {
          ...SegmentTrustViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ReleaseSegmentRequest = graphql(`
  mutation ReleaseSegmentRequest($id: ID!, $note: String) {
    releaseSegment(id: $id, note: $note) {
      __typename
      ... on ReleaseSegmentSuccess {
        segment {
          ...SegmentTrustViewFields
        }
      }
      ... on SegmentNotTestedError {
        reasons
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const DeprecateSegmentRequest = graphql(`
  mutation DeprecateSegmentRequest($id: ID!, $reason: String!) {
    deprecateSegment(id: $id, reason: $reason) {
      __typename
      ... on DeprecateSegmentSuccess {
        segment {
          ...SegmentTrustViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const VerifySegmentFileRequest = graphql(`
  mutation VerifySegmentFileRequest($id: ID!) {
    verifySegmentFile(id: $id) {
      __typename
      ... on VerifySegmentFileSuccess {
        segment {
          ...SegmentTrustViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SigningKeyRowFields = graphql(`
  fragment SigningKeyRowFields on SigningKey {
    keyId
    algorithm
    label
    addedAt
    notAfter
    revokedAt
    revokeReason
  }
`);

export const SigningKeyList = graphql(`
  query SigningKeyList {
    signingKeys {
      ...SigningKeyRowFields
    }
  }
`);

export const AddSigningKeyRequest = graphql(`
  mutation AddSigningKeyRequest($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {
    addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {
      __typename
      ... on AddSigningKeySuccess {
        key {
          ...SigningKeyRowFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RevokeSigningKeyRequest = graphql(`
  mutation RevokeSigningKeyRequest($keyId: String!, $reason: String!) {
    revokeSigningKey(keyId: $keyId, reason: $reason) {
      __typename
      ... on RevokeSigningKeySuccess {
        key {
          ...SigningKeyRowFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);
