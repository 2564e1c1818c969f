import { describe, expect, it } from 'vitest';
import {
  type SyncRetryPolicy,
  syncDueInMs,
  syncFailed,
  syncRestarted,
  syncSucceeded,
} from '../../src/domain/segments/sync-state.js';
import {
  decodeSegmentRecord,
  encodeSegmentRecord,
  type SegmentRecord,
} from '../../src/records/segment-schema.js';

const MINUTE_MS = 60_000;
const CAP_MS = 15 * MINUTE_MS;
const NOW = new Date('2024-05-01T12:00:00.000Z');
const policy: SyncRetryPolicy = { retryMax: 20, retryBaseMs: 1000 };
const transient = { reason: 'SDP unavailable', permanent: false };
/** The middle of the jitter band: the delay is exactly the doubled base. */
const middle = () => 0.5;

/** A valid record, PENDING with no attempts yet; `sync` overrides merge into the default sync state. */
function segmentRecord(
  overrides: Partial<Omit<SegmentRecord, 'sync'>> & { sync?: Partial<SegmentRecord['sync']> } = {},
): SegmentRecord {
  const { sync, ...rest } = overrides;
  return {
    instanceId: 'instance-1',
    name: 'billing',
    version: '1.2.3',
    format: 'ZIP',
    target: 'DEPLOY_PLATFORM',
    fileName: 'billing-1.2.3.zip',
    size: 1024,
    sha256: 'a'.repeat(64),
    metadata: { owner: 'team-a' },
    isLocal: true,
    createdAt: '2024-05-01T11:00:00.000Z',
    deleteStatus: 'NONE',
    ...rest,
    sync: { status: 'PENDING', attempts: 0, ...sync },
  };
}

const after = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const delayOf = (record: SegmentRecord) => Date.parse(record.sync.nextAttemptAt!) - NOW.getTime();

/** Fails the record `times` times in a row at NOW, with the jitter pinned to the middle. */
function failTimes(record: SegmentRecord, times: number): SegmentRecord[] {
  const out: SegmentRecord[] = [];
  let current = record;
  for (let i = 0; i < times; i++) {
    current = syncFailed(current, transient, policy, NOW, middle);
    out.push(current);
  }
  return out;
}

describe('segmentRecord fixture', () => {
  it('produces records that decodeSegmentRecord accepts, as built and after every transition', () => {
    const records = [
      segmentRecord(),
      segmentRecord({
        format: 'MPK',
        target: 'STORE_15S',
        fileName: 'b.mpk',
        description: 'd',
        isLocal: false,
        deleteStatus: 'FAILED',
        deleteError: 'refused',
        remoteExtra: { uid: 'u-0' },
        sync: { status: 'FAILED', attempts: 3, lastError: 'x', lastAttemptAt: after(0), syncedAt: after(0) },
      }),
      syncFailed(segmentRecord(), transient, policy, NOW),
      syncFailed(segmentRecord(), { reason: 'refused', permanent: true }, policy, NOW),
      syncSucceeded(segmentRecord(), 'uid-1', NOW),
      syncRestarted(segmentRecord({ sync: { status: 'FAILED', attempts: 5 } })),
    ];
    for (const record of records) {
      expect(decodeSegmentRecord('segments/billing/1.2.3', encodeSegmentRecord(record))).toEqual(record);
    }
  });
});

