import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteSyncService } from '../../src/domain/segments/remote-sync-service.js';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { RemoteSyncTimeoutError } from '../../src/model/errors.js';
import { keys } from '../../src/records/keyspace.js';
import { RemoteSyncStore } from '../../src/records/remote-sync-store.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/** The store protocol between `syncRemote` on any replica and the leader's remote sync. */
describe('remote-sync requests through the store', () => {
  let kv: KvStore;
  let removeDir: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir('seghub-remote-sync-requests');
    removeDir = temp.remove;
    kv = await openEmbeddedKv({ dir: path.join(temp.dir, 'kv') });
  });

  afterEach(async () => {
    await kv.close();
    await removeDir();
  });

  const service = (requestTimeoutMs: number) =>
    new RemoteSyncService({ store: new RemoteSyncStore(kv), requestTimeoutMs });

  /** What the leader does for one target: one pass serving whatever requests wait. */
  async function servePass(leader: RemoteSyncService, target: 'DEPLOY_PLATFORM' | 'STORE_15S') {
    const { ids } = await leader.pendingRequests(target);
    const report = leader.startReport(target, ids);
    expect(await leader.saveReport(report.finish(), [])).toBe(true);
    return ids;
  }

  it('answers with the report that names the request, once every target asked for has one', async () => {
    const api = service(10_000);
    const answer = api.request(['DEPLOY_PLATFORM', 'STORE_15S']);
    await waitFor(async () => (await kv.range(keys.remoteSyncRequests)).kvs.length === 2, {
      message: 'the requests in the store',
    });
    // A report that does not name the request (a periodic pass that started earlier) does not answer it.
    const leader = service(10_000);
    await leader.saveReport(leader.startReport('DEPLOY_PLATFORM', ['someone-else']).finish(), []);
    const served = await servePass(leader, 'DEPLOY_PLATFORM');
    await servePass(leader, 'STORE_15S');

    const reports = await answer;
    expect(reports.map((r) => [r.target, r.requestIds])).toEqual([
      ['DEPLOY_PLATFORM', served],
      ['STORE_15S', served],
    ]);
    expect((await kv.range(keys.remoteSyncRequests)).kvs).toEqual([]);
    expect((await api.reports()).map((r) => r.target)).toEqual(['DEPLOY_PLATFORM', 'STORE_15S']);
  });

  it('answers REMOTE_SYNC_TIMEOUT when no leader serves it in time, and leaves the request for one', async () => {
    const error = await service(300)
      .request(['STORE_15S'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteSyncTimeoutError);
    const { requestId } = error as RemoteSyncTimeoutError;
    expect((await kv.range(keys.remoteSyncRequestsOf('STORE_15S'))).kvs.map((k) => k.key)).toEqual([
      keys.remoteSyncRequest('STORE_15S', requestId),
    ]);
    expect(await servePass(service(300), 'STORE_15S')).toEqual([requestId]);
  });

  it('gives up at once when the caller goes away', async () => {
    const caller = new AbortController();
    const answer = service(10_000).request(['STORE_15S'], caller.signal);
    caller.abort(new Error('client gone'));
    await expect(answer).rejects.toThrow('client gone');
  });
});
