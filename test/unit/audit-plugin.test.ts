import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../src/domain/services.js';
import { schema } from '../../src/graphql/schema.js';
import { SegmentNotFoundError } from '../../src/model/errors.js';
import type { AuditEntry, AuditLog } from '../../src/records/audit-log.js';
import { createMetricsRegistry } from '../../src/server/metrics.js';
import { createYogaServer } from '../../src/server/yoga.js';

function yogaWithAudit(append: (entry: AuditEntry) => Promise<string>) {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const yoga = createYogaServer({
    schema,
    log,
    registry: createMetricsRegistry(),
    probes: [],
    readiness: { stopping: false },
    // Enough of the services for retrySegmentSync with an id that names no segment.
    services: {
      segments: {
        retrySync: async (id: string) => {
          throw new SegmentNotFoundError(id);
        },
      },
      audit: { append } as unknown as AuditLog,
    } as unknown as Services,
    maxUploadBytes: 1024,
  });
  const mutate = async () => {
    const response = await yoga.fetch('http://seghub/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation Retry { retrySegmentSync(id: "nope") { __typename } }' }),
    });
    return response.json();
  };
  return { mutate, lines };
}

describe('the audit plugin', () => {
  it('records the mutation with its outcome, and answers the client as if it were not there', async () => {
    const entries: AuditEntry[] = [];
    const { mutate } = yogaWithAudit(async (entry) => {
      entries.push(entry);
      return 'id';
    });
    expect(await mutate()).toEqual({ data: { retrySegmentSync: { __typename: 'SegmentNotFoundError' } } });
    expect(entries).toEqual([
      expect.objectContaining({
        actor: { id: 'anonymous', role: 'admin' },
        operationName: 'Retry',
        field: 'retrySegmentSync',
        arguments: { id: 'nope' },
        outcome: 'ERROR',
        resultType: 'SegmentNotFoundError',
        errorCode: 'SEGMENT_NOT_FOUND',
      }),
    ]);
  });

  it('returns the mutation result when the audit write fails, and says so loudly in the log', async () => {
    const { mutate, lines } = yogaWithAudit(async () => {
      throw new Error('store unavailable');
    });
    expect(await mutate()).toEqual({ data: { retrySegmentSync: { __typename: 'SegmentNotFoundError' } } });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: expect.stringMatching(/^AUDIT ENTRY LOST/),
        audit: { field: 'retrySegmentSync', actor: { id: 'anonymous', role: 'admin' }, outcome: 'ERROR' },
      }),
    );
  });
});
