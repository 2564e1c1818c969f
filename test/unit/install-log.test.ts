import { describe, expect, it } from 'vitest';
import { InstallLog } from '../../src/domain/installs/install-log.js';
import { MAX_DEVICES_PER_TASK, planTasks } from '../../src/domain/installs/install-steps.js';
import { LOG_CHUNK_SIZE, logChunkCodec } from '../../src/records/install-log-schema.js';
import type { InstallRecordValue } from '../../src/records/install-schema.js';

const now = new Date('2026-11-28T10:00:00Z');

describe('InstallLog', () => {
  it('starts with every seat PENDING at 0 %, in chunks of LOG_CHUNK_SIZE', () => {
    const log = InstallLog.fresh('r/1.0.0/x', LOG_CHUNK_SIZE * 2 + 3, 1, now);
    const chunks = [...log.allChunks().values()];
    expect(chunks.map((c) => c.s.length)).toEqual([LOG_CHUNK_SIZE, LOG_CHUNK_SIZE, 3]);
    expect(log.seat(LOG_CHUNK_SIZE + 1)).toEqual({ state: 'PENDING', percent: 0 });
    expect(log.summary).toMatchObject({
      status: 'PENDING',
      percent: 0,
      total: LOG_CHUNK_SIZE * 2 + 3,
      pending: LOG_CHUNK_SIZE * 2 + 3,
    });
  });

  it('marks only the chunks whose seats changed, and a write of unchanged seats marks nothing', () => {
    const log = InstallLog.fresh('r', LOG_CHUNK_SIZE * 3, 1, now);
    expect(log.setSeat(LOG_CHUNK_SIZE + 5, { state: 'RUNNING', percent: 30 })).toBe(true);
    expect(log.setSeat(LOG_CHUNK_SIZE + 5, { state: 'RUNNING', percent: 30 })).toBe(false);
    expect([...log.takeDirty().keys()]).toEqual([1]);
    expect(log.hasDirty()).toBe(false);
  });

  it('never changes a chunk it handed out: snapshots and taken chunks keep what they had', () => {
    const log = InstallLog.fresh('r', LOG_CHUNK_SIZE + 2, 1, now);
    log.setSeat(1, { state: 'RUNNING', percent: 10 });
    const before = log.snapshot();
    const listed = log.allChunks().get(0);
    log.setSeat(1, { state: 'RUNNING', percent: 50 });
    log.setSeat(2, { state: 'FAILED', percent: 5, error: 'disk full' });
    const taken = log.takeDirty().get(0);
    log.setSeat(3, { state: 'SUCCEEDED', percent: 100 });
    log.setSeat(2, { state: 'RUNNING', percent: 70 }); // finished: ignored
    expect(before.seat(1)).toEqual({ state: 'RUNNING', percent: 10 });
    expect(before.seat(2)).toEqual({ state: 'PENDING', percent: 0 });
    expect(listed?.p.slice(0, 4)).toEqual([0, 10, 0, 0]);
    expect(taken).toMatchObject({ s: `PRFP${'P'.repeat(LOG_CHUNK_SIZE - 4)}`, e: { 2: 'disk full' } });
    expect(taken?.p.slice(0, 4)).toEqual([0, 50, 5, 0]);
    expect(log.seat(3)).toEqual({ state: 'SUCCEEDED', percent: 100 });
    expect([...log.takeDirty().keys()]).toEqual([0]);
    expect(log.allChunks().get(0)?.s.slice(0, 4)).toBe('PRFS');
  });

  it('never lowers a seat’s percent and never moves a finished seat', () => {
    const log = InstallLog.fresh('r', 2, 1, now);
    log.setSeat(0, { state: 'RUNNING', percent: 60 });
    log.setSeat(0, { state: 'RUNNING', percent: 40 });
    expect(log.seat(0)).toEqual({ state: 'RUNNING', percent: 60 });
    log.setSeat(1, { state: 'FAILED', percent: 20, error: 'disk full' });
    expect(log.setSeat(1, { state: 'SUCCEEDED', percent: 100 })).toBe(false);
    expect(log.seat(1)).toEqual({ state: 'FAILED', percent: 20, error: 'disk full' });
  });

  it('summarizes counts and an overall percent that counts finished seats as 100 and never drops', () => {
    const log = InstallLog.fresh('r', 4, 1, now);
    log.setSeat(0, { state: 'SUCCEEDED', percent: 100 });
    log.setSeat(1, { state: 'FAILED', percent: 10, error: 'x' });
    log.setSeat(2, { state: 'RUNNING', percent: 50 });
    const summary = log.summarize('RUNNING', now);
    expect(summary).toMatchObject({ percent: 62, pending: 1, running: 1, succeeded: 1, failed: 1, seq: 1 });
    log.summary = { ...log.summary, percent: 80 }; // as if an earlier poll had seen more
    expect(log.summarize('RUNNING', now).percent).toBe(80);
  });

  it('packs a chunk small: 500 seats in about 2.5 KiB', () => {
    const log = InstallLog.fresh('r', LOG_CHUNK_SIZE, 1, now);
    for (let i = 0; i < LOG_CHUNK_SIZE; i++) log.setSeat(i, { state: 'RUNNING', percent: 55 });
    const [chunk] = [...log.takeDirty().values()];
    expect(logChunkCodec.encode(chunk!).length).toBeLessThan(3 * 1024);
  });

  it('reports which seats a replaced chunk changed (what a subscriber is sent)', () => {
    const writer = InstallLog.fresh('r', 10, 1, now);
    const reader = writer.snapshot();
    writer.setSeat(3, { state: 'RUNNING', percent: 10 });
    writer.setSeat(7, { state: 'SUCCEEDED', percent: 100 });
    const [[n, chunk]] = [...writer.takeDirty()] as [[number, Parameters<typeof reader.replaceChunk>[1]]];
    expect(reader.replaceChunk(n, chunk)).toEqual([3, 7]);
  });

  it('ignores a chunk older than the one it holds (a watch replaying what a read already had)', () => {
    const writer = InstallLog.fresh('r', 10, 1, now);
    const stale = writer.allChunks().get(0)!;
    writer.setSeat(2, { state: 'RUNNING', percent: 40 });
    writer.summarize('RUNNING', now);
    const reader = writer.snapshot();
    expect(reader.replaceChunk(0, stale)).toEqual([]);
    expect(reader.seat(2)).toEqual({ state: 'RUNNING', percent: 40 });
  });
});

