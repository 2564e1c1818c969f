import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { fetchExchange, subscriptionExchange, Client as UrqlClient } from '@urql/core';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { OperationTypeNode } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import generated from '../../../schema/possible-types.json' with { type: 'json' };

/**
 * The standard GraphQL clients, set up as docs/clients.md tells seghub's users to: the e2e suite
 * (`test/e2e/clients.test.ts`) proves those set-ups work. Keep the two in step: a change here is a
 * change to the documented set-up. `url` is seghub's `http://host:port/graphql`.
 */

/** Any value: CSRF prevention only checks that the header is there (src/server/csrf.ts). */
const CSRF_HEADER = { 'x-graphql-yoga-csrf': '1' };

const authorization = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

/** docs/clients.md, "graphql-ws": one WebSocket for every subscription, the token in `connection_init`. */
export function graphqlWsClient(url: string, token?: string) {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket, // Node 20 has no global WebSocket (22 and browsers do)
    connectionParams: () => authorization(token),
  });
}

/**
 * docs/clients.md, "Apollo Client": uploads through apollo-upload-client's link with the CSRF
 * header, subscriptions over graphql-ws, and the generated `possibleTypes`. `possibleTypes: false`
 * leaves them out, as a client set up without this page would.
 */
export function apolloClient(url: string, token?: string, options: { possibleTypes?: boolean } = {}) {
  const ws = graphqlWsClient(url, token);
  const http = new UploadHttpLink({ uri: url, headers: { ...CSRF_HEADER, ...authorization(token) } });
  const client = new ApolloClient({
    cache: new InMemoryCache(
      options.possibleTypes === false ? {} : { possibleTypes: generated.possibleTypes },
    ),
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(ws),
      http,
    ),
  });
  return {
    client,
    async dispose() {
      client.stop();
      await ws.dispose();
    },
  };
}

/**
 * docs/clients.md, "urql": queries go out as GET, which carries no content type, so CSRF
 * prevention wants the header on them too. `csrfHeader: false` is urql's default set-up.
 * Subscriptions go over graphql-ws, through urql's `subscriptionExchange`; graphql-ws is lazy: its
 * socket opens with the first subscription and closes after the last.
 */
export function urqlClient(url: string, token?: string, options: { csrfHeader?: boolean } = {}) {
  const csrf = options.csrfHeader === false ? {} : CSRF_HEADER;
  const ws = graphqlWsClient(url, token);
  return new UrqlClient({
    url,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
    fetchOptions: () => ({ headers: { ...csrf, ...authorization(token) } }),
  });
}

/** docs/clients.md, "graphql-request": JSON POSTs, which pass CSRF prevention; the header costs nothing. */
export function requestClient(url: string, token?: string) {
  return new GraphQLClient(url, { headers: { ...CSRF_HEADER, ...authorization(token) } });
}
