import { graphql } from '../generated/gql.js';

/** Creating and steering staged rollouts; each answers a result union (typed errors as members). */

export const CreateRolloutRequest = graphql(`
  mutation CreateRolloutRequest($input: RolloutInput!) {
    createRollout(input: $input) {
      __typename
      ... on CreateRolloutSuccess {
        rollout {
          id
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ApproveRolloutRequest = graphql(`
  mutation ApproveRolloutRequest($id: ID!, $note: String) {
    approveRollout(id: $id, note: $note) {
      __typename
      ... on ApproveRolloutSuccess {
        rollout {
          ...RolloutViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const PauseRolloutRequest = graphql(`
  mutation PauseRolloutRequest($id: ID!, $reason: String!) {
    pauseRollout(id: $id, reason: $reason) {
      __typename
      ... on PauseRolloutSuccess {
        rollout {
          ...RolloutViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ResumeRolloutRequest = graphql(`
  mutation ResumeRolloutRequest($id: ID!) {
    resumeRollout(id: $id) {
      __typename
      ... on ResumeRolloutSuccess {
        rollout {
          ...RolloutViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const CancelRolloutRequest = graphql(`
  mutation CancelRolloutRequest($id: ID!, $reason: String!) {
    cancelRollout(id: $id, reason: $reason) {
      __typename
      ... on CancelRolloutSuccess {
        rollout {
          ...RolloutViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RollbackRolloutRequest = graphql(`
  mutation RollbackRolloutRequest($id: ID!, $reason: String!) {
    rollbackRollout(id: $id, reason: $reason) {
      __typename
      ... on RollbackRolloutSuccess {
        rollout {
          ...RolloutViewFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);
