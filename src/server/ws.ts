import type { IncomingMessage, Server } from 'node:http';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';
import type { Authenticator } from './auth/authenticate.js';
import type { OriginPolicy } from './origin.js';
import { isAsyncIterable, sharedStreamOf } from './plugins/use-shared-results.js';
import { connectionAuth } from './ws-auth.js';
import { deliverDirectly } from './ws-direct.js';
import { OperationCounter, type WsLimits } from './ws-limits.js';
import type { SeghubYoga } from './yoga.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface GraphQLWsServer {
  /** Closes every socket with "going away" and waits for running operations to end. */
  close(): Promise<void>;
}

/** What graphql-ws hands its hooks about one connection. */
interface WsContext {
  readonly extra: { socket: WebSocket; request: IncomingMessage };
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}

/**
 * graphql-ws on the same path as HTTP GraphQL, run through Yoga's envelop so that subscriptions get
 * the same context, plugins (metrics, auth, error masking) and validation as HTTP requests.
 * `limits` bound what one socket and one caller may hold (docs/configuration.md).
 */
export function attachGraphQLWs(
  server: Server,
  yoga: SeghubYoga,
  log: Logger,
  auth: Authenticator,
  limits: WsLimits,
  origins?: OriginPolicy,
): GraphQLWsServer {
  // ws refuses a larger message from its frame header, before buffering it, and closes with 1009.
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: limits.maxMessageBytes,
    // Browsers open WebSockets cross-site without any CORS check: a page of another site is refused here.
    verifyClient: (
      info: { req: IncomingMessage },
      done: (ok: boolean, status?: number, reason?: string) => void,
    ) => {
      if (!origins || origins.admitsUpgrade(info.req)) return done(true);
      log.info({ origin: info.req.headers.origin }, 'graphql-ws connection refused: ORIGIN_NOT_ALLOWED');
      done(false, 403, 'Origin not allowed');
    },
  });
  // Set by onConnect, read by every operation of that connection.
  const principals = new WeakMap<WebSocket, Principal>();
  const operations = new OperationCounter(limits);

  const prepare = async (ctx: WsContext, payload: SubscribePayload) => {
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
  };

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
      // An operation holds its place from here until graphql-ws completes it or its socket closes.
      onSubscribe: async (ctx, id, payload) => {
        const { socket } = ctx.extra;
        const refused = operations.reserve(socket, principals.get(socket), id);
        if (refused) {
          log.info({ code: refused.extensions.code }, refused.message);
          return [refused];
        }
        try {
          const prepared = await prepare(ctx, payload);
          if (Array.isArray(prepared)) operations.release(socket, id);
          return prepared;
        } catch (error) {
          operations.release(socket, id);
          throw error;
        }
      },
      onComplete: (ctx, id) => operations.release(ctx.extra.socket, id),
      onClose: (ctx) => operations.releaseSocket(ctx.extra.socket),
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
  // Runs after graphql-ws's own connection handler (registered by useServer above).
  wss.on('connection', (socket) => logProtocolErrors(socket, log));
  wss.on('error', (error) => log.error({ err: error }, 'websocket server error'));
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * ws emits an error on a socket only when the client broke the protocol: a message over
 * `maxPayload`, a malformed frame, invalid UTF-8. By then ws has already sent the close with the
 * matching code (1009, 1002, 1007). graphql-ws's listener would print the error's stack to stderr
 * and try a second close; this one replaces it and logs one line, a client's mistake, as a warning.
 */
function logProtocolErrors(socket: WebSocket, log: Logger): void {
  socket.removeAllListeners('error');
  socket.on('error', (error: Error & { code?: string }) => {
    log.warn(
      { code: error.code, reason: error.message },
      'graphql-ws connection closed: the client broke the protocol',
    );
  });
}
