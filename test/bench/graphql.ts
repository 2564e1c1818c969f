import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { httpGraphQL } from '../support/harness/graphql-client.js';

/**
 * The bench's operations are plain strings, not `graphql()` documents: codegen would otherwise pick
 * them up into `test/generated/`, and the bench must not change what the tests compile against.
 */
export function document<TData>(query: string): TypedDocumentNode<TData, Record<string, unknown>> {
  return parse(query) as TypedDocumentNode<TData, Record<string, unknown>>;
}

/** An HTTP GraphQL request that must succeed without errors; resolves with its data. */
export async function gql<TData>(
  url: string,
  doc: TypedDocumentNode<TData, Record<string, unknown>>,
  variables?: Record<string, unknown>,
): Promise<TData> {
  const result = await httpGraphQL(url, doc, variables);
  if (result.errors?.length || !result.data)
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export const DELETE_SEGMENT = document<{ deleteSegment: { __typename: string } }>(
  `mutation BenchDelete($id: ID!) { deleteSegment(id: $id) { __typename ... on Error { code message } } }`,
);

export const SEGMENT_GONE = document<{ segment: { id: string } | null }>(
  `query BenchSegmentGone($id: ID!) { segment(id: $id) { id } }`,
);
