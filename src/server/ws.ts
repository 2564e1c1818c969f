import type { Server } from 'node:http';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';
import type { Authenticator } from './auth/authenticate.js';
import { isAsyncIterable, sharedStreamOf } from './plugins/use-shared-results.js';
import { connectionAuth } from './ws-auth.js';
import { deliverDirectly } from './ws-direct.js';
import type { SeghubYoga } from './yoga.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface GraphQLWsServer {
  /** Closes every socket with "going away" and waits for running operations to end. */
  close(): Promise<void>;
}

/**
 * graphql-ws on the same path as HTTP GraphQL, run through Yoga's envelop so that subscriptions get
 * the same context, plugins (metrics, auth, error masking) and validation as HTTP requests.
 */
export function attachGraphQLWs(
  server: Server,
  yoga: SeghubYoga,
  log: Logger,
  auth: Authenticator,
): GraphQLWsServer {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  // Set by onConnect, read by every operation of that connection.
  const principals = new WeakMap<WebSocket, Principal>();
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const principal = await connectionAuth(
          auth,
          ctx.extra.socket,
          ctx.extra.request,
          ctx.connectionParams,
          log,
        );
        if (principal) principals.set(ctx.extra.socket, principal);
        return principal !== undefined;
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          connectionParams: ctx.connectionParams,
          principal: principals.get(ctx.extra.socket),
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          // A syntax error or a refused query (the token limit): an error result, not a dropped socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        return args;
      },
      // A subscription on a shared stream sends its plain results itself (ws-direct.ts).
      onOperation: (ctx, id, _payload, args, result) => {
        const stream = sharedStreamOf(args.contextValue);
        if (!stream || !isAsyncIterable<ExecutionResult>(result)) return undefined;
        return deliverDirectly(result, stream, ctx.extra.socket, id);
      },
      onError: (_ctx, _id, _payload, errors) => {
        log.debug({ errors }, 'graphql-ws operation errors');
      },
    },
    wss,
  );
  wss.on('error', (error) => log.error({ err: error }, 'websocket server error'));
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
