import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FileStorage,
  openFileStorage,
  SizeLimitError,
  type StagedFile,
} from '../../src/storage/file-storage.js';
import { tempDir } from '../support/harness/temp.js';

const logger = pino({ level: 'silent' });
const MiB = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Yields fresh chunks of `chunkBytes` for ever, counting how many were pulled. */
function endless(chunkBytes: number) {
  const state = { pulled: 0 };
  const source = Readable.from(
    (function* () {
      for (;;) {
        state.pulled++;
        yield randomBytes(chunkBytes);
      }
    })(),
  );
  return { source, state };
}

/** Pushes `chunks`, then fails with `error`. */
function failingAfter(chunks: Buffer[], error: Error): Readable {
  const queue = [...chunks];
  return new Readable({
    read() {
      const next = queue.shift();
      if (next) this.push(next);
      else this.destroy(error);
    },
  });
}

let storage: FileStorage;
let remove: () => Promise<void>;

beforeEach(async () => {
  const temp = await tempDir('seghub-storage');
  remove = temp.remove;
  storage = await openFileStorage(path.join(temp.dir, 'segments'), { logger });
});

afterEach(() => remove());

const tmpEntries = () => readdir(storage.tmpDir);
const receiveBytes = (data: Buffer) => storage.receive(Readable.from([data]), { maxBytes: data.length });

describe('receive and place', () => {
  it('hashes and sizes a multi-chunk source and leaves exactly one staged file', async () => {
    const chunks = [randomBytes(1), randomBytes(70_000), randomBytes(0), randomBytes(12_345)];
    const data = Buffer.concat(chunks);

    const staged = await storage.receive(Readable.from(chunks), { maxBytes: 1 * MiB });

    expect(staged.sha256).toBe(sha256(data));
    expect(staged.size).toBe(data.length);
    expect(await tmpEntries()).toEqual([path.basename(staged.path)]);
    expect(path.basename(staged.path)).toMatch(new RegExp(`^${staged.sha256}\\..+\\.staged$`));
    expect(await readFile(staged.path)).toEqual(data);
  });

  it('writes thousands of small chunks whole and in order while earlier writes are in flight', async () => {
    // More than the sink gathers while a write is in flight (1 MiB), in chunks of every size, some
    // arriving on later turns of the event loop: every batch boundary must keep the order.
    const chunks = Array.from({ length: 3000 }, (_, i) => randomBytes(1 + ((i * 7919) % 3000)));
    const data = Buffer.concat(chunks);
    const source = Readable.from(
      (async function* () {
        for (const [i, chunk] of chunks.entries()) {
          if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
          yield chunk;
        }
      })(),
    );

    const staged = await storage.receive(source, { maxBytes: data.length });

    expect(data.length).toBeGreaterThan(2 * MiB);
    expect(staged.size).toBe(data.length);
    expect(staged.sha256).toBe(sha256(data));
    // Buffer.equals: vitest's deep equality walks megabytes byte by byte.
    expect((await readFile(staged.path)).equals(data)).toBe(true);
  });

  it('hands back the bytes of a file no larger than keepBytes, and not of a larger one', async () => {
    const chunks = [randomBytes(1000), randomBytes(2000), randomBytes(96)];
    const data = Buffer.concat(chunks);
    const kept = await storage.receive(Readable.from(chunks), { maxBytes: MiB, keepBytes: data.length });
    expect(kept.bytes).toEqual(data);
    expect(await readFile(kept.path)).toEqual(data);

    const larger = await storage.receive(Readable.from(chunks), {
      maxBytes: MiB,
      keepBytes: data.length - 1,
    });
    expect(larger.bytes).toBeUndefined();
    expect(larger.sha256).toBe(sha256(data));
    expect((await storage.receive(Readable.from(chunks), { maxBytes: MiB })).bytes).toBeUndefined();
  });

  it('places the file under its hash and leaves no temp file', async () => {
    const data = randomBytes(5000);
    const staged = await receiveBytes(data);

    const final = await storage.place(staged);

    expect(final).toBe(path.join(storage.dir, sha256(data)));
    expect(final).toBe(storage.pathOf(staged.sha256));
    expect(await readFile(final)).toEqual(data);
    expect(await tmpEntries()).toEqual([]);
    expect(await storage.has(staged.sha256)).toBe(true);
    expect(await storage.size(staged.sha256)).toBe(5000);
  });

  it('keeps one file when the same content is placed twice', async () => {
    const data = randomBytes(3000);
    const first = await receiveBytes(data);
    const second = await receiveBytes(data);
    expect(second.path).not.toBe(first.path);

    await storage.place(first);
    await storage.place(second);

    expect((await readdir(storage.dir)).sort()).toEqual(['.tmp', sha256(data)]);
    expect(await tmpEntries()).toEqual([]);
  });

  it('discards a staged file, more than once without complaint', async () => {
    const staged = await receiveBytes(randomBytes(10));
    await storage.discard(staged);
    await storage.discard(staged);
    expect(await tmpEntries()).toEqual([]);
    expect(await storage.has(staged.sha256)).toBe(false);
    expect(await storage.size(staged.sha256)).toBeUndefined();
  });

  it('accepts exactly maxBytes', async () => {
    const data = randomBytes(100);
    const staged = await storage.receive(Readable.from([data.subarray(0, 60), data.subarray(60)]), {
      maxBytes: 100,
    });
    expect(staged.size).toBe(100);
  });

  it('stages a file another writer put at a temp path', async () => {
    const data = randomBytes(2048);
    const temp = storage.newTempPath('download');
    expect(path.dirname(temp)).toBe(storage.tmpDir);
    await writeFile(temp, data);

    const staged = await storage.adoptTemp(temp, sha256(data));

    expect(staged).toMatchObject({ sha256: sha256(data), size: data.length });
    expect(await readFile(await storage.place(staged))).toEqual(data);
    expect(await tmpEntries()).toEqual([]);
  });
});

