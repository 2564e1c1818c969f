import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per app rather than prom-client's global one, so several apps in one process (the
 * tests, a future multi-tenant runner) do not collide on metric names.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function metricsText(registry: Registry): Promise<MetricsAnswer> {
  return { status: 200, headers: { 'content-type': registry.contentType }, body: await registry.metrics() };
}

/** With `METRICS_TOKEN` set, a scrape must send `Authorization: Bearer <token>`: 401 otherwise. */
export function metricsRefusal(authorization: string | null | undefined, token: string | undefined) {
  if (token === undefined || bearerMatches(authorization, token)) return undefined;
  return {
    status: 401,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'www-authenticate': 'Bearer realm="seghub-metrics"',
    },
    body: 'metrics need Authorization: Bearer <METRICS_TOKEN>\n',
  };
}

function bearerMatches(authorization: string | null | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** `METRICS_PORT`: `/metrics` alone on a port of its own (e.g. one only the monitoring network reaches). */
export function createMetricsServer(registry: Registry, token: string | undefined): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer =
      path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')
        ? Promise.resolve({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found\n' })
        : (metricsRefusal(req.headers.authorization, token) ?? metricsText(registry));
    Promise.resolve(answer).then(
      ({ status, headers, body }) =>
        res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(500).end(),
    );
  });
}
