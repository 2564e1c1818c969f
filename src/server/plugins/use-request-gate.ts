import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../logger.js';
import type { Principal } from '../../model/principal.js';
import type { Authenticator } from '../auth/authenticate.js';
import { csrfRefusal } from '../csrf.js';
import { closeLingering } from '../linger.js';
import type { OriginPolicy } from '../origin.js';
import { type Refusal, refusalError, refusalResponse } from '../refusal.js';

type NodeContext = { req: IncomingMessage; res: ServerResponse };

export interface RequestLimits {
  /** Largest non-multipart body (JSON, `application/graphql`, form): `REQUEST_BODY_TOO_LARGE`. */
  readonly maxJsonBodyBytes: number;
  /** Bytes of a refused request's body read and discarded so that its client can read the refusal. */
  readonly refusalDrainBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxJsonBodyBytes: 1024 * 1024,
  refusalDrainBytes: 16 * 1024 * 1024,
};

export interface RequestGateOptions {
  graphqlEndpoint: string;
  limits: RequestLimits;
  origins: OriginPolicy;
  /** Absent in open mode. */
  authenticator?: Authenticator;
  registry: Registry;
  log: Logger;
}

export interface RequestGate {
  plugin: Plugin<Record<string, never>, NodeContext>;
  /** The principal a request's headers authenticated, for the GraphQL context. */
  principalOf(req: IncomingMessage | undefined): Principal | undefined;
}

/**
 * Everything about a GraphQL HTTP request that its headers decide, checked before a byte of its body
 * is read: the browser origin, CSRF prevention, authentication, the declared body size. So a
 * refusal costs no memory and no parsing, whatever the body (a 56 MB JSON body without a token was
 * parsed before this). Non-multipart bodies are then read up to `maxJsonBodyBytes`. Any response
 * sent before its body has arrived closes the connection lingering (../linger.ts), so clients that
 * send their whole body before reading (Node's fetch) read the refusal instead of an `EPIPE`.
 */
export function createRequestGate(options: RequestGateOptions): RequestGate {
  const { graphqlEndpoint, limits, origins, authenticator, log } = options;
  const principals = new WeakMap<IncomingMessage, Principal>();
  const refusals = new Counter({
    name: 'seghub_http_refusals_total',
    help: 'GraphQL HTTP requests refused by origin, CSRF header, credentials or body size, by error code',
    labelNames: ['code'],
    registers: [options.registry],
  });
  // A client's mistake, logged for the operator who wonders why a client fails; never the token.
  const refuse = (refusal: Refusal, request: Request) => {
    refusals.inc({ code: refusal.code });
    const fields = {
      code: refusal.code,
      status: refusal.status,
      method: request.method,
      reason: refusal.message,
    };
    log.info(fields, `request refused: ${refusal.code}`);
  };

  const authenticate = async (
    request: Request,
    req: IncomingMessage | undefined,
  ): Promise<Refusal | undefined> => {
    if (!authenticator) return undefined;
    const outcome = await authenticator.authenticate(request.headers.get('authorization'));
    if (outcome.ok) {
      if (req) principals.set(req, outcome.principal);
      return undefined;
    }
    return {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: `not authenticated: ${outcome.reason}`,
      headers: { 'WWW-Authenticate': 'Bearer realm="seghub"' },
    };
  };

  const plugin: Plugin<Record<string, never>, NodeContext> = {
    async onRequest({ request, url, serverContext, fetchAPI, endResponse }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS') return;
      // Size last: only an authenticated caller learns the limits.
      const refusal =
        browserRefusal(request, origins) ??
        (await authenticate(request, serverContext.req)) ??
        declaredSizeRefusal(request, limits.maxJsonBodyBytes);
      if (!refusal) return;
      refuse(refusal, request);
      endResponse(refusalResponse(fetchAPI, refusal, request));
    },
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const contentType = request.headers.get('content-type') ?? '';
      if (request.method !== 'POST' || /^multipart\/form-data\b/i.test(contentType) || !requestParser) return;
      // Only a request that came over HTTP has a body to read; `yoga.fetch` in process hands its own.
      if (!serverContext.req) return;
      const parse = requestParser;
      setRequestParser(async (parsed) => {
        const body = await readCapped(serverContext.req, limits.maxJsonBodyBytes).catch((error) => {
          if (error === TOO_LARGE) {
            const refusal = tooLarge(limits.maxJsonBodyBytes);
            refuse(refusal, request);
            throw refusalError(refusal);
          }
          throw error;
        });
        // The Buffer itself, not a copy (the fetch types do not list Node's Buffer, which it accepts).
        const init = { method: 'POST', headers: parsed.headers, body: body as unknown as BodyInit };
        return parse(new fetchAPI.Request(parsed.url, init));
      });
    },
    onResponse({ serverContext }) {
      const { req, res } = serverContext;
      if (req && res && !req.complete) closeLingering(req, res, limits.refusalDrainBytes);
    },
  };
  return { plugin, principalOf: (req) => (req ? principals.get(req) : undefined) };
}

function browserRefusal(request: Request, origins: OriginPolicy): Refusal | undefined {
  const origin = request.headers.get('origin');
  if (!origins.admits(origin, request.headers.get('host'))) {
    return {
      status: 403,
      code: 'ORIGIN_NOT_ALLOWED',
      message: `origin ${origin} may not use this API: only seghub's own pages and the origins in CORS_ORIGINS`,
    };
  }
  return csrfRefusal(request);
}

function declaredSizeRefusal(request: Request, maxBytes: number): Refusal | undefined {
  const contentType = request.headers.get('content-type') ?? '';
  const declared = Number(request.headers.get('content-length') ?? 0);
  const multipart = /^multipart\/form-data\b/i.test(contentType);
  return !multipart && declared > maxBytes ? tooLarge(maxBytes) : undefined;
}

function tooLarge(maxBytes: number): Refusal {
  return {
    status: 413,
    code: 'REQUEST_BODY_TOO_LARGE',
    message: `a GraphQL request body may hold at most ${maxBytes} bytes (MAX_JSON_BODY_BYTES); uploads go as multipart`,
  };
}

const TOO_LARGE = Symbol('too large');

/** The whole body, or `TOO_LARGE` as soon as it passes `maxBytes` (the rest is then discarded). */
function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      done();
      chunks.length = 0;
      req.resume(); // nothing keeps what still comes; the response closes the connection lingering
      reject(TOO_LARGE);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      done();
      reject(refusalError({ status: 400, code: 'BAD_REQUEST', message: 'the request body was cut short' }));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
}
