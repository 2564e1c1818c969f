import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTROLLER_ELECTION } from '../../src/controller/controller.js';
import { campaign, type Leadership } from '../../src/kv/election.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import type { SegmentRecord } from '../../src/records/segment-schema.js';
import type { SegmentFilter as Filter, ListSegmentsQueryVariables } from '../generated/graphql.js';
import { UpsertSeats } from '../support/documents/seat-documents.js';
import { SegmentVersions } from '../support/documents/segment-documents.js';
import { ListSegments, ListSegmentsDeep } from '../support/documents/segment-list-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { putSegmentRecords, segmentRecord } from '../support/fixtures/segment-records.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { putSegmentSeats } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';

let app: SegmentApp;
let store: KvStore;
let reads: { count: number };
let removeData: () => Promise<void>;
let leader: Leadership;

/** 240 records over 12 names (20 versions each), with every combination of the filtered fields. */
const seeded: SegmentRecord[] = Array.from({ length: 240 }, (_, i) => {
  const name = `${i % 2 ? 'Billing' : 'radar'}-${String(i % 12).padStart(2, '0')}`.toLowerCase();
  return segmentRecord(`${name}/1.${Math.floor(i / 12)}.0`, {
    format: i % 3 ? 'ZIP' : 'MPK',
    target: i % 3 ? 'DEPLOY_PLATFORM' : 'STORE_15S',
    sync: { status: (['PENDING', 'SYNCED', 'FAILED'] as const)[(i % 5) % 3]!, attempts: 0 },
    isLocal: i % 4 !== 0,
    deleteStatus: i % 7 === 0 ? 'PROCESSING' : 'NONE',
  });
});
const idOf = (r: { name: string; version: string }) => `${r.name}/${r.version}`;
const installedIds = new Set(seeded.filter((_, i) => i % 6 === 1).map(idOf));

/** The contract's order, computed independently: by name, then the higher minor version first. */
function listOrder(records: SegmentRecord[]): string[] {
  const minor = (r: SegmentRecord) => Number(r.version.split('.')[1]);
  return [...records]
    .sort((a, b) => (a.name === b.name ? minor(b) - minor(a) : a.name < b.name ? -1 : 1))
    .map(idOf);
}

beforeAll(async () => {
  const data = await tempDir('seghub-list');
  removeData = data.remove;
  const opened = await openEmbeddedKv({ dir: path.join(data.dir, 'store') });
  reads = { count: 0 };
  store = countingReads(opened, reads);
  // Another replica leads the controller: the records seeded here stay exactly as written.
  leader = await campaign(store, CONTROLLER_ELECTION, 'the test', { ttlSeconds: 3600 });
  app = await startSegmentApp({}, { store, dataDir: data.dir });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await leader?.resign();
  await store?.close();
  await removeData?.();
});

beforeEach(async () => {
  await store.deletePrefix(keys.segments);
  await store.deletePrefix(keys.segmentSeatsAll);
  await putSegmentRecords(store, seeded);
  for (const id of installedIds) await putSegmentSeats(store, id, ['ws-1']);
});

async function list(variables: ListSegmentsQueryVariables) {
  const result = await httpGraphQL(app.url, ListSegments, variables);
  if (!result.data) throw new Error(`list failed: ${JSON.stringify(result.errors)}`);
  return result.data.segments;
}

/** Every id the connection lists, page by page. */
async function listAll(filter?: Filter, first = 37): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ first, after, filter });
    ids.push(...page.edges.map((e) => idOf(e.node)));
    expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor ?? undefined;
  }
}

