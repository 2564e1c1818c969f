import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What one request may ask for. Sized from the heaviest documents seghub's own clients send (the
 * dashboard's and the tests', checked by test/integration/security-limits.test.ts) with room to
 * spare; a hostile query (deep nesting through `versions`, thousands of aliases, megabytes of
 * tokens) is refused before it runs.
 */
export const QUERY_LIMITS = {
  depth: 10,
  aliases: 30,
  tokens: 5000,
  cost: 10_000,
} as const;

/** Headers that prove a request is not a cross-site form post or a bare GET from another origin. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'] as const;

/**
 * graphql-armor's limits, each refusal carrying its own code (graphql-armor's are plain syntax or
 * validation errors a client cannot tell apart).
 */
export function queryLimitPlugins(): Plugin[] {
  return [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens, ...refuseWith('QUERY_TOO_LARGE') }),
    maxDepthPlugin({ n: QUERY_LIMITS.depth, flattenFragments: true, ...refuseWith('QUERY_TOO_DEEP') }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases, ...refuseWith('TOO_MANY_ALIASES') }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.cost, ...refuseWith('QUERY_TOO_COSTLY') }),
  ] as Plugin[];
}

/**
 * Yoga's CSRF prevention: a request a browser could send cross-site without a preflight (GET, or a
 * form/multipart/text POST) must carry one of `CSRF_HEADERS`. Uploads are multipart, so this is
 * what keeps another site's page from uploading with a logged-in operator's cookies or token.
 */
export function csrfPlugin(): Plugin {
  return useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] }) as Plugin;
}

function refuseWith(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
          nodes: error.nodes,
          extensions: { code },
        });
        // The token limit runs inside the parser, which has no validation context: it throws.
        if (!context) throw refusal;
        context.reportError(refusal);
      },
    ],
  };
}
