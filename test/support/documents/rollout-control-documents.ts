import { graphql } from '../../generated/gql.js';

/** Operator actions on a rollout, and the rollout as the engine tests read it. */

export const ApproveRollout = graphql(`
  mutation ApproveRollout($id: ID!, $note: String) {
    approveRollout(id: $id, note: $note) {
      __typename
      ... on ApproveRolloutSuccess {
        rollout {
          id
          state
          approvals {
            wave
            by
            note
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ResumeRollout = graphql(`
  mutation ResumeRollout($id: ID!) {
    resumeRollout(id: $id) {
      __typename
      ... on ResumeRolloutSuccess {
        rollout {
          id
          state
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RollbackRollout = graphql(`
  mutation RollbackRollout($id: ID!, $reason: String!) {
    rollbackRollout(id: $id, reason: $reason) {
      __typename
      ... on RollbackRolloutSuccess {
        rollout {
          id
          state
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RolloutSeats = graphql(`
  query RolloutSeats($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {
    rollout(id: $id) {
      id
      state
      seats(first: $first, after: $after, state: $state) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          seatName
          wave
          fromVersions
          state
          attempts
          error
        }
      }
    }
  }
`);
