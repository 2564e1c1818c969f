import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolloutDraft } from '../../src/domain/rollouts/rollout-draft.js';
import { emptySummary } from '../../src/domain/rollouts/rollout-record.js';
import type { KvStore } from '../../src/kv/kv.js';
import { RolloutRecords } from '../../src/records/rollout-records.js';
import type { RolloutRecord, RolloutSeat } from '../../src/records/rollout-schema.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';

const SEATS = 100_000;
/** D2: no value over 256 KiB. The etcd under test keeps its defaults: 1.5 MiB requests, 128 ops. */
const VALUE_LIMIT = 256 * 1024;
const name = 'fleet-app';

function head(): RolloutRecord {
  const at = '2026-12-07T10:00:00.000Z';
  return {
    segmentId: `${name}/2.0.0`,
    name,
    group: 'fleet',
    policy: {
      maxFailurePercent: 5,
      minSeatsBeforeEvaluating: 1,
      onFailure: 'ROLLBACK',
      seatTimeoutSeconds: 600,
      seatRetries: 2,
      retryBaseSeconds: 30,
      upgradeOrder: 'INSTALL_FIRST',
    },
    waves: [
      {
        from: 0,
        to: SEATS,
        soakSeconds: 0,
        requireApproval: false,
        state: 'PENDING',
        succeeded: 0,
        failed: 0,
        acceptedFailed: 0,
      },
    ],
    state: 'PENDING',
    currentWave: 0,
    createdBy: 'ops',
    approvals: [],
    events: [],
    summary: { ...emptySummary(SEATS), pending: SEATS },
    chunks: SEATS / 500,
    fromVersionSet: [],
    stepSeq: 0,
    createdAt: at,
  };
}

const seats: RolloutSeat[] = Array.from({ length: SEATS }, (_, i) => ({
  seat: `workstation-${String(i).padStart(6, '0')}`,
  wave: 0,
  state: 'PENDING',
  fromVersions: [],
  attempts: 0,
}));

async function largestValue(store: KvStore): Promise<number> {
  let largest = 0;
  for (let startAfter: string | undefined; ; ) {
    const page = await store.range('', { limit: 500, startAfter });
    for (const kv of page.kvs) largest = Math.max(largest, Buffer.byteLength(kv.value));
    if (!page.more) return largest;
    startAfter = page.kvs.at(-1)?.key;
  }
}

/** D2 for rollouts: 100,000 seats are recorded and every one of them rewritten within etcd's limits. */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('a 100,000-seat rollout on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let records: RolloutRecords;

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    records = new RolloutRecords(store);
  }, 60_000);
  afterAll(async () => {
    await backend?.dispose();
  });

  it('is created, and every seat rewritten at its worst size, with no value over 256 KiB', async () => {
    expect(await records.create('r1', head(), seats, [])).toBeDefined();
    const stored = await records.get('r1');
    const draft = new RolloutDraft(records, stored!, new Date('2026-12-07T11:00:00Z'));
    const all = await draft.allSeats();
    expect(all).toHaveLength(SEATS);
    // A rollback that could revert no seat: each seat's entry at its largest (two versions, a long error).
    for (const { index, seat } of all) {
      draft.setSeat(index, {
        ...seat,
        state: 'NOT_REVERTED',
        fromVersions: ['1.10.200', '1.10.201-rc.1'],
        attempts: 3,
        error: `could not reinstall ${name}/1.10.200: ${'x'.repeat(1000)}`,
      });
    }
    draft.enter('ROLLED_BACK');
    expect(await draft.commit([])).toBe(true);
    const after = await records.get('r1');
    expect(after?.record.summary).toMatchObject({ notReverted: SEATS, pending: 0 });
    const chunks = await records.readChunks('r1');
    expect(chunks.size).toBe(SEATS / 500);
    expect(chunks.get(199)?.[499]).toMatchObject({ seat: 'workstation-099999', state: 'NOT_REVERTED' });
    expect(chunks.get(0)?.[0]?.error?.length).toBeLessThanOrEqual(200);
    expect(await largestValue(store)).toBeLessThan(VALUE_LIMIT);
    // A write from a stale reading changes nothing.
    const stale = new RolloutDraft(records, stored!, new Date());
    stale.enter('CANCELLED');
    expect(await stale.commit([])).toBe(false);
    expect((await records.get('r1'))?.record.state).toBe('ROLLED_BACK');
  }, 120_000);
});
