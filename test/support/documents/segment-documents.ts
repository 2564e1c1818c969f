import { graphql } from '../../generated/gql.js';

/** The operations the segment tests send, typed by `npm run codegen`. */

export const SegmentFields = graphql(`
  fragment SegmentFields on Segment {
    id
    name
    version
    format
    target
    fileName
    size
    sha256
    description
    metadata
    isLocal
    createdAt
    sync {
      status
      attempts
      lastError
      lastAttemptAt
      syncedAt
      nextAttemptAt
    }
    remoteExtra {
      uid
    }
    deleteStatus
  }
`);

export const UploadSegment = graphql(`
  mutation UploadSegment($file: Upload!) {
    uploadSegment(file: $file) {
      __typename
      ... on UploadSegmentSuccess {
        segment {
          ...SegmentFields
        }
      }
      ... on Error {
        code
        message
      }
      ... on InvalidSegmentFileError {
        reason
      }
    }
  }
`);

export const GetSegment = graphql(`
  query GetSegment($id: ID!) {
    segment(id: $id) {
      ...SegmentFields
    }
  }
`);

export const GetNode = graphql(`
  query GetNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Segment {
        name
        version
      }
    }
  }
`);

export const SegmentExists = graphql(`
  query SegmentExists($name: String!, $version: String!) {
    segmentExists(name: $name, version: $version)
  }
`);

export const SegmentVersions = graphql(`
  query SegmentVersions($id: ID!) {
    segmentVersions(id: $id) {
      version
    }
  }
`);

export const RetrySegmentSync = graphql(`
  mutation RetrySegmentSync($id: ID!) {
    retrySegmentSync(id: $id) {
      __typename
      ... on RetrySegmentSyncSuccess {
        segment {
          ...SegmentFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SegmentUpdated = graphql(`
  subscription SegmentUpdated($id: ID) {
    segmentUpdated(id: $id) {
      ...SegmentFields
    }
  }
`);