describe('receive failures leave nothing behind', () => {
  it.each([
    ['at a chunk boundary', 3000],
    ['in the middle of a chunk', 2500],
  ])('rejects over the limit %s and destroys the source', async (_case, maxBytes) => {
    const { source, state } = endless(1000);

    const error = await storage.receive(source, { maxBytes }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(SizeLimitError);
    expect((error as SizeLimitError).maxBytes).toBe(maxBytes);
    expect(source.destroyed).toBe(true);
    expect(state.pulled).toBeLessThan(50);
    expect(await tmpEntries()).toEqual([]);
  });

  it('rejects with the error of a source that fails halfway', async () => {
    const boom = new Error('connection reset');
    const source = failingAfter([randomBytes(40_000), randomBytes(40_000)], boom);

    await expect(storage.receive(source, { maxBytes: MiB })).rejects.toBe(boom);
    expect(await tmpEntries()).toEqual([]);
  });

  it('rejects with the abort reason when aborted mid-stream', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    let reads = 0;
    const source = new Readable({
      read() {
        // The second read means the first chunk went to the sink; then the stream stalls.
        if (++reads === 1) this.push(randomBytes(10_000));
        else controller.abort(reason);
      },
    });

    await expect(storage.receive(source, { maxBytes: MiB, signal: controller.signal })).rejects.toBe(reason);
    expect(source.destroyed).toBe(true);
    expect(await tmpEntries()).toEqual([]);
  });

  it('rejects at once with a signal aborted beforehand', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const source = Readable.from([randomBytes(10)]);

    await expect(storage.receive(source, { maxBytes: MiB, signal: controller.signal })).rejects.toThrow(
      'too late',
    );
    expect(source.destroyed).toBe(true);
    expect(await tmpEntries()).toEqual([]);
  });
});

