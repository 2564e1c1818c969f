import { graphql } from '../generated/gql.js';

/** Reading staged rollouts (SPEC-FLEET section 2), typed by `npm run codegen`. */

export const RolloutViewFields = graphql(`
  fragment RolloutViewFields on Rollout {
    id
    segmentName
    version
    group
    selector
    state
    currentWave
    percent
    pausedReason
    pausedCause
    error
    createdBy
    createdAt
    startedAt
    finishedAt
    nextWaveAt
    maxFailurePercent
    onFailure
    waves {
      index
      seatCount
      state
      succeeded
      failed
      soakSeconds
      soakUntil
      requireApproval
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
    rollback {
      by
      reason
      steps
      stepsDone
    }
    approvals {
      wave
      by
      at
      note
    }
    events {
      at
      by
      kind
      message
    }
  }
`);

export const RolloutById = graphql(`
  query RolloutById($id: ID!) {
    rollout(id: $id) {
      ...RolloutViewFields
    }
  }
`);

export const RolloutLive = graphql(`
  subscription RolloutLive($id: ID!) {
    rolloutUpdated(id: $id) {
      ...RolloutViewFields
    }
  }
`);

export const RolloutSeatsPage = graphql(`
  query RolloutSeatsPage($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {
    rollout(id: $id) {
      id
      seats(first: $first, after: $after, state: $state) {
        totalCount
        nodes {
          seatName
          wave
          state
          attempts
          fromVersions
          error
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const RolloutsPage = graphql(`
  query RolloutsPage($first: Int, $after: String, $filter: RolloutFilter) {
    rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {
      nodes {
        id
        segmentName
        version
        group
        selector
        state
        percent
        createdBy
        createdAt
        finishedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SyncedSegmentChoices = graphql(`
  query SyncedSegmentChoices {
    segments(first: 200, filter: { syncStatus: SYNCED, deleteStatus: NONE }) {
      edges {
        node {
          id
          name
          version
        }
      }
    }
  }
`);

export const PreviewRolloutSizes = graphql(`
  query PreviewRolloutSizes($input: RolloutInput!) {
    previewRollout(input: $input) {
      seatCount
      skipped
      firstWindowAt
      waves {
        index
        seatCount
      }
    }
  }
`);
