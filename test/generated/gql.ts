/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ServerVersion {\n    version\n  }\n": typeof types.ServerVersionDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n": typeof types.SegmentFieldsFragmentDoc,
    "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n": typeof types.UploadSegmentDocument,
    "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": typeof types.GetSegmentDocument,
    "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n": typeof types.GetNodeDocument,
    "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n": typeof types.SegmentExistsDocument,
    "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n": typeof types.SegmentVersionsDocument,
    "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RetrySegmentSyncDocument,
    "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n": typeof types.SegmentUpdatedDocument,
};
const documents: Documents = {
    "\n  query ServerVersion {\n    version\n  }\n": types.ServerVersionDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n": types.SegmentFieldsFragmentDoc,
    "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n": types.UploadSegmentDocument,
    "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": types.GetSegmentDocument,
    "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n": types.GetNodeDocument,
    "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n": types.SegmentExistsDocument,
    "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n": types.SegmentVersionsDocument,
    "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RetrySegmentSyncDocument,
    "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n": types.SegmentUpdatedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerVersion {\n    version\n  }\n"): (typeof documents)["\n  query ServerVersion {\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n"): (typeof documents)["\n  fragment SegmentFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    sha256\n    description\n    metadata\n    isLocal\n    createdAt\n    sync {\n      status\n      attempts\n      lastError\n      lastAttemptAt\n      syncedAt\n      nextAttemptAt\n    }\n    remoteExtra {\n      uid\n    }\n    deleteStatus\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UploadSegment($file: Upload!) {\n    uploadSegment(file: $file) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InvalidSegmentFileError {\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  query GetSegment($id: ID!) {\n    segment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Segment {\n        name\n        version\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n"): (typeof documents)["\n  query SegmentExists($name: String!, $version: String!) {\n    segmentExists(name: $name, version: $version)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n"): (typeof documents)["\n  query SegmentVersions($id: ID!) {\n    segmentVersions(id: $id) {\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RetrySegmentSync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  subscription SegmentUpdated($id: ID) {\n    segmentUpdated(id: $id) {\n      ...SegmentFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;