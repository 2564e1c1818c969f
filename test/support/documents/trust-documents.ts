import { graphql } from '../../generated/gql.js';

/** The operations the signed-segment and release lifecycle API tests send, typed by `npm run codegen`. */

export const SigningKeyFields = graphql(`
  fragment SigningKeyFields on SigningKey {
    keyId
    algorithm
    label
    publicKeyPem
    addedAt
    addedBy
    notAfter
    revokedAt
    revokedBy
    revokeReason
  }
`);

export const SegmentTrustFields = graphql(`
  fragment SegmentTrustFields on Segment {
    id
    name
    version
    sha256
    size
    lifecycle
    signatureStatus
    signatures {
      key {
        keyId
        label
        algorithm
      }
      keyId
      signature
      signedAt
      addedBy
      valid
      reason
    }
    promotion {
      tested
      testedAt
      testSeats
      reasons
    }
    testedBy
    releasedAt
    releasedBy
    releaseNote
    deprecatedAt
    deprecatedReason
    integrity {
      status
      checkedAt
      reason
    }
  }
`);

export const SigningKeys = graphql(`
  query SigningKeys {
    signingKeys {
      ...SigningKeyFields
    }
  }
`);

export const SegmentTrust = graphql(`
  query SegmentTrust($id: ID!) {
    segment(id: $id) {
      ...SegmentTrustFields
    }
  }
`);

export const AddSigningKey = graphql(`
  mutation AddSigningKey($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {
    addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {
      __typename
      ... on AddSigningKeySuccess {
        key {
          ...SigningKeyFields
        }
      }
      ... on InvalidKeyError {
        reason
      }
      ... on TooManySigningKeysError {
        limit
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RevokeSigningKey = graphql(`
  mutation RevokeSigningKey($keyId: String!, $reason: String!) {
    revokeSigningKey(keyId: $keyId, reason: $reason) {
      __typename
      ... on RevokeSigningKeySuccess {
        key {
          ...SigningKeyFields
        }
      }
      ... on KeyNotFoundError {
        keyId
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const AddSegmentSignature = graphql(`
  mutation AddSegmentSignature($id: ID!, $keyId: String!, $signature: String!) {
    addSegmentSignature(id: $id, keyId: $keyId, signature: $signature) {
      __typename
      ... on AddSegmentSignatureSuccess {
        segment {
          ...SegmentTrustFields
        }
      }
      ... on InvalidSignatureError {
        reason
      }
      ... on KeyNotFoundError {
        keyId
      }
      ... on KeyRevokedError {
        keyId
        revokedAt
      }
      ... on KeyExpiredError {
        keyId
        notAfter
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const MarkSegmentTested = graphql(`
  mutation MarkSegmentTested($id: ID!, $reason: String!) {
    markSegmentTested(id: $id, reason: $reason) {
      __typename
      ... on MarkSegmentTestedSuccess {
        segment {
          ...SegmentTrustFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ReleaseSegment = graphql(`
  mutation ReleaseSegment($id: ID!, $note: String) {
    releaseSegment(id: $id, note: $note) {
      __typename
      ... on ReleaseSegmentSuccess {
        segment {
          ...SegmentTrustFields
        }
      }
      ... on SegmentNotTestedError {
        segmentId
        reasons
      }
      ... on SignatureRequiredError {
        segmentId
        required
        valid
      }
      ... on FileTamperedError {
        segmentId
        reason
      }
      ... on SegmentDeprecatedError {
        segmentId
        reason
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const DeprecateSegment = graphql(`
  mutation DeprecateSegment($id: ID!, $reason: String!) {
    deprecateSegment(id: $id, reason: $reason) {
      __typename
      ... on DeprecateSegmentSuccess {
        segment {
          ...SegmentTrustFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const VerifySegmentFile = graphql(`
  mutation VerifySegmentFile($id: ID!) {
    verifySegmentFile(id: $id) {
      __typename
      ... on VerifySegmentFileSuccess {
        segment {
          ...SegmentTrustFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const InstallTrusted = graphql(`
  mutation InstallTrusted($id: ID!, $seatIds: [ID!]!) {
    installSegment(id: $id, seatIds: $seatIds) {
      __typename
      ... on InstallSegmentSuccess {
        record {
          id
        }
      }
      ... on SegmentDeprecatedError {
        segmentId
        reason
      }
      ... on FileTamperedError {
        segmentId
        reason
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const TrustSegmentPage = graphql(`
  query TrustSegmentPage($nameContains: String!) {
    segments(filter: { nameContains: $nameContains }) {
      edges {
        node {
          name
          signatureStatus
          signatures {
            keyId
            valid
          }
        }
      }
    }
  }
`);
