import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { DeleteSegment } from '../support/documents/segment-delete-documents.js';
import {
  addSeats,
  install,
  segmentSeatNames,
  syncedSegment,
  waitForInstallEnd,
} from '../support/fixtures/installs.js';
import { getSegment } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

const RUNS = 50;
const AT_ONCE = 5;

/**
 * SPEC flows 4 and 8 together: an install and a delete of the same segment sent at the same moment.
 * Both decide on the segment as they read it and write with a compare on what they read, so exactly
 * one can win: every run ends deleted with no install record, or installed with the segment present.
 */
describe('delete racing install', () => {
  let app: SegmentApp;
  let seatId: string;

  beforeAll(async () => {
    app = await startSegmentApp({ INSTALL_POLL_MS: '50' });
    const [seat] = await addSeats(app.url, 1, 'racer');
    seatId = seat?.id as string;
  }, 30_000);

  afterAll(() => app?.stop());

  async function race(run: number): Promise<'deleted' | 'installed'> {
    const segment = await syncedSegment(app.url, `race-${run}`);
    const id = `race-${run}/1.0.0`;
    const [installed, deleted] = await Promise.all([
      install(app.url, segment.id, [seatId]),
      httpGraphQL(app.url, DeleteSegment, { id: segment.id }).then((r) => r.data?.deleteSegment),
    ]);
    const installWon = installed.__typename === 'InstallSegmentSuccess';
    const deleteWon = deleted?.__typename === 'DeleteSegmentSuccess';
    expect([installWon, deleteWon], `run ${run}: ${JSON.stringify({ installed, deleted })}`).toSatisfy(
      ([a, b]: boolean[]) => a !== b,
    );
    if (installWon) {
      expect(deleted).toMatchObject({ code: 'SEGMENT_INSTALLED' });
      const record = installed.__typename === 'InstallSegmentSuccess' ? installed.record : null;
      await waitForInstallEnd(app.url, record?.id as string);
      expect(await getSegment(app.url, segment.id)).toMatchObject({ deleteStatus: 'NONE' });
      expect(await segmentSeatNames(app.url, segment.id)).toEqual(['racer-0']);
      return 'installed';
    }
    expect(installed).toMatchObject({ code: expect.stringMatching(/^SEGMENT_(DELETING|NOT_FOUND)$/) });
    await waitFor(async () => (await getSegment(app.url, segment.id)) === null, { message: `${id} deleted` });
    expect((await app.store.range(keys.segmentInstalls(id))).count).toBe(0);
    expect(await app.store.get(keys.activeInstall(id))).toBeUndefined();
    expect(await app.store.get(keys.segmentSeats(id))).toBeUndefined();
    return 'deleted';
  }

  it(`${RUNS} runs: each ends deleted without an install record, or installed with the segment present`, async () => {
    const outcomes: string[] = [];
    for (let first = 0; first < RUNS; first += AT_ONCE) {
      const batch = Array.from({ length: AT_ONCE }, (_, i) => race(first + i));
      outcomes.push(...(await Promise.all(batch)));
    }
    expect(outcomes).toHaveLength(RUNS);
    console.info(
      `delete racing install: ${outcomes.filter((o) => o === 'installed').length} installed, ` +
        `${outcomes.filter((o) => o === 'deleted').length} deleted`,
    );
  }, 180_000);
});
