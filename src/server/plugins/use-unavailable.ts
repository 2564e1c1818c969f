import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type UnavailableCode, unavailableCodeOf } from '../../util/unavailable.js';

/**
 * What a client hears when the store or SDP cannot be reached: a top-level error with a code of
 * its own (not "Unexpected error."), and, over HTTP, 503 with Retry-After when nothing else went
 * wrong, so that clients and proxies retry rather than show a failure.
 */

/** Seconds a client waits before retrying: about one etcd call deadline, or one SDP reconnect. */
export const RETRY_AFTER_SECONDS = 5;

const MESSAGES: Record<UnavailableCode, string> = {
  STORE_UNAVAILABLE: 'The store (etcd or the embedded store) cannot be reached now; retry later.',
  SDP_UNAVAILABLE: 'The software deployment platform cannot be reached now; retry later.',
};

const CODES = new Set<unknown>(Object.keys(MESSAGES));

/** The client's error for `error` when the store or SDP is unavailable; undefined otherwise. */
export function unavailableError(error: unknown): GraphQLError | undefined {
  let original = error;
  // Envelop and graphql-js may wrap a resolver's error in more than one GraphQLError.
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  const code = unavailableCodeOf(original);
  if (!code) return undefined;
  const path = error instanceof GraphQLError ? error.path : undefined;
  return new GraphQLError(MESSAGES[code], {
    path,
    extensions: { code, retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
}

/** Answers 503 with Retry-After to an HTTP request whose every error is an unavailability. */
export function useUnavailable(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || Symbol.asyncIterator in result) return;
      const errors = result.errors ?? [];
      if (errors.length === 0 || !errors.every((e) => CODES.has(e.extensions?.code))) return;
      setResult({
        ...result,
        extensions: {
          ...result.extensions,
          http: { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
        },
      });
    },
  };
}
