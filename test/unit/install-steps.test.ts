import { describe, expect, it } from 'vitest';
import {
  MAX_DEVICES_PER_TASK,
  planSecondStep,
  planTasks,
  StepMap,
  seatListChanges,
  taskSeats,
} from '../../src/domain/installs/install-steps.js';
import type { SeatState } from '../../src/records/install-log-schema.js';
import {
  type InstallRecordValue,
  installHeadCodec,
  originOf,
  type UpgradeOrder,
} from '../../src/records/install-schema.js';
import { BitMask } from '../../src/util/bit-mask.js';

/** v2 onto s0..s3; s0, s1 and s3 run v1, s3 already has v2 (it only loses v1). */
function upgrade(order: UpgradeOrder): InstallRecordValue {
  return {
    segmentId: 'radar/2.0.0',
    installSeats: ['s0', 's1', 's2', 's3'],
    uninstallSeats: [],
    status: 'PENDING',
    createdAt: '2026-12-07T10:00:00.000Z',
    origin: { kind: 'MANUAL' },
    replace: {
      order,
      installedFrom: 3,
      others: [{ segmentId: 'radar/1.0.0', seats: BitMask.of(4, [0, 1, 3]).encode() }],
    },
  };
}

const withSecondStep = (record: InstallRecordValue, failed: (i: number) => boolean): InstallRecordValue => {
  const first = planTasks('r', record).map((task) => ({ ...task, taskId: 't' }));
  const second = planSecondStep('r', record, first.length, failed);
  return {
    ...record,
    plan: {
      target: 'DEPLOY_PLATFORM',
      segmentUid: 'u',
      ips: [],
      tasks: [...first, ...second],
      secondStep: true,
    },
  };
};

describe('BitMask', () => {
  it('round-trips the indexes it was given, and no others', () => {
    const mask = BitMask.decode(BitMask.of(20, [0, 7, 8, 19]).encode());
    expect([...Array(20).keys()].filter((i) => mask.has(i))).toEqual([0, 7, 8, 19]);
    expect(mask.has(20)).toBe(false);
    expect(() => BitMask.empty(8).set(8)).toThrow(RangeError);
  });
});

describe('install origin', () => {
  it('reads a record written before origins existed as MANUAL', () => {
    const old = JSON.stringify({
      segmentId: 'radar/1.0.0',
      installSeats: ['a'],
      uninstallSeats: [],
      status: 'SUCCEEDED',
      createdAt: '2026-11-28T10:00:00.000Z',
    });
    const record = installHeadCodec.decode('installs/radar/1.0.0/x', old);
    expect(originOf(record)).toEqual({ kind: 'MANUAL' });
  });
});

describe('upgrade steps', () => {
  it('INSTALL_FIRST installs where needed first, then removes v1 where the install did not fail', () => {
    const record = upgrade('INSTALL_FIRST');
    const first = planTasks('r', record);
    expect(first.map((t) => [t.action, taskSeats(t), t.segmentId])).toEqual([
      ['INSTALL', [0, 1, 2], undefined],
    ]);
    const second = planSecondStep('r', record, first.length, (i) => i === 1);
    expect(second.map((t) => [t.action, taskSeats(t), t.segmentId, t.step])).toEqual([
      ['UNINSTALL', [0, 3], 'radar/1.0.0', 2],
    ]);
    // Derived from the record: planned again after a crash, the keys are the same.
    expect(planSecondStep('r', record, first.length, (i) => i === 1)).toEqual(second);
    expect(new Set([...first, ...second].map((t) => t.idempotencyKey)).size).toBe(2);
  });

  it('UNINSTALL_FIRST removes v1 first, then installs where that did not fail', () => {
    const record = upgrade('UNINSTALL_FIRST');
    const first = planTasks('r', record);
    expect(first.map((t) => [t.action, taskSeats(t), t.segmentId])).toEqual([
      ['UNINSTALL', [0, 1, 3], 'radar/1.0.0'],
    ]);
    const second = planSecondStep('r', record, first.length, (i) => i === 0);
    expect(second.map((t) => [t.action, taskSeats(t)])).toEqual([['INSTALL', [1, 2]]]);
  });

  it('splits a masked step over tasks of at most MAX_DEVICES_PER_TASK seats', () => {
    const n = MAX_DEVICES_PER_TASK * 2 + 10;
    const record: InstallRecordValue = {
      ...upgrade('INSTALL_FIRST'),
      installSeats: Array.from({ length: n }, (_, i) => `s${i}`),
      replace: {
        order: 'INSTALL_FIRST',
        installedFrom: n,
        others: [{ segmentId: 'radar/1.0.0', seats: BitMask.of(n, [...Array(n).keys()]).encode() }],
      },
    };
    const second = planSecondStep('r', record, 1, (i) => i % 2 === 0);
    expect(second.map((t) => taskSeats(t).length)).toEqual([MAX_DEVICES_PER_TASK, 5]);
    expect(taskSeats(second[0]!).every((i) => i % 2 === 1)).toBe(true);
  });

  it('shows a two-step seat at 0–50 % for the first step and ends it only with the second', () => {
    const map = new StepMap(upgrade('INSTALL_FIRST'));
    const install = { step: 1 };
    const remove = { step: 2, segmentId: 'radar/1.0.0' };
    expect(map.seatProgress(install, 0, { state: 'RUNNING', percent: 60 })).toEqual({
      state: 'RUNNING',
      percent: 30,
    });
    expect(map.seatProgress(install, 0, { state: 'SUCCEEDED', percent: 100 })).toEqual({
      state: 'RUNNING',
      percent: 50,
    });
    expect(map.seatProgress(remove, 0, { state: 'SUCCEEDED', percent: 100 })).toEqual({
      state: 'SUCCEEDED',
      percent: 100,
    });
    expect(map.seatProgress(remove, 0, { state: 'FAILED', percent: 10, error: 'disk' })).toEqual({
      state: 'FAILED',
      percent: 55,
      error: 'both versions present: removing radar/1.0.0 failed: disk',
    });
    // A seat without v1 is a plain install.
    expect(map.seatProgress(install, 2, { state: 'SUCCEEDED', percent: 100 })).toEqual({
      state: 'SUCCEEDED',
      percent: 100,
    });
  });

  it('moves the seat lists by what happened to each seat, per order', () => {
    const states = (byIndex: SeatState[]) => (i: number) => byIndex[i] ?? 'PENDING';
    // INSTALL_FIRST: s0 fully moved, s1's install failed (keeps v1), s2 installed, s3's removal failed.
    const installFirst = withSecondStep(upgrade('INSTALL_FIRST'), (i) => i === 1);
    const a = seatListChanges(installFirst, states(['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'FAILED']));
    expect([...a.get('radar/2.0.0')!.add].sort()).toEqual(['s0', 's2']);
    expect([...a.get('radar/1.0.0')!.remove]).toEqual(['s0']);
    // UNINSTALL_FIRST: s0's removal failed (nothing moves), s1 lost v1 but the install failed.
    const uninstallFirst = withSecondStep(upgrade('UNINSTALL_FIRST'), (i) => i === 0);
    const b = seatListChanges(uninstallFirst, states(['FAILED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED']));
    expect([...b.get('radar/2.0.0')!.add].sort()).toEqual(['s2']);
    expect([...b.get('radar/1.0.0')!.remove].sort()).toEqual(['s1', 's3']);
  });
});
