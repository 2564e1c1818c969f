import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What one request may ask for. Sized from the heaviest documents seghub's own clients send (the
 * dashboard's and the tests', checked by test/integration/security-limits.test.ts) with room to
 * spare; a hostile query (deep nesting through `versions`, thousands of aliases, megabytes of
 * tokens) is refused before it runs.
 */
const QUERY_LIMITS = {
  depth: 10,
  aliases: 30,
  tokens: 5000,
  cost: 10_000,
} as const;

/**
 * graphql-armor's limits, each refusal carrying its own code (graphql-armor's are plain syntax or
 * validation errors a client cannot tell apart). One plugin that adds the four: envelop puts added
 * plugins right after the one adding them, so they run where this one stands in the list.
 */
export function useQueryLimits(): Plugin {
  const limits = [
    maxTokensPlugin({ n: QUERY_LIMITS.tokens, ...refuseWith('QUERY_TOO_LARGE') }),
    maxDepthPlugin({ n: QUERY_LIMITS.depth, flattenFragments: true, ...refuseWith('QUERY_TOO_DEEP') }),
    maxAliasesPlugin({ n: QUERY_LIMITS.aliases, ...refuseWith('TOO_MANY_ALIASES') }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.cost, ...refuseWith('QUERY_TOO_COSTLY') }),
  ] as Plugin[];
  return {
    onPluginInit({ addPlugin }) {
      for (const limit of limits) addPlugin(limit);
    },
  };
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
