import { createGraphQLError } from 'graphql-yoga';

/**
 * A request refused at the HTTP layer, before any GraphQL runs: its status, an UPPER_SNAKE code
 * clients branch on, and words that say what to change. Answered as a GraphQL-shaped body
 * (`{"errors":[{"message","extensions":{"code"}}]}`) so every GraphQL client can read it.
 */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * The media type follows the request's `Accept`, as the GraphQL-over-HTTP spec has it: a client that
 * accepts `application/graphql-response+json` (Apollo Client 4, graphql-ws's fetch peers) reads a
 * non-2xx answer of that type as GraphQL errors and shows their message and code; sent as plain
 * `application/json`, Apollo 4 reports only "Received status code 401".
 */
export function refusalResponse(
  fetchAPI: { Response: typeof Response },
  refusal: Refusal,
  request?: Request,
): Response {
  const accept = request?.headers.get('accept') ?? '';
  const type = accept.includes(GRAPHQL_RESPONSE) ? GRAPHQL_RESPONSE : 'application/json';
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }),
    { status: refusal.status, headers: { 'content-type': `${type}; charset=utf-8`, ...refusal.headers } },
  );
}

/** The same refusal thrown from inside Yoga (a request parser): Yoga answers it with its status. */
export function refusalError(refusal: Refusal) {
  return createGraphQLError(refusal.message, {
    extensions: {
      code: refusal.code,
      http: { status: refusal.status, ...(refusal.headers && { headers: { ...refusal.headers } }) },
    },
  });
}
