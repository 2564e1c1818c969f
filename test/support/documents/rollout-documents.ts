import { graphql } from '../../generated/gql.js';

/** The operations the staged rollout API tests send, typed by `npm run codegen`. */

export const RolloutFields = graphql(`
  fragment RolloutFields on Rollout {
    id
    segmentName
    version
    group
    selector
    state
    currentWave
    percent
    waves {
      index
      seatCount
      state
      succeeded
      failed
      soakSeconds
      requireApproval
      startedAt
      finishedAt
      soakUntil
    }
    summary {
      total
      pending
      running
      succeeded
      failed
      timedOut
      rolledBack
      notReverted
      skipped
    }
    pausedReason
    pausedCause
    createdBy
    approvals {
      wave
      by
      note
    }
    events {
      at
      kind
      message
      by
    }
    maxFailurePercent
    onFailure
    seatTimeoutSeconds
    seatRetries
    upgradeOrder
    maintenanceWindow {
      cron
      durationMinutes
      timeZone
    }
    createdAt
    startedAt
    finishedAt
    nextWaveAt
  }
`);

export const CreateRollout = graphql(`
  mutation CreateRollout($input: RolloutInput!) {
    createRollout(input: $input) {
      __typename
      ... on CreateRolloutSuccess {
        rollout {
          ...RolloutFields
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
      ... on NoMatchingSeatsError {
        target
      }
      ... on RolloutInProgressError {
        segmentName
        rolloutId
      }
      ... on GroupFrozenError {
        group
        reason
      }
    }
  }
`);

export const PreviewRollout = graphql(`
  query PreviewRollout($input: RolloutInput!) {
    previewRollout(input: $input) {
      seatCount
      skipped
      waves {
        index
        seatCount
      }
      firstWindowAt
    }
  }
`);

export const GetRollout = graphql(`
  query GetRollout($id: ID!, $first: Int, $state: RolloutSeatState) {
    rollout(id: $id) {
      ...RolloutFields
      seats(first: $first, state: $state) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          seatName
          seat {
            name
          }
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

export const ListRollouts = graphql(`
  query ListRollouts($first: Int, $after: String, $filter: RolloutFilter) {
    rollouts(first: $first, after: $after, filter: $filter) {
      nodes {
        id
        state
        group
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const NewestRollouts = graphql(`
  query NewestRollouts($first: Int, $after: String, $filter: RolloutFilter) {
    rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const PauseRollout = graphql(`
  mutation PauseRollout($id: ID!, $reason: String!) {
    pauseRollout(id: $id, reason: $reason) {
      __typename
      ... on PauseRolloutSuccess {
        rollout {
          id
          state
          pausedReason
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidInputError {
        field
      }
      ... on RolloutNotFoundError {
        rolloutId
      }
    }
  }
`);

export const CancelRollout = graphql(`
  mutation CancelRollout($id: ID!, $reason: String!) {
    cancelRollout(id: $id, reason: $reason) {
      __typename
      ... on CancelRolloutSuccess {
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

export const RolloutUpdated = graphql(`
  subscription RolloutUpdated($id: ID!) {
    rolloutUpdated(id: $id) {
      id
      state
      percent
      events {
        kind
      }
    }
  }
`);

export const ResultMembers = graphql(`
  query ResultMembers($name: String!) {
    __type(name: $name) {
      possibleTypes {
        name
      }
    }
  }
`);

export const GroupDesiredRollouts = graphql(`
  query GroupDesiredRollouts($name: String!) {
    seatGroup(name: $name) {
      desiredVersions {
        name
        version
        rollout {
          id
          state
        }
      }
    }
  }
`);