describe('planTasks', () => {
  const record = (installs: number, uninstalls: number): InstallRecordValue => ({
    segmentId: 'radar/1.0.0',
    installSeats: Array.from({ length: installs }, (_, i) => `i${i}`),
    uninstallSeats: Array.from({ length: uninstalls }, (_, i) => `u${i}`),
    status: 'PENDING',
    createdAt: now.toISOString(),
  });

  it('one task per action, installs first, with keys derived from the record id', () => {
    const tasks = planTasks('radar/1.0.0/20261128T100000000Z-ab', record(3, 2));
    expect(tasks.map(({ action, from, to }) => [action, from, to])).toEqual([
      ['INSTALL', 0, 3],
      ['UNINSTALL', 3, 5],
    ]);
    expect(planTasks('radar/1.0.0/20261128T100000000Z-ab', record(3, 2))).toEqual(tasks);
    expect(planTasks('radar/1.0.0/20261128T100000000Z-cd', record(3, 2))[0]?.idempotencyKey).not.toBe(
      tasks[0]?.idempotencyKey,
    );
    for (const task of tasks) expect(task.idempotencyKey.length).toBeLessThanOrEqual(128);
  });

  it('splits an action over tasks of at most MAX_DEVICES_PER_TASK devices', () => {
    const tasks = planTasks('r', record(MAX_DEVICES_PER_TASK + 1, 0));
    expect(tasks.map(({ from, to }) => [from, to])).toEqual([
      [0, MAX_DEVICES_PER_TASK],
      [MAX_DEVICES_PER_TASK, MAX_DEVICES_PER_TASK + 1],
    ]);
    expect(new Set(tasks.map((t) => t.idempotencyKey)).size).toBe(2);
  });

  it('no task for an action with no seats', () => {
    expect(planTasks('r', record(0, 4)).map((t) => t.action)).toEqual(['UNINSTALL']);
  });
});
