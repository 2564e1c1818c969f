import type { TypedDocumentString } from '../generated/graphql.js';
import { authHeaders } from './token.js';

/** The GraphQL endpoint of the seghub that served this page. */
export const GRAPHQL_PATH = '/graphql';

/** A request that got no data: the network, the server or the operation failed. */
export class RequestError extends Error {
  override name = 'RequestError';
  /** The `code` extension of the first error, when seghub gave one (e.g. INVALID_INPUT). */
  code?: string;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: unknown } }>;
}

/** Sends a query or mutation over HTTP and answers its data, or throws a RequestError in words. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...authHeaders(),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RequestError('seghub cannot be reached; retrying when it is back.');
  }
  return readResult<TResult>(response.status, await response.text());
}

/** Turns an HTTP answer to a GraphQL request into its data. */
export function readResult<TResult>(status: number, body: string): TResult {
  let parsed: GraphQLResponse<TResult>;
  try {
    parsed = JSON.parse(body) as GraphQLResponse<TResult>;
  } catch {
    throw new RequestError(`seghub answered ${status} without a GraphQL result.`);
  }
  if (parsed.errors?.length) {
    const error = new RequestError(parsed.errors.map((e) => e.message).join('; '));
    const code = parsed.errors[0]?.extensions?.code;
    if (typeof code === 'string') error.code = code;
    throw error;
  }
  if (!parsed.data) throw new RequestError(`seghub answered ${status} with no data.`);
  return parsed.data;
}
