import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../src/domain/services.js';
import { SegmentNotFoundError } from '../../src/model/errors.js';
import type { ReadinessProbe, ReadinessState } from '../../src/server/health.js';
import { createMetricsRegistry } from '../../src/server/metrics.js';
import { createYogaServer } from '../../src/server/yoga.js';

const failingSchema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      boom: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('connect to 10.0.0.5 with password hunter2 failed');
        },
      },
      missing: {
        type: GraphQLString,
        resolve: () => {
          throw new SegmentNotFoundError('radar/1.0');
        },
      },
    },
  }),
});

function yogaWith(options: { probes?: ReadinessProbe[]; readiness?: ReadinessState } = {}) {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const yoga = createYogaServer({
    schema: failingSchema,
    log,
    registry: createMetricsRegistry(),
    probes: options.probes ?? [],
    readiness: options.readiness ?? { stopping: false },
    // This schema's resolvers never reach a service.
    services: {} as Services,
    maxUploadBytes: 1024,
  });
  return { yoga, lines };
}

describe('yoga server', () => {
  it('passes an expected failure through with its code, outside a result union too', async () => {
    const { yoga } = yogaWith();
    const response = await yoga.fetch('http://seghub/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ missing }' }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'segment radar/1.0 does not exist',
        extensions: expect.objectContaining({ code: 'SEGMENT_NOT_FOUND' }),
      }),
    ]);
  });

  it('masks unexpected errors for clients and logs the real one for operators', async () => {
    const { yoga, lines } = yogaWith();
    const response = await yoga.fetch('http://seghub/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ boom }' }),
    });
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      data: { boom: null },
      errors: [{ message: 'Unexpected error.' }],
    });
    expect(text).not.toContain('hunter2');
    const logged = lines.find((l) => l.msg === 'unexpected error while executing an operation');
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('answers /readyz with 503 and the failing probe', async () => {
    const { yoga } = yogaWith({
      probes: [
        { name: 'store', check: async () => ({ revision: 7 }) },
        {
          name: 'sdp',
          check: async () => {
            throw new Error('connection refused');
          },
        },
      ],
    });
    const response = await yoga.fetch('http://seghub/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: [
        { name: 'store', ok: true, details: { revision: 7 } },
        { name: 'sdp', ok: false, reason: 'connection refused' },
      ],
    });
  });

  it('answers /readyz with 503 while stopping, even when every dependency is fine', async () => {
    const { yoga } = yogaWith({
      readiness: { stopping: true },
      probes: [{ name: 'store', check: async () => ({ revision: 7 }) }],
    });
    const response = await yoga.fetch('http://seghub/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'stopping' });
  });
});