describe('segments(first, after, filter)', () => {
  it('lists every segment once, by name and then newest version first, with totalCount', async () => {
    expect(await listAll()).toEqual(listOrder(seeded));
    expect((await list({ first: 1 })).totalCount).toBe(seeded.length);
    expect((await list({ first: 0 })).edges).toEqual([]);
    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    expect(metrics).toContain(`seghub_segment_cache_records ${seeded.length}`);
  });

  it('keeps its place while segments before and after the cursor come and go', async () => {
    const order = listOrder(seeded);
    const first = await list({ first: 10 });
    const cursor = first.pageInfo.endCursor!;
    // The cursor's own record goes, one before it and one after it are added, one after it goes.
    await store.delete(keys.segment(order[9]!));
    await store.delete(keys.segment(order[12]!));
    const before = segmentRecord(`${seeded[0]!.name}/9.0.0`);
    const after = segmentRecord(`${seeded[0]!.name}/1.0.5`);
    await putSegmentRecords(store, [before, after]);

    const second = await list({ first: 10, after: cursor });
    const expected = listOrder(
      [...seeded, before, after].filter((r) => ![order[9], order[12]].includes(idOf(r))),
    );
    const from = expected.indexOf(order[10]!);
    expect(second.edges.map((e) => idOf(e.node))).toEqual(expected.slice(from, from + 10));
    expect(second.totalCount).toBe(seeded.length);
  });

  it.each<[string, Filter, (r: SegmentRecord) => boolean]>([
    ['nameContains, any case', { nameContains: 'BILL' }, (r) => r.name.includes('billing')],
    ['format', { format: 'MPK' }, (r) => r.format === 'MPK'],
    ['target', { target: 'DEPLOY_PLATFORM' }, (r) => r.target === 'DEPLOY_PLATFORM'],
    ['syncStatus', { syncStatus: 'FAILED' }, (r) => r.sync.status === 'FAILED'],
    ['isLocal: false', { isLocal: false }, (r) => !r.isLocal],
    ['installed: true', { installed: true }, (r) => installedIds.has(idOf(r))],
    ['installed: false', { installed: false }, (r) => !installedIds.has(idOf(r))],
    ['deleteStatus', { deleteStatus: 'PROCESSING' }, (r) => r.deleteStatus === 'PROCESSING'],
    [
      'several at once',
      { nameContains: 'radar-0', syncStatus: 'PENDING', isLocal: true },
      (r) => r.name.includes('radar-0') && r.sync.status === 'PENDING' && r.isLocal,
    ],
    ['nothing matching', { nameContains: 'no-such' }, () => false],
  ])('filters by %s, counting only matches', async (_, filter, matches) => {
    const expected = listOrder(seeded.filter(matches));
    expect(await listAll(filter, 11)).toEqual(expected);
    expect((await list({ first: 1, filter })).totalCount).toBe(expected.length);
  });

  it('shows what the caller just wrote, through the API or straight into the store', async () => {
    const uploaded = await uploadOk(app.url, {
      fileName: 'fresh-1.0.0.zip',
      bytes: await buildSegmentZip({ name: 'fresh', version: '1.0.0' }),
    });
    const page = await list({ filter: { nameContains: 'fresh' } });
    expect(page.edges.map((e) => e.node.id)).toEqual([uploaded.id]);

    for (let i = 0; i < 10; i++) {
      await putSegmentRecords(store, [segmentRecord(`direct/1.${i}.0`)]);
      expect((await list({ filter: { nameContains: 'direct' } })).totalCount).toBe(i + 1);
    }
  });

  it('serves a page with seats and versions in a bounded number of store reads', async () => {
    const seats = Array.from({ length: 30 }, (_, i) => ({ name: `ws-${i}`, ip: `10.1.0.${i + 1}` }));
    await httpGraphQL(app.url, UpsertSeats, { seats });
    for (const [i, r] of seeded.entries()) {
      await putSegmentSeats(
        store,
        idOf(r),
        seats.slice(0, (i % 5) + 1).map((s) => s.name),
      );
    }
    const readsFor = async (first: number) => {
      const start = reads.count;
      const result = await httpGraphQL(app.url, ListSegmentsDeep, { first });
      const edges = result.data!.segments.edges;
      expect(edges).toHaveLength(first);
      expect(
        edges.every(
          (e) => e.node.seats.length === e.node.installedSeatCount && e.node.versions.length === 20,
        ),
      ).toBe(true);
      return reads.count - start;
    };
    const few = await readsFor(5);
    const many = await readsFor(50);
    expect(many).toBe(few);
    // One read barrier, one batched read of the seats.
    expect(many).toBe(2);
  });

  it.each([
    { first: 501 },
    { first: -1 },
    { after: 'not-a-cursor' },
    { after: Buffer.from('segment:["x"]').toString('base64url') },
  ])('refuses %o with INVALID_INPUT', async (variables) => {
    const refused = await httpGraphQL(app.url, ListSegments, variables);
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });
});

describe('segmentVersions and Segment.versions', () => {
  it('lists every version of the name, newest first in numeric order', async () => {
    const versions = ['1.9.0', '1.10.0', '2.0.0-rc.1', '2.0.0', '1.2.0'];
    await putSegmentRecords(
      store,
      versions.map((v) => segmentRecord(`orbit/${v}`)),
    );
    const result = await httpGraphQL(app.url, SegmentVersions, {
      id: encodeGlobalID('Segment', 'orbit/1.9.0'),
    });
    expect(result.data?.segmentVersions.map((s) => s.version)).toEqual([
      '2.0.0',
      '2.0.0-rc.1',
      '1.10.0',
      '1.9.0',
      '1.2.0',
    ]);
    const unknown = await httpGraphQL(app.url, SegmentVersions, {
      id: encodeGlobalID('Segment', 'orbit/3.0.0'),
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('SEGMENT_NOT_FOUND');
  });
});

/** `store`, counting the reads that reach it (gets, ranges, and transactions that only read). */
function countingReads(inner: KvStore, counter: { count: number }): KvStore {
  const counted: KvStore = Object.create(inner);
  counted.get = (...args) => {
    counter.count++;
    return inner.get(...args);
  };
  counted.range = (...args) => {
    counter.count++;
    return inner.range(...args);
  };
  counted.ping = (...args) => {
    counter.count++;
    return inner.ping(...args);
  };
  counted.txn = (request) => {
    if (request.compare.length === 0 && request.success.every((op) => op.type === 'get')) counter.count++;
    return inner.txn(request);
  };
  return counted;
}
