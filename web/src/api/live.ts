import { type Client, createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql.js';
import { GRAPHQL_PATH } from './http.js';
import { authHeaders } from './token.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

type Listener = () => void;

const stateListeners = new Set<Listener>();
const reconnectListeners = new Set<Listener>();
let state: ConnectionState = 'connecting';
let client: Client | undefined;

function setState(next: ConnectionState) {
  if (next === state) return;
  state = next;
  for (const listener of stateListeners) listener();
}

/** One socket for the whole page, opened at once and reopened forever: seghub restarts must heal. */
function liveClient(): Client {
  if (client) return client;
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let connectedBefore = false;
  client = createClient({
    url: url.href,
    lazy: false,
    // seghub reads the token from connection_init (a browser cannot set headers on a WebSocket).
    connectionParams: () => authHeaders(),
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // Quick at first, then every 3 s or so: back soon after a restart, without hammering a server
    // that is down; the jitter spreads many dashboards out.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(3000, 250 * 2 ** retries) * (0.8 + Math.random() * 0.4)),
      ),
    onNonLazyError: () => {},
    on: {
      connected: () => {
        setState('live');
        if (connectedBefore) for (const listener of reconnectListeners) listener();
        connectedBefore = true;
      },
      closed: () => setState(connectedBefore ? 'reconnecting' : 'connecting'),
    },
  });
  return client;
}

export function connectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: Listener): () => void {
  liveClient();
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/**
 * Called after the socket came back: events sent while it was down are lost, so whoever shows
 * data refetches it. Subscriptions themselves are resubscribed by graphql-ws.
 */
export function onReconnect(listener: Listener): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export interface SubscriptionHandlers<TResult> {
  next(data: TResult): void;
  error?(message: string): void;
  complete?(): void;
}

/** Subscribes over graphql-ws; answers the unsubscribe. */
export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  handlers: SubscriptionHandlers<TResult>,
): () => void {
  return liveClient().subscribe<TResult>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) handlers.error?.(result.errors.map((e) => e.message).join('; '));
        if (result.data) handlers.next(result.data);
      },
      error: (error) => handlers.error?.(describeSocketError(error)),
      complete: () => handlers.complete?.(),
    },
  );
}

function describeSocketError(error: unknown): string {
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message ?? String(e)).join('; ');
  if (error instanceof Error) return error.message;
  return 'the live connection failed';
}
