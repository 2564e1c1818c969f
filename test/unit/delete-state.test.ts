import { describe, expect, it } from 'vitest';
import { deleteDueInMs, deleteFailed, deleteRequested } from '../../src/domain/segments/delete-state.js';
import type { SegmentRecord } from '../../src/records/segment-schema.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const policy = { retryMax: 3, retryBaseMs: 1000 };
const record: SegmentRecord = {
  instanceId: 'i-1',
  name: 'radar',
  version: '1.0.0',
  format: 'ZIP',
  target: 'DEPLOY_PLATFORM',
  fileName: 'radar.zip',
  size: 1,
  sha256: '0'.repeat(64),
  metadata: {},
  isLocal: true,
  createdAt: NOW.toISOString(),
  sync: { status: 'SYNCED', attempts: 0 },
  deleteStatus: 'NONE',
};
const transient = { reason: 'DEPLOY_PLATFORM DeleteSegment: down (UNAVAILABLE)', permanent: false };

describe('the delete state machine', () => {
  it('retries transient failures with growing waits, then FAILED after retryMax attempts', () => {
    let current = deleteRequested(record);
    const waits: number[] = [];
    for (let i = 0; i < policy.retryMax - 1; i++) {
      current = deleteFailed(current, transient, policy, NOW, () => 0.5);
      expect(current).toMatchObject({
        deleteStatus: 'PROCESSING',
        deleteAttempts: i + 1,
        deleteError: transient.reason,
      });
      waits.push(deleteDueInMs(current, NOW));
    }
    expect(waits).toEqual([1000, 2000]);
    current = deleteFailed(current, transient, policy, NOW);
    expect(current).toMatchObject({
      deleteStatus: 'FAILED',
      deleteAttempts: 3,
      deleteError: transient.reason,
    });
    expect(current.deleteNextAttemptAt).toBeUndefined();
  });

  it('fails at once when the failure is permanent', () => {
    const failed = deleteFailed(deleteRequested(record), { reason: 'no', permanent: true }, policy, NOW);
    expect(failed).toMatchObject({ deleteStatus: 'FAILED', deleteAttempts: 1 });
  });

  it('starts a FAILED delete over with a fresh budget, the old reason cleared', () => {
    const failed = deleteFailed(deleteRequested(record), { reason: 'no', permanent: true }, policy, NOW);
    const again = deleteRequested(failed);
    expect(again.deleteStatus).toBe('PROCESSING');
    expect(again).not.toHaveProperty('deleteError');
    expect(again).not.toHaveProperty('deleteAttempts');
    expect(deleteDueInMs(again, NOW)).toBe(0);
  });
});
