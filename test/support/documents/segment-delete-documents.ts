import { graphql } from '../../generated/gql.js';

/** The operations the delete and remote-sync tests send, typed by `npm run codegen`. */

export const DeleteSegment = graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id) {
      __typename
      ... on DeleteSegmentSuccess {
        segment {
          id
          deleteStatus
          deleteError
          deleteAttempts
        }
      }
      ... on Error {
        code
        message
      }
      ... on SegmentInstalledError {
        seatCount
        installRunning
      }
    }
  }
`);

export const SegmentDeleteState = graphql(`
  query SegmentDeleteState($id: ID!) {
    segment(id: $id) {
      id
      deleteStatus
      deleteError
      deleteAttempts
      deleteNextAttemptAt
      deleted
    }
  }
`);

export const SegmentDeleteUpdates = graphql(`
  subscription SegmentDeleteUpdates($id: ID) {
    segmentUpdated(id: $id) {
      id
      name
      sha256
      deleteStatus
      deleted
    }
  }
`);

export const RemoteSyncReportFields = graphql(`
  fragment RemoteSyncReportFields on RemoteSyncReport {
    target
    startedAt
    finishedAt
    added {
      id
      name
      version
      uid
      segment {
        id
        isLocal
        sha256
        sync {
          status
        }
        remoteExtra {
          uid
        }
      }
    }
    removed {
      id
      name
      version
      uid
      segment {
        id
      }
    }
    failed {
      uid
      name
      version
      reason
    }
    addedCount
    removedCount
    failedCount
    error
  }
`);

export const SyncRemote = graphql(`
  mutation SyncRemote($target: SdpTarget) {
    syncRemote(target: $target) {
      __typename
      ... on SyncRemoteSuccess {
        report {
          ...RemoteSyncReportFields
        }
        reports {
          ...RemoteSyncReportFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RemoteSyncReports = graphql(`
  query RemoteSyncReports {
    remoteSyncReports {
      ...RemoteSyncReportFields
    }
  }
`);
