import { graphql } from '../../generated/gql.js';

/** The operations the trust gate tests send (SPEC-FLEET section 3 meeting installs and rollouts). */

export const RolloutTrustState = graphql(`
  query RolloutTrustState($id: ID!) {
    rollout(id: $id) {
      id
      state
      pausedCause
      pausedReason
      error
      waves {
        state
      }
    }
  }
`);

export const CreateTrustedRollout = graphql(`
  mutation CreateTrustedRollout($input: RolloutInput!) {
    createRollout(input: $input) {
      __typename
      ... on CreateRolloutSuccess {
        rollout {
          id
        }
      }
      ... on SegmentNotReleasedError {
        seatIds
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SegmentLifecycle = graphql(`
  query SegmentLifecycle($id: ID!) {
    segment(id: $id) {
      id
      lifecycle
      releasedBy
      signatureStatus
      integrity {
        status
      }
    }
  }
`);

export const RevokeAndRejudge = graphql(`
  mutation RevokeAndRejudge($keyId: String!, $reason: String!) {
    revokeSigningKey(keyId: $keyId, reason: $reason) {
      __typename
      ... on RevokeSigningKeySuccess {
        signedSegmentCount
        signedSegments {
          id
          signatureStatus
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);
