import {
  type ExecutionResult,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/model/principal.js';
import { useSharedResults } from '../../src/server/plugins/use-shared-results.js';

/**
 * A subscription whose events are shared objects (as InstallEvents hands out), with a field that
 * depends on the role and a counter of how often each event was executed.
 */
function fixture() {
  const shared = [{ n: 1 }, { n: 2 }];
  const executions = new Map<object, number>();
  const Event = new GraphQLObjectType<{ n: number }, { principal: Principal }>({
    name: 'Event',
    fields: {
      n: {
        type: GraphQLInt,
        resolve: (event) => {
          executions.set(event, (executions.get(event) ?? 0) + 1);
          return event.n;
        },
      },
      seenAs: { type: GraphQLString, resolve: (_event, _args, context) => context.principal.role },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        events: {
          type: Event,
          args: { fresh: { type: GraphQLInt } },
          // `fresh`: events made for this subscriber alone; otherwise the shared ones.
          subscribe: async function* (_root, args: { fresh?: number }) {
            for (const event of shared) yield args.fresh ? { n: event.n * 10 } : event;
          },
          resolve: (event) => event,
        },
      },
    }),
  });
  const yoga = createYoga({ schema, plugins: [useSharedResults()] });
  const subscribe = async (query: string, role: Principal['role'], variables?: Record<string, unknown>) => {
    const { subscribe, contextFactory } = yoga.getEnveloped({});
    const contextValue = { ...(await contextFactory()), principal: { id: role, role } };
    const stream = (await subscribe({
      schema,
      document: parse(query),
      contextValue,
      variableValues: variables,
    })) as AsyncIterable<ExecutionResult>;
    const results: ExecutionResult[] = [];
    for await (const result of stream) results.push(result);
    return results;
  };
  return { shared, executions, subscribe };
}

describe('shared subscription results', () => {
  it('executes a shared event once for every subscriber with the same operation and role', async () => {
    const { shared, executions, subscribe } = fixture();
    const query = 'subscription { events { n seenAs } }';
    const [a, b, c] = await Promise.all([
      subscribe(query, 'viewer'),
      subscribe(query, 'viewer'),
      subscribe(query, 'viewer'),
    ]);
    expect(a.map((r) => r.data)).toEqual([
      { events: { n: 1, seenAs: 'viewer' } },
      { events: { n: 2, seenAs: 'viewer' } },
    ]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    for (const event of shared) expect(executions.get(event)).toBe(1);
  });

  it('keeps results apart by role, document and variables', async () => {
    const { shared, executions, subscribe } = fixture();
    const viewer = await subscribe('subscription { events { n seenAs } }', 'viewer');
    const admin = await subscribe('subscription { events { n seenAs } }', 'admin');
    const other = await subscribe('subscription { events { n } }', 'admin');
    const withVars = await subscribe('subscription ($f: Int) { events(fresh: $f) { n } }', 'admin', { f: 0 });
    expect(viewer[0]?.data).toEqual({ events: { n: 1, seenAs: 'viewer' } });
    expect(admin[0]?.data).toEqual({ events: { n: 1, seenAs: 'admin' } });
    expect(other[0]?.data).toEqual({ events: { n: 1 } });
    expect(withVars[0]?.data).toEqual({ events: { n: 1 } });
    for (const event of shared) expect(executions.get(event)).toBe(4);
  });

  it('executes events made for one subscriber for that subscriber', async () => {
    const { subscribe } = fixture();
    const results = await subscribe('subscription { events(fresh: 1) { n } }', 'viewer');
    expect(results.map((r) => r.data)).toEqual([{ events: { n: 10 } }, { events: { n: 20 } }]);
  });
});
