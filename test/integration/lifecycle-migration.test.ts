import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedKv } from '../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../src/kv/kv.js';
import { keys } from '../../src/records/keyspace.js';
import { SegmentLifecycle } from '../support/documents/trust-gate-documents.js';
import { addSeats, installOk, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { startTestSimulator } from '../support/harness/sdp-sim.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * D9: when lifecycles arrive, a segment installed on any seat becomes RELEASED (by "migration"),
 * the rest DRAFT. Records written before lifecycles existed are made here by taking the field out
 * of stored records, then a new leader starts over the same store.
 */
describe('the lifecycle migration (D9)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('gives installed segments RELEASED by migration and the others DRAFT, once', async () => {
    const data = await tempDir('seghub-migration');
    cleanup.push(data.remove);
    const store: KvStore = await openEmbeddedKv({ dir: path.join(data.dir, 'store') });
    cleanup.push(() => store.close());
    // One platform for both runs: the second's remote sync must find what the first synced.
    const sim = await startTestSimulator();
    cleanup.push(() => sim.dispose());
    const parts = { store, dataDir: data.dir, sim };
    let app: SegmentApp = await startSegmentApp({ INSTALL_POLL_MS: '50' }, parts);
    const [seat] = await addSeats(app.url, 1, 'mig');
    const installed = await syncedSegment(app.url, 'old-app', '1.0.0');
    const idle = await syncedSegment(app.url, 'old-app', '2.0.0');
    await waitForInstallEnd(app.url, (await installOk(app.url, installed.id, [seat!.id])).id);
    await app.stop();

    for (const id of ['old-app/1.0.0', 'old-app/2.0.0']) {
      const kv = await store.get(keys.segment(id));
      const { lifecycle, ...older } = JSON.parse(kv!.value) as Record<string, unknown>;
      expect(lifecycle).toBe('DRAFT');
      await store.put(keys.segment(id), JSON.stringify(older));
    }
    app = await startSegmentApp({ INSTALL_POLL_MS: '50' }, parts);
    cleanup.push(() => app.stop());
    const lifecycleOf = async (id: string) =>
      (await httpGraphQL(app.url, SegmentLifecycle, { id })).data?.segment;
    const migrated = await waitFor(
      async () => {
        const segment = await lifecycleOf(installed.id);
        return segment?.releasedBy === 'migration' ? segment : undefined;
      },
      { timeoutMs: 15_000, message: 'the installed segment migrated' },
    );
    expect(migrated.lifecycle).toBe('RELEASED');
    expect(await lifecycleOf(idle.id)).toMatchObject({ lifecycle: 'DRAFT', releasedBy: null });
    const stored = JSON.parse((await store.get(keys.segment('old-app/2.0.0')))!.value) as {
      lifecycle?: string;
    };
    expect(stored.lifecycle).toBe('DRAFT');
  }, 60_000);
});