describe('syncFailed', () => {
  it('counts the attempt, records why and when, and schedules the next one after the base delay', () => {
    const failed = syncFailed(segmentRecord(), transient, policy, NOW, middle);
    expect(failed.sync).toEqual({
      status: 'PENDING',
      attempts: 1,
      lastError: 'SDP unavailable',
      lastAttemptAt: NOW.toISOString(),
      nextAttemptAt: after(1000),
    });
  });

  it('leaves everything but the sync state alone and does not change its input', () => {
    const record = segmentRecord({ remoteExtra: { uid: 'u-1' } });
    const snapshot = structuredClone(record);
    const failed = syncFailed(record, transient, policy, NOW, middle);
    expect(record).toEqual(snapshot);
    const { sync: _, ...rest } = failed;
    const { sync: __, ...restBefore } = snapshot;
    expect(rest).toEqual(restBefore);
  });

  it('doubles the delay with each further failure', () => {
    expect(failTimes(segmentRecord(), 6).map(delayOf)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('replaces the previous error and attempt time', () => {
    const earlier = segmentRecord({
      sync: {
        attempts: 2,
        lastError: 'old',
        lastAttemptAt: '2024-05-01T11:59:00.000Z',
        nextAttemptAt: after(0),
      },
    });
    const failed = syncFailed(earlier, { reason: 'new', permanent: false }, policy, NOW, middle);
    expect(failed.sync).toMatchObject({ attempts: 3, lastError: 'new', lastAttemptAt: NOW.toISOString() });
    expect(delayOf(failed)).toBe(4000);
  });

  it('spreads the delay over ±20% of the doubled base', () => {
    const third = segmentRecord({ sync: { attempts: 2 } }); // the third failure: 4000 ms before jitter
    const at = (r: number) => delayOf(syncFailed(third, transient, policy, NOW, () => r));
    expect(at(0)).toBe(3200);
    expect(at(0.25)).toBe(3600);
    expect(at(0.75)).toBe(4400);
    expect(at(0.999_999)).toBe(4800);
    for (let i = 0; i < 200; i++) {
      const delay = delayOf(syncFailed(third, transient, policy, NOW));
      expect(delay).toBeGreaterThanOrEqual(3200);
      expect(delay).toBeLessThanOrEqual(4800);
    }
  });

  it('stops growing at 15 minutes', () => {
    const delays = failTimes(segmentRecord(), 19).map(delayOf);
    // 1000 * 2^10 = 1 024 000 ms is the first doubling beyond 15 minutes.
    expect(delays[9]).toBe(512_000);
    expect(delays.slice(10)).toEqual(Array(9).fill(CAP_MS));
    const late = segmentRecord({ sync: { attempts: 60 } });
    expect(delayOf(syncFailed(late, transient, { retryMax: 100, retryBaseMs: 1000 }, NOW, middle))).toBe(
      CAP_MS,
    );
  });

  it('keeps a base delay above 15 minutes instead of shortening it', () => {
    const slow = { retryMax: 10, retryBaseMs: 20 * MINUTE_MS };
    const first = syncFailed(segmentRecord(), transient, slow, NOW, middle);
    const second = syncFailed(first, transient, slow, NOW, middle);
    expect([delayOf(first), delayOf(second)]).toEqual([20 * MINUTE_MS, 20 * MINUTE_MS]);
  });

  it('turns FAILED without a next attempt when the attempts reach retryMax', () => {
    const small = { retryMax: 3, retryBaseMs: 1000 };
    const second = syncFailed(segmentRecord({ sync: { attempts: 1 } }), transient, small, NOW, middle);
    expect(second.sync).toMatchObject({ status: 'PENDING', attempts: 2 });

    const third = syncFailed(second, transient, small, NOW, middle);
    expect(third.sync).toEqual({
      status: 'FAILED',
      attempts: 3,
      lastError: 'SDP unavailable',
      lastAttemptAt: NOW.toISOString(),
    });
    expect(syncDueInMs(third, NOW)).toBe(0);
  });

  it('turns FAILED at once when the failure is permanent', () => {
    const scheduled = segmentRecord({ sync: { attempts: 1, nextAttemptAt: after(5000) } });
    const failed = syncFailed(scheduled, { reason: 'refused: bad archive', permanent: true }, policy, NOW);
    expect(failed.sync).toEqual({
      status: 'FAILED',
      attempts: 2,
      lastError: 'refused: bad archive',
      lastAttemptAt: NOW.toISOString(),
    });
  });
});

describe('syncSucceeded', () => {
  it('marks SYNCED with the uid, drops the schedule and the error, and keeps the attempt count', () => {
    const [, , retrying] = failTimes(segmentRecord(), 3);
    const synced = syncSucceeded(retrying!, 'uid-42', NOW);
    expect(synced.sync).toEqual({
      status: 'SYNCED',
      attempts: 3,
      lastAttemptAt: NOW.toISOString(),
      syncedAt: NOW.toISOString(),
    });
    expect(synced.sync).not.toHaveProperty('nextAttemptAt');
    expect(synced.sync).not.toHaveProperty('lastError');
    expect(synced.remoteExtra).toEqual({ uid: 'uid-42' });
    const { sync: _, remoteExtra: __, ...rest } = synced;
    const { sync: ___, remoteExtra: ____, ...restBefore } = retrying!;
    expect(rest).toEqual(restBefore);
    expect(syncDueInMs(synced, NOW)).toBe(0);
  });

  it('replaces an earlier uid', () => {
    const synced = syncSucceeded(segmentRecord({ remoteExtra: { uid: 'old' } }), 'new', NOW);
    expect(synced.remoteExtra).toEqual({ uid: 'new' });
  });
});

describe('syncRestarted', () => {
  it('gives a FAILED record a fresh budget, due at once', () => {
    const failed = syncFailed(
      segmentRecord({ sync: { attempts: 4 } }),
      transient,
      { ...policy, retryMax: 5 },
      NOW,
    );
    expect(failed.sync.status).toBe('FAILED');
    const restarted = syncRestarted(failed);
    expect(restarted.sync).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(restarted.sync).not.toHaveProperty('nextAttemptAt');
    expect(syncDueInMs(restarted, NOW)).toBe(0);
  });

  it('makes a PENDING record waiting for its next attempt due now', () => {
    const [, waiting] = failTimes(segmentRecord(), 2);
    expect(syncDueInMs(waiting!, NOW)).toBe(2000);
    const restarted = syncRestarted(waiting!);
    expect(restarted.sync).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(restarted.sync).not.toHaveProperty('nextAttemptAt');
    expect(syncDueInMs(restarted, NOW)).toBe(0);
  });
});

describe('syncDueInMs', () => {
  it('is 0 without a scheduled attempt', () => {
    expect(syncDueInMs(segmentRecord(), NOW)).toBe(0);
  });

  it('counts down to the scheduled attempt and stays 0 once it has passed', () => {
    const record = segmentRecord({ sync: { attempts: 1, nextAttemptAt: after(10_000) } });
    expect(syncDueInMs(record, NOW)).toBe(10_000);
    expect(syncDueInMs(record, new Date(NOW.getTime() + 9_999))).toBe(1);
    expect(syncDueInMs(record, new Date(NOW.getTime() + 10_000))).toBe(0);
    expect(syncDueInMs(record, new Date(NOW.getTime() + 60_000))).toBe(0);
  });

  it('matches the delay syncFailed scheduled', () => {
    const failed = syncFailed(segmentRecord(), transient, policy, NOW, () => 0.1);
    expect(syncDueInMs(failed, NOW)).toBe(840);
  });
});
