import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trustMetrics } from '../../src/app/trust-metrics.js';
import { runIntegrity } from '../../src/controller/integrity-reconciler.js';
import { SegmentService } from '../../src/domain/segments/segment-service.js';
import { IntegrityService } from '../../src/domain/trust/integrity-service.js';
import { refuseTampered } from '../../src/domain/trust/trust-guard.js';
import type { KvStore } from '../../src/kv/kv.js';
import { FileTamperedError } from '../../src/model/errors.js';
import { SegmentRecords } from '../../src/records/segment-records.js';
import type { SegmentRecord } from '../../src/records/segment-schema.js';
import { openFileStorage } from '../../src/storage/file-storage.js';
import { catalogOf } from '../support/fixtures/segment-catalog.js';
import { segmentRecord } from '../support/fixtures/segment-records.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const HOUR = 3_600_000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Tamper detection (SPEC-FLEET D11) on real stores and real files: a stored file changed behind
 * seghub's back is found by `verify` and by the leader's pass, raised in the log and the gauge, and
 * lifted once the right bytes are back. Due times come from the records, on an injected clock.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('file integrity on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let records: SegmentRecords;
  let segments: SegmentService;
  let integrity: IntegrityService;
  let registry: Registry;
  let logs: Record<string, unknown>[];
  let cleanups: (() => Promise<void>)[];
  /** The injected clock: it stands still unless a test moves it. */
  let nowMs: number;
  const clock = () => new Date(nowMs);

  beforeAll(async () => {
    backend = await startBackend(kind);
  }, 30_000);

  afterAll(async () => {
    await backend?.dispose();
  });

  beforeEach(async () => {
    nowMs = Date.parse('2026-06-01T12:00:00Z');
    logs = [];
    cleanups = [];
    store = await backend.openStore();
    const temp = await tempDir('seghub-integrity');
    cleanups.push(temp.remove);
    const storage = await openFileStorage(path.join(temp.dir, 'segments'), {
      logger: pino({ level: 'silent' }),
    });
    records = new SegmentRecords(store);
    const { catalog, close } = catalogOf(store);
    cleanups.push(close);
    segments = new SegmentService({
      records,
      catalog,
      storage,
      maxUploadBytes: 1024 * 1024,
      retry: { retryMax: 1, retryBaseMs: 1 },
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    integrity = new IntegrityService({ segments, logger, now: clock });
    registry = new Registry();
    trustMetrics(catalog, registry);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A segment whose file is in storage, as an upload leaves it. */
  async function stored(id: string, text: string, overrides: Partial<SegmentRecord> = {}) {
    const bytes = Buffer.from(text);
    const record = segmentRecord(id, { sha256: sha256(bytes), size: bytes.length, ...overrides });
    expect((await records.create(id, record)).created).toBe(true);
    const segment = (await segments.get(id))!;
    await writeFile(segments.filePath(segment), bytes);
    return segment;
  }

  const current = async (id: string) => (await segments.get(id))!;
  const tampered = async () =>
    (await registry.getSingleMetric('seghub_segments_tampered')!.get()).values[0]?.value;
  const alerts = () => logs.filter((line) => line.msg === 'segment file tampered');

  it('a file changed on disk is TAMPERED, logged and counted; the right bytes again and verify lift it', async () => {
    const segment = await stored('radar/1.0.0', 'the uploaded bytes');
    const verified = await integrity.verify(segment.id);
    expect(verified.record.integrity).toEqual({ status: 'OK', checkedAt: clock().toISOString() });
    expect(await tampered()).toBe(0);

    const changed = Buffer.from('the uploaded byteZ');
    await writeFile(segments.filePath(segment), changed);
    const found = await integrity.verify(segment.id);
    expect(found.record.integrity).toMatchObject({
      status: 'TAMPERED',
      reason: `file hashes to ${sha256(changed)} (${changed.length} bytes)`,
    });
    expect((await current(segment.id)).record.integrity?.status).toBe('TAMPERED');
    expect(alerts()).toEqual([
      expect.objectContaining({
        level: 50,
        segmentId: segment.id,
        expected: segment.record.sha256,
        found: sha256(changed),
      }),
    ]);
    expect(await tampered()).toBe(1);
    expect(() => refuseTampered(found)).toThrow(FileTamperedError);
    await expect(integrity.checkForRelease(found)).rejects.toMatchObject({ code: 'FILE_TAMPERED' });

    await writeFile(segments.filePath(segment), 'the uploaded bytes');
    const lifted = await integrity.verify(segment.id);
    expect(lifted.record.integrity?.status).toBe('OK');
    expect(() => refuseTampered(lifted)).not.toThrow();
    expect(await tampered()).toBe(0);
    expect((await integrity.checkForRelease(lifted)).record.integrity?.status).toBe('OK');
  });

  it('a missing file is TAMPERED: file missing', async () => {
    const segment = await stored('sonar/2.0.0', 'sonar bytes');
    await rm(segments.filePath(segment));
    await expect(integrity.checkForRelease(segment)).rejects.toMatchObject({
      code: 'FILE_TAMPERED',
      reason: 'file missing',
    });
    expect((await current(segment.id)).record.integrity).toMatchObject({
      status: 'TAMPERED',
      reason: 'file missing',
    });
    expect(alerts()).toEqual([expect.objectContaining({ segmentId: segment.id, found: 'file missing' })]);
  });

  it('a check writes nothing onto another upload of the same name and version', async () => {
    const first = await stored('gyro/1.0.0', 'first upload');
    const again = await records.update(first, { ...first.record, instanceId: 'a later upload' });
    expect(again).toBeDefined();
    const result = await integrity.check(first);
    expect(result).toEqual({ integrity: expect.objectContaining({ status: 'OK' }), segment: undefined });
    expect((await current(first.id)).record.integrity).toBeUndefined();
  });

  /** Runs the leader's pass until the test ends (or `stop`). */
  function startPass(resyncMs: number) {
    const term = new AbortController();
    const logger = pino({ level: 'silent' });
    const deps = { integrity, segments, logger, guard: [], intervalMs: 24 * HOUR, resyncMs, now: clock };
    const running = runIntegrity(store, deps, { signal: term.signal });
    const stop = async () => {
      term.abort();
      await running;
    };
    cleanups.push(stop);
    return stop;
  }

  const checkedAt = async (id: string) => (await current(id)).record.integrity?.checkedAt;
  const statusOf = async (id: string) => (await current(id)).record.integrity?.status;

  it('the pass checks what is due by checkedAt, skips deletions, and waits for the next due time', async () => {
    const at = (msAgo: number) => new Date(clock().getTime() - msAgo).toISOString();
    const fresh = await stored('fresh/1.0.0', 'never checked');
    const overdue = await stored('overdue/1.0.0', 'checked a day ago', {
      integrity: { status: 'OK', checkedAt: at(25 * HOUR) },
    });
    const anHourAgo = at(HOUR);
    const recent = await stored('recent/1.0.0', 'checked an hour ago', {
      integrity: { status: 'OK', checkedAt: anHourAgo },
    });
    const going = await stored('going/1.0.0', 'being deleted', { deleteStatus: 'PROCESSING' });
    for (const segment of [overdue, recent, going]) await writeFile(segments.filePath(segment), 'changed');

    startPass(100);
    await waitFor(async () => (await statusOf(overdue.id)) === 'TAMPERED', { message: 'overdue checked' });
    expect(await statusOf(fresh.id)).toBe('OK');
    // A segment arriving later is checked by a later pass; the one not yet due still is not.
    const later = await stored('later/1.0.0', 'arrives later');
    await waitFor(async () => (await statusOf(later.id)) === 'OK', { message: 'later checked' });
    expect((await current(recent.id)).record.integrity).toEqual({ status: 'OK', checkedAt: anHourAgo });
    expect((await current(going.id)).record.integrity).toBeUndefined();
    expect(await tampered()).toBe(1);

    const freshCheckedAt = await checkedAt(fresh.id);
    nowMs += 23 * HOUR + 60_000;
    await waitFor(async () => (await statusOf(recent.id)) === 'TAMPERED', { message: 'recent due' });
    expect(await tampered()).toBe(2);
    // Checked 23 h ago by the moved clock: not due again yet.
    expect(await checkedAt(fresh.id)).toBe(freshCheckedAt);
  });

  it('a new leader carries on from the records: nothing checked within the interval is hashed again', async () => {
    const first = await stored('first/1.0.0', 'first');
    const stopFirst = startPass(60 * HOUR);
    await waitFor(async () => (await statusOf(first.id)) === 'OK', { message: 'first checked' });
    const firstCheckedAt = await checkedAt(first.id);
    await stopFirst();

    nowMs += HOUR;
    // No resync in this test's time: only the segment watch can bring the newcomer to the pass.
    startPass(60 * HOUR);
    const second = await stored('second/1.0.0', 'second');
    await waitFor(async () => (await statusOf(second.id)) === 'OK', { message: 'second checked' });
    // A pass runs to its end before the next begins: once a third is checked, the pass that found
    // the second is over, and would have hashed the first had it been due.
    const third = await stored('third/1.0.0', 'third');
    await waitFor(async () => (await statusOf(third.id)) === 'OK', { message: 'third checked' });
    expect(await checkedAt(first.id)).toBe(firstCheckedAt);
  });
});
