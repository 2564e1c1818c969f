import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL-over-HTTP request, as a front end would send it. */
export async function httpGraphQL<TData, TVars>(
  url: string,
  document: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
  headers: Record<string, string> = {},
): Promise<ExecutionResult<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<TData>;
}

/** A graphql-ws client; lazy (connects on first operation) unless `lazy: false` keeps a socket open. */
export function wsClient(
  url: string,
  options: { connectionParams?: Record<string, unknown>; lazy?: boolean } = {},
): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    // Tests observe closes through the client's `closed` event; the default console.error is noise.
    onNonLazyError: () => {},
    ...options,
  });
}

/** Runs one operation over graphql-ws and collects every result until it completes. */
export function wsCollect<TData, TVars>(
  client: Client,
  document: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
): Promise<ExecutionResult<TData>[]> {
  return new Promise((resolve, reject) => {
    const results: ExecutionResult<TData>[] = [];
    client.subscribe<TData>(
      { query: print(document), variables: variables as Record<string, unknown> | undefined },
      {
        next: (r) => results.push(r as ExecutionResult<TData>),
        error: reject,
        complete: () => resolve(results),
      },
    );
  });
}
