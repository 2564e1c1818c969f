import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CreateSegmentHeader,
  type CreateSegmentRequest,
  type Segment,
  SegmentFormat,
} from '../../src/sdp/generated/seghub/sdp/v1/segments.js';
import { SegmentStore, type SegmentStoreOptions } from '../../src/sim/segments/segment-store.js';
import { failedPrecondition } from '../../src/sim/status.js';
import { headerFor, sha256 } from '../support/fixtures/sim-fixtures.js';
import { tempDir } from '../support/harness/temp.js';

const logger = pino({ level: 'silent' });
const ZIP = SegmentFormat.SEGMENT_FORMAT_ZIP;
const DAY_MS = 24 * 60 * 60 * 1000;

const headerMessage = (value: CreateSegmentHeader): CreateSegmentRequest => ({
  payload: { $case: 'header', value },
});
const chunkMessage = (value: Buffer): CreateSegmentRequest => ({ payload: { $case: 'chunk', value } });

/** The messages of a well-formed upload: the header, then the data in chunks. */
function upload(header: CreateSegmentHeader, data: Buffer, chunkBytes = 4096): CreateSegmentRequest[] {
  const chunks: CreateSegmentRequest[] = [];
  for (let at = 0; at < data.length; at += chunkBytes)
    chunks.push(chunkMessage(data.subarray(at, at + chunkBytes)));
  return [headerMessage(header), ...chunks];
}

/** Yields the messages and counts how many the store pulled. */
function counted(messages: CreateSegmentRequest[]) {
  const state = { pulled: 0 };
  const iterable = (function* () {
    for (const message of messages) {
      state.pulled++;
      yield message;
    }
  })();
  return { iterable, state };
}