describe('sha256 arguments', () => {
  it.each(['../x', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(64)}/`, ''])('rejects %j', async (bad) => {
    expect(() => storage.pathOf(bad)).toThrow(RangeError);
    await expect(storage.has(bad)).rejects.toThrow(RangeError);
    await expect(storage.size(bad)).rejects.toThrow(RangeError);
    await expect(storage.adoptTemp(storage.newTempPath('x'), bad)).rejects.toThrow(RangeError);
  });

  it('refuses a staged file outside the temp directory', async () => {
    const forged: StagedFile = { path: path.join(storage.dir, '..', 'x'), sha256: 'a'.repeat(64), size: 1 };
    await expect(storage.place(forged)).rejects.toThrow(RangeError);
    await expect(storage.discard(forged)).rejects.toThrow(RangeError);
  });
});

describe('sweep', () => {
  const age = async (file: string) => {
    const past = new Date(Date.now() - 2 * HOUR_MS);
    await utimes(file, past, past);
  };
  const writeTemp = async (name: string, old: boolean) => {
    const file = path.join(storage.tmpDir, name);
    await writeFile(file, 'junk');
    if (old) await age(file);
    return file;
  };

  it('removes old partial and unknown files, keeps young ones, places referenced staged files of any age', async () => {
    const oldPart = await writeTemp('receive-old.part', true);
    const youngPart = await writeTemp('receive-young.part', false);
    const unknown = await writeTemp('stray', true);
    const referenced = await receiveBytes(Buffer.from('referenced'));
    const unreferenced = await receiveBytes(Buffer.from('unreferenced'));
    const duplicateData = Buffer.from('already placed');
    await storage.place(await receiveBytes(duplicateData));
    const duplicate = await receiveBytes(duplicateData);
    const youngStaged = await receiveBytes(Buffer.from('young'));
    // A record names it already: its upload crashed just before moving it into place.
    const youngReferenced = await receiveBytes(Buffer.from('young, referenced'));
    for (const staged of [referenced, unreferenced, duplicate]) await age(staged.path);
    const named = new Set([referenced.sha256, youngReferenced.sha256]);
    const asked: string[] = [];

    const result = await storage.sweep({
      graceMs: HOUR_MS,
      isReferenced: (staged) => {
        asked.push(staged.sha256);
        return named.has(staged.sha256);
      },
    });

    expect(result).toEqual({ removed: 4, placed: 2 });
    expect(asked.sort()).toEqual(
      [referenced.sha256, unreferenced.sha256, youngStaged.sha256, youngReferenced.sha256].sort(),
    );
    expect(await readFile(storage.pathOf(referenced.sha256), 'utf8')).toBe('referenced');
    expect(await readFile(storage.pathOf(youngReferenced.sha256), 'utf8')).toBe('young, referenced');
    expect(await storage.has(unreferenced.sha256)).toBe(false);
    expect(await storage.has(youngStaged.sha256)).toBe(false);
    const left = (await tmpEntries()).sort();
    expect(left).toEqual([path.basename(youngPart), path.basename(youngStaged.path)].sort());
    expect(left).not.toContain(path.basename(oldPart));
    expect(left).not.toContain(path.basename(unknown));

    // Once the young files age, nothing at all is left.
    await age(youngPart);
    await age(youngStaged.path);
    expect(await storage.sweep({ graceMs: HOUR_MS, isReferenced: () => false })).toEqual({
      removed: 2,
      placed: 0,
    });
    expect(await tmpEntries()).toEqual([]);
  });

  it('places the staged copy a crashed upload left when asked whether the file is there', async () => {
    const data = Buffer.from('staged, never placed');
    const staged = await receiveBytes(data);
    expect(await storage.has(staged.sha256)).toBe(false);

    expect(await storage.ensurePlaced(staged.sha256)).toBe(true);
    expect(await readFile(storage.pathOf(staged.sha256))).toEqual(data);
    expect(await tmpEntries()).toEqual([]);
    // The upload that staged it gets there second, and is not refused for it.
    expect(await storage.place(staged)).toBe(storage.pathOf(staged.sha256));
    expect(await storage.ensurePlaced(sha256(Buffer.from('never received')))).toBe(false);
  });

  it('does nothing to an empty temp directory', async () => {
    expect(await storage.sweep({ graceMs: 0, isReferenced: () => true })).toEqual({ removed: 0, placed: 0 });
  });
});

describe('large files', () => {
  it('receives 256 MiB with bounded memory', async () => {
    const total = 256 * MiB;
    const chunkBytes = 64 * 1024;
    const expected = createHash('sha256');
    const before = process.memoryUsage().rss;
    let peak = before;
    const source = Readable.from(
      (function* () {
        for (let sent = 0; sent < total; sent += chunkBytes) {
          peak = Math.max(peak, process.memoryUsage().rss);
          const chunk = Buffer.alloc(chunkBytes, sent / chunkBytes);
          expected.update(chunk);
          yield chunk;
        }
      })(),
    );

    const staged = await storage.receive(source, { maxBytes: total });

    expect(staged.size).toBe(total);
    expect(staged.sha256).toBe(expected.digest('hex'));
    expect(peak - before).toBeLessThan(64 * MiB);
  }, 120_000);
});
