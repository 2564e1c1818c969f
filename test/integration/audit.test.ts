import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { Role } from '../../src/model/principal.js';
import { type AuditEntry, AuditLog } from '../../src/records/audit-log.js';
import { keys } from '../../src/records/keyspace.js';
import { AddSeat, AuditTrail, RetrySync } from '../support/documents/security-documents.js';
import { buildSegmentZip, RADAR_MANIFEST } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, type TokenApp, tokenAppSuite } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { tempDir } from '../support/harness/temp.js';

describe('the audit trail', () => {
  const suite = tokenAppSuite('audit');
  let app: TokenApp;
  let tokens: Record<Role, string>;
  beforeAll(() => {
    ({ app, tokens } = suite.current());
  });

  const trail = async (variables: { first?: number; after?: string } = {}) => {
    const result = await httpGraphQL(app.url, AuditTrail, variables, bearer(tokens.admin));
    expect(result.errors).toBeUndefined();
    return result.data!.auditLog;
  };

  it('records every mutation: actor, operation, arguments (file names), result, time; newest first', async () => {
    const before = new Date().toISOString();
    const upload = await uploadSegment(
      app.url,
      { bytes: await buildSegmentZip(RADAR_MANIFEST), fileName: 'radar-display-3.5.1.zip' },
      bearer(tokens.operator),
    );
    // The probes the audit adds to the executed document never reach the client.
    expect(Object.keys(upload).sort()).toEqual(['__typename', 'segment']);
    await httpGraphQL(app.url, RetrySync, { id: 'no-such-id' }, bearer(tokens.operator));
    await httpGraphQL(
      app.url,
      AddSeat,
      { seats: [{ name: 'audit-1', ip: '10.8.0.1' }] },
      bearer(tokens.viewer),
    );
    const seats = await httpGraphQL(
      app.url,
      AddSeat,
      { seats: [{ name: 'audit-1', ip: '10.8.0.1' }] },
      bearer(tokens.admin),
    );
    expect(seats.data?.upsertSeats).toEqual({ __typename: 'UpsertSeatsSuccess' });

    const { edges } = await trail({ first: 10 });
    expect(edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        actor: { id: 'ci-admin', role: 'ADMIN' },
        operationName: 'AddSeat',
        field: 'upsertSeats',
        arguments: { seats: [{ name: 'audit-1', ip: '10.8.0.1' }] },
        outcome: 'SUCCESS',
        resultType: 'UpsertSeatsSuccess',
        errorCode: null,
      }),
      expect.objectContaining({
        actor: { id: 'ci-viewer', role: 'VIEWER' },
        field: 'upsertSeats',
        outcome: 'ERROR',
        resultType: null,
        errorCode: 'FORBIDDEN',
      }),
      expect.objectContaining({
        actor: { id: 'ci-operator', role: 'OPERATOR' },
        operationName: 'RetrySync',
        field: 'retrySegmentSync',
        arguments: { id: 'no-such-id' },
        outcome: 'ERROR',
        resultType: 'SegmentNotFoundError',
        errorCode: 'SEGMENT_NOT_FOUND',
      }),
      expect.objectContaining({
        actor: { id: 'ci-operator', role: 'OPERATOR' },
        field: 'uploadSegment',
        arguments: { file: { fileName: 'radar-display-3.5.1.zip' } },
        outcome: 'SUCCESS',
        resultType: 'UploadSegmentSuccess',
      }),
    ]);
    for (const { node } of edges) expect(node.at >= before && node.at <= new Date().toISOString()).toBe(true);
  });

  it('pages with cursors, newest first', async () => {
    const first = await trail({ first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await trail({ first: 10, after: first.pageInfo.endCursor! });
    const all = await trail({ first: 10 });
    expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
    // Every entry, whichever page asks.
    expect(all.edges.length).toBeGreaterThan(2);
    expect([first.totalCount, rest.totalCount, all.totalCount]).toEqual(Array(3).fill(all.edges.length));
  });

  it('records the fields of one operation that ran, and no field that did not', async () => {
    const query = `mutation Several($skip: Boolean!) {
      first: retrySegmentSync(id: "a") { __typename }
      skipped: retrySegmentSync(id: "s") @skip(if: $skip) { __typename }
      refused: upsertSeats(seats: []) { __typename }
      never: retrySegmentSync(id: "b") { __typename }
    }`;
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(tokens.operator) },
      body: JSON.stringify({ query, variables: { skip: true } }),
    });
    // upsertSeats is FORBIDDEN, and a failed non-null mutation field nulls the whole response.
    expect(await response.json()).toMatchObject({
      data: null,
      errors: [{ extensions: { code: 'FORBIDDEN' } }],
    });
    const { edges } = await trail({ first: 3 });
    expect(edges.map((e) => [e.node.operationName, e.node.field, e.node.outcome, e.node.errorCode])).toEqual([
      ['Several', 'upsertSeats', 'ERROR', 'FORBIDDEN'],
      ['Several', 'retrySegmentSync', 'UNKNOWN', null],
      ['AddSeat', 'upsertSeats', 'SUCCESS', null],
    ]);
  });

  it('is readable by admins only', async () => {
    for (const token of [tokens.viewer, tokens.operator]) {
      const result = await httpGraphQL(app.url, AuditTrail, {}, bearer(token));
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
    }
  });
});

describe('audit retention', () => {
  it('prunes entries older than the retention period, on write and in bounded batches', async () => {
    const data = await tempDir('seghub-audit-retention');
    const store = await openEmbeddedKv({ dir: path.join(data.dir, 'store') });
    try {
      const day = 86_400_000;
      let now = Date.parse('2026-06-01T00:00:00Z');
      const audit = new AuditLog(store, 30 * day, pino({ level: 'silent' }), () => now);
      const entry = (ageDays: number): AuditEntry => ({
        at: new Date(now - ageDays * day).toISOString(),
        actor: { id: 'ops', role: 'admin' },
        operationName: null,
        field: 'syncRemote',
        arguments: {},
        outcome: 'SUCCESS',
        resultType: 'SyncRemoteSuccess',
        errorCode: null,
      });
      // 150 entries from long ago (more than one prune batch), then recent ones.
      for (let i = 0; i < 150; i++)
        await store.put(keys.auditEntry(`${String(i).padStart(13, '9')}-0000000${i % 10}`), '{}');
      expect(await audit.prune()).toBe(100);
      for (const age of [40, 31, 29, 1]) await audit.append(entry(age));
      await audit.settled();
      while ((await audit.prune()) > 0);
      const { entries } = await audit.page({ first: 500 });
      expect(entries.map((e) => e.at)).toEqual([entry(1).at, entry(29).at]);
      expect(await audit.count()).toBe(2);
      now += 2 * day;
      await audit.append(entry(0));
      await audit.settled();
      expect((await audit.page({ first: 500 })).entries.map((e) => e.at)).toEqual([entry(0).at, entry(3).at]);
    } finally {
      await store.close();
      await data.remove();
    }
  });
});