describe('SegmentStore', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let store: SegmentStore;
  const open = (options: Partial<SegmentStoreOptions> = {}) =>
    SegmentStore.open({ dir, format: ZIP, logger, ...options });
  const incoming = () => readdir(path.join(dir, 'incoming'));
  const files = () => readdir(path.join(dir, 'files'));
  const create = (header: CreateSegmentHeader, data: Buffer) => store.create(upload(header, data));
  let seq = 0;
  /** A new segment with its own name, so creates do not collide unless a test wants them to. */
  const createNamed = async (name = `seg-${++seq}`, version = '3.5.1'): Promise<Segment> => {
    const data = Buffer.from(`bytes of ${name} ${version}`);
    const { segment } = await create(headerFor(data, { name, version, fileName: `${name}.zip` }), data);
    return segment!;
  };

  beforeEach(async () => {
    ({ dir, remove } = await tempDir('sim-segments'));
    store = await open();
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  describe('header validation', () => {
    const data = Buffer.from('zip bytes');
    const invalid: [string, Partial<CreateSegmentHeader>, string][] = [
      ['an upper-case name', { name: 'Radar' }, 'header.name'],
      ['a name starting with a dash', { name: '-radar' }, 'header.name'],
      ['a 64-character name', { name: 'a'.repeat(64) }, 'header.name'],
      ['an empty name', { name: '' }, 'header.name'],
      ['a name with @', { name: 'radar@x' }, 'header.name'],
      ['a version with a letter', { version: '3.5.x' }, 'header.version'],
      ['a version with an empty part', { version: '3..1' }, 'header.version'],
      ['a version with a bare dash', { version: '3.5.1-' }, 'header.version'],
      ['a v-prefixed version', { version: 'v3.5.1' }, 'header.version'],
      ['the other platform format', { format: SegmentFormat.SEGMENT_FORMAT_MPK }, 'SEGMENT_FORMAT_ZIP'],
      ['an unspecified format', { format: SegmentFormat.SEGMENT_FORMAT_UNSPECIFIED }, 'SEGMENT_FORMAT_ZIP'],
      ['an empty file name', { fileName: '' }, 'header.file_name'],
      ['a file name with a slash', { fileName: 'a/b.zip' }, 'header.file_name'],
      ['a 256-character file name', { fileName: `${'é'.repeat(252)}.zip` }, 'header.file_name'],
      ['a negative size', { size: -1 }, 'header.size'],
      ['a fractional size', { size: 1.5 }, 'header.size'],
      ['a size past the limit', { size: 1025 }, 'header.size'],
      ['an upper-case sha256', { sha256: sha256(data).toUpperCase() }, 'header.sha256'],
      ['a short sha256', { sha256: 'ab' }, 'header.sha256'],
      ['an empty idempotency key', { idempotencyKey: '' }, 'idempotency_key'],
      ['a 129-character idempotency key', { idempotencyKey: 'k'.repeat(129) }, 'idempotency_key'],
      ['a non-ASCII idempotency key', { idempotencyKey: 'schlüssel' }, 'idempotency_key'],
      ['an idempotency key with a control character', { idempotencyKey: 'a\tb' }, 'idempotency_key'],
    ];

    it.each(invalid)('rejects %s with INVALID_ARGUMENT naming the field', async (_, override, field) => {
      await store.close();
      store = await open({ maxBytes: 1024 });
      await expect(create(headerFor(data, override), data)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        message: expect.stringContaining(field),
      });
      expect(store.list()).toEqual([]);
      expect(store.stats()).toMatchObject({ rejected: 1, created: 0 });
      expect(await incoming()).toEqual([]);
    });

    it('accepts the limits of every rule', async () => {
      const empty = Buffer.alloc(0);
      const accepted: Partial<CreateSegmentHeader>[] = [
        { name: 'a', version: '1' },
        { name: `0${'a'.repeat(62)}`, version: '4.21.2-rc.1' },
        { name: 'radar_display.x-y', version: '10.0.0-beta-2.x' },
        { fileName: `${'é'.repeat(251)}.zip` },
        { idempotencyKey: `${' ~'.repeat(64)}` },
        { idempotencyKey: '__proto__' },
      ];
      for (const [i, override] of accepted.entries()) {
        const data = i === 0 ? empty : Buffer.from(`segment ${i}`);
        const { segment } = await create(headerFor(data, { version: `1.0.${i}`, ...override }), data);
        const { idempotencyKey: _, ...fields } = override;
        expect(segment).toMatchObject({ size: data.length, format: ZIP, ...fields });
      }
      expect(store.stats()).toMatchObject({ created: accepted.length, rejected: 0 });
    });

    it('rejects a size beyond what a JavaScript number holds exactly', async () => {
      await expect(create(headerFor(data, { size: 2 ** 53 }), data)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
    });
  });

  describe('idempotency', () => {
    it('replays a finished create from its header alone, without reading the body', async () => {
      const data = Buffer.alloc(100_000, 7);
      const header = headerFor(data);
      const first = await create(header, data);
      const second = counted(upload(header, data));

      const replay = await store.create(second.iterable);

      expect(replay).toEqual({ segment: first.segment, replayed: true });
      expect(first.replayed).toBe(false);
      expect(second.state.pulled).toBe(1);
      expect(store.list()).toHaveLength(1);
      expect(await files()).toHaveLength(1);
      expect(store.stats()).toMatchObject({ created: 1, replayed: 1, rejected: 0 });
    });

    it('refuses a key reused for a different request', async () => {
      const data = Buffer.from('one');
      const header = headerFor(data);
      await create(header, data);
      const other = Buffer.from('two');
      await expect(
        create(headerFor(other, { idempotencyKey: header.idempotencyKey, version: '9.9.9' }), other),
      ).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        message: expect.stringContaining('idempotency'),
      });
      await expect(create({ ...header, fileName: 'renamed.zip' }, data)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
      expect(store.list()).toHaveLength(1);
    });

    it('answers ABORTED to the same key while its upload runs, and reserves the name meanwhile', async () => {
      const data = Buffer.alloc(10_000, 1);
      const header = headerFor(data);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let headerRead!: () => void;
      const headerReadPromise = new Promise<void>((resolve) => {
        headerRead = resolve;
      });
      const slow = (async function* () {
        yield headerMessage(header);
        headerRead();
        await gate;
        yield chunkMessage(data);
      })();
      const running = store.create(slow);
      await headerReadPromise;

      await expect(create(header, data)).rejects.toMatchObject({ code: status.ABORTED });
      await expect(create(headerFor(data), data)).rejects.toMatchObject({
        code: status.ALREADY_EXISTS,
        message: expect.stringContaining('being uploaded'),
      });
      release();
      const created = await running;
      expect(await create(header, data)).toEqual({ segment: created.segment, replayed: true });
    });

    it('returns the first answer even after that segment was deleted', async () => {
      const data = Buffer.from('short-lived');
      const header = headerFor(data);
      const { segment } = await create(header, data);
      await store.delete(segment!.uid);
      expect(await create(header, data)).toEqual({ segment, replayed: true });
      expect(store.list()).toEqual([]);
    });
  });

  describe('name and version', () => {
    it('are unique: another key gets ALREADY_EXISTS until the segment is deleted', async () => {
      const data = Buffer.from('v1');
      const { segment } = await create(headerFor(data), data);
      await expect(create(headerFor(data), data)).rejects.toMatchObject({
        code: status.ALREADY_EXISTS,
        message: expect.stringContaining(segment!.uid),
      });
      const other = await create(headerFor(data, { version: '3.5.2' }), data);
      expect(other.segment!.version).toBe('3.5.2');

      await store.delete(segment!.uid);
      const again = await create(headerFor(data), data);
      expect(again.segment!.uid).not.toBe(segment!.uid);
      expect(store.stats()).toMatchObject({ created: 3, rejected: 1, deleted: 1 });
    });
  });

  describe('a body that does not match its header', () => {
    const data = Buffer.alloc(50_000, 3);
    const cases: [string, (header: CreateSegmentHeader) => CreateSegmentRequest[]][] = [
      ['a sha256 mismatch', (h) => upload({ ...h, sha256: sha256(Buffer.from('else')) }, data)],
      ['fewer bytes than the size', (h) => upload(h, data).slice(0, -1)],
      ['more bytes than the size', (h) => [...upload(h, data), chunkMessage(Buffer.from('x'))]],
      ['a second header', (h) => [...upload(h, data), headerMessage(h)]],
      ['an empty message', (h) => [...upload(h, data).slice(0, 2), { payload: undefined }]],
      [
        'a chunk over 1 MiB',
        (h) => [headerMessage({ ...h, size: 2 ** 20 + 1 }), chunkMessage(Buffer.alloc(2 ** 20 + 1))],
      ],
      ['a chunk first', () => [chunkMessage(data)]],
      ['no message at all', () => []],
    ];

    it.each(cases)(
      '%s: INVALID_ARGUMENT, no file, no record, key and name stay free',
      async (_, messages) => {
        const header = headerFor(data);
        await expect(store.create(messages(header))).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
        expect(await incoming()).toEqual([]);
        expect(await files()).toEqual([]);
        expect(store.list()).toEqual([]);
        expect(store.stats()).toMatchObject({ rejected: 1, created: 0 });

        const retried = await create(header, data);
        expect(retried.replayed).toBe(false);
        expect(await readFile(store.filePath(retried.segment!.uid))).toEqual(data);
      },
    );
  });

  it('does not commit an upload whose caller cancelled as its last bytes arrived', async () => {
    const data = Buffer.alloc(20_000, 9);
    const header = headerFor(data);
    const cancel = new AbortController();
    const messages = (function* () {
      yield* upload(header, data);
      // A reset reaches the store as the end of the messages, with the cancel just behind it.
      cancel.abort(new Error('caller cancelled'));
    })();

    await expect(store.create(messages, { signal: cancel.signal })).rejects.toThrow('caller cancelled');
    expect(store.list()).toEqual([]);
    expect(await files()).toEqual([]);
    expect(await incoming()).toEqual([]);
    expect(store.stats()).toMatchObject({ abandoned: 1, rejected: 0, created: 0 });
    expect((await create(header, data)).replayed).toBe(false);
  });

  describe('listing', () => {
    it('pages in creation order; no duplicate or missed segment while others come and go', async () => {
      const initial: Segment[] = [];
      for (let i = 0; i < 10; i++) initial.push(await createNamed());
      const deletedUnseen = new Set<string>();
      const createdWhilePaging: Segment[] = [];
      const pages: Segment[][] = [];
      let token = '';
      do {
        const page = store.listPage({ pageSize: 3, pageToken: token, name: '' });
        pages.push(page.segments);
        token = page.nextPageToken;
        if (pages.length === 1) {
          // One already listed and one not yet listed go; two new ones come.
          await store.delete(initial[1]!.uid);
          await store.delete(initial[5]!.uid);
          deletedUnseen.add(initial[5]!.uid);
          createdWhilePaging.push(await createNamed(), await createNamed());
        } else if (pages.length === 2) {
          // The very segment the token points at goes.
          await store.delete(page.segments.at(-1)!.uid);
          createdWhilePaging.push(await createNamed());
        }
      } while (token);

      const listed = pages.flat().map((s) => s.uid);
      expect(new Set(listed).size).toBe(listed.length);
      const expected = [...initial, ...createdWhilePaging].filter((s) => !deletedUnseen.has(s.uid));
      expect(listed).toEqual(expected.map((s) => s.uid));
      expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    });

    it('has no token on an exactly full last page, filters by exact name, and defaults to 100', async () => {
      for (let i = 0; i < 101; i++) await createNamed(i % 2 === 0 ? 'even' : `odd-${i}`, `1.0.${i}`);
      const first = store.listPage({ pageSize: 0, pageToken: '', name: '' });
      expect(first.segments).toHaveLength(100);
      const rest = store.listPage({ pageSize: 0, pageToken: first.nextPageToken, name: '' });
      expect(rest).toMatchObject({
        segments: [expect.objectContaining({ name: 'even' })],
        nextPageToken: '',
      });

      const evens = store.listPage({ pageSize: 51, pageToken: '', name: 'even' });
      expect(evens.segments.map((s) => s.name)).toEqual(Array(51).fill('even'));
      expect(evens.nextPageToken).toBe('');
      expect(store.listPage({ pageSize: 5, pageToken: '', name: 'eve' }).segments).toEqual([]);
    });

    it('rejects a page token it did not issue', async () => {
      await createNamed();
      const issued = store.listPage({ pageSize: 0, pageToken: '', name: '' });
      expect(issued.nextPageToken).toBe('');
      const forged = [
        'garbage!',
        Buffer.from('seq:-1').toString('base64url'),
        Buffer.from('seq:01').toString('base64url'),
        Buffer.from('seq:1').toString('base64'),
        Buffer.from('seq:99999999999999999').toString('base64url'),
      ];
      for (const pageToken of forged) {
        expect(() => store.listPage({ pageSize: 1, pageToken, name: '' }), pageToken).toThrow(
          expect.objectContaining({ code: status.INVALID_ARGUMENT }),
        );
      }
    });
  });

  describe('delete', () => {
    it('removes record and file; NOT_FOUND when absent; a refusing guard changes nothing', async () => {
      const segment = await createNamed();
      const refuse = () => {
        throw failedPrecondition('installed');
      };
      await expect(store.delete(segment.uid, refuse)).rejects.toMatchObject({
        code: status.FAILED_PRECONDITION,
      });
      expect(store.has(segment.uid)).toBe(true);
      expect(await files()).toEqual([segment.uid]);

      await store.delete(segment.uid, () => {});
      expect(store.has(segment.uid)).toBe(false);
      expect(await files()).toEqual([]);
      await expect(store.delete(segment.uid)).rejects.toMatchObject({ code: status.NOT_FOUND });
      expect(store.stats().deleted).toBe(1);
    });
  });

  describe('restart', () => {
    it('keeps segments, files, order and idempotency keys', async () => {
      const data = Buffer.from('survives');
      const header = headerFor(data, { name: 'keeper' });
      const kept = (await create(header, data)).segment!;
      const gone = await createNamed();
      await store.delete(gone.uid);
      await store.close();

      store = await open();
      expect(store.list()).toEqual([kept]);
      expect(await readFile(store.filePath(kept.uid))).toEqual(data);
      expect(await create(header, data)).toEqual({ segment: kept, replayed: true });
      await expect(create(headerFor(data, { name: 'keeper' }), data)).rejects.toMatchObject({
        code: status.ALREADY_EXISTS,
      });
      const later = await createNamed();
      expect(store.list().map((s) => s.uid)).toEqual([kept.uid, later.uid]);
      expect(store.stats()).toEqual({ created: 1, replayed: 1, rejected: 1, abandoned: 0, deleted: 0 });
    });

    it('forgets idempotency keys after the retention period', async () => {
      const data = Buffer.from('old');
      const header = headerFor(data);
      const { segment } = await create(header, data);
      await store.delete(segment!.uid);
      await store.close();

      store = await open({ now: () => Date.now() + 6 * DAY_MS });
      expect((await create(header, data)).replayed).toBe(true);
      await store.close();

      store = await open({ now: () => Date.now() + 8 * DAY_MS });
      const fresh = await create(header, data);
      expect(fresh.replayed).toBe(false);
      expect(fresh.segment!.uid).not.toBe(segment!.uid);
    });

    it('sweeps partial uploads, unknown files and index temp files left by a crash', async () => {
      const kept = await createNamed();
      await store.close();
      await writeFile(path.join(dir, 'incoming', 'partial-upload'), 'half a file');
      await mkdir(path.join(dir, 'incoming', 'odd-dir'));
      await writeFile(path.join(dir, 'files', 'renamed-but-not-recorded'), 'orphan');
      await writeFile(path.join(dir, 'segments.json.abc123.tmp'), '{"half":');
      await writeFile(path.join(dir, 'unrelated.json'), '{}');

      store = await open();
      expect(await incoming()).toEqual([]);
      expect(await files()).toEqual([kept.uid]);
      expect((await readdir(dir)).sort()).toEqual(['files', 'incoming', 'segments.json', 'unrelated.json']);
      expect(store.list()).toEqual([kept]);
    });

    it("refuses a directory that holds the other platform's segments", async () => {
      await createNamed();
      await store.close();
      await expect(open({ format: SegmentFormat.SEGMENT_FORMAT_MPK })).rejects.toThrow(/SEGMENT_FORMAT_ZIP/);
      store = await open();
    });
  });
});
