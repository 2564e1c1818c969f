import { graphql } from '../../generated/gql.js';

/** The operations the upgrade and desired-version tests send, typed by `npm run codegen`. */

export const InstallSegmentUpgrade = graphql(`
  mutation InstallSegmentUpgrade(
    $id: ID!
    $seatIds: [ID!]!
    $replaceOtherVersions: Boolean
    $upgradeOrder: UpgradeOrder
  ) {
    installSegment(
      id: $id
      seatIds: $seatIds
      replaceOtherVersions: $replaceOtherVersions
      upgradeOrder: $upgradeOrder
    ) {
      __typename
      ... on InstallSegmentSuccess {
        record {
          id
          status
          installSeatNames
          uninstallSeatNames
          replacesVersions {
            id
          }
          upgradeOrder
          origin {
            kind
          }
        }
      }
      ... on InstallInProgressError {
        recordId
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const InstallRecordSeats = graphql(`
  query InstallRecordSeats($id: ID!) {
    installRecord(id: $id) {
      id
      status
      origin {
        kind
        group
        attempt
      }
      log {
        status
        summary {
          total
          succeeded
          failed
        }
        seats {
          seatName
          state
          percent
          error
        }
      }
    }
  }
`);

export const SegmentUid = graphql(`
  query SegmentUid($id: ID!) {
    segment(id: $id) {
      id
      remoteExtra {
        uid
      }
    }
  }
`);

export const SetDesiredVersion = graphql(`
  mutation SetDesiredVersion($group: String!, $segmentId: ID!) {
    setDesiredVersion(group: $group, segmentId: $segmentId) {
      __typename
      ... on SetDesiredVersionSuccess {
        desiredVersion {
          name
          version
          setAt
          rollout {
            id
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

export const ClearDesiredVersion = graphql(`
  mutation ClearDesiredVersion($group: String!, $name: String!) {
    clearDesiredVersion(group: $group, name: $name) {
      __typename
      ... on ClearDesiredVersionSuccess {
        cleared
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const GroupDrift = graphql(`
  query GroupDrift($name: String!, $first: Int, $after: String) {
    seatGroup(name: $name) {
      name
      desiredVersions {
        name
        version
        drift
        convergeError
        segment {
          id
        }
        driftSeats(first: $first, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              seatName
              reason
              message
              attempts
              nextAttemptAt
            }
          }
        }
      }
    }
  }
`);

export const SegmentInstallOrigins = graphql(`
  query SegmentInstallOrigins($id: ID!) {
    segment(id: $id) {
      installRecords {
        id
        status
        installSeatNames
        origin {
          kind
          group
        }
      }
    }
  }
`);
