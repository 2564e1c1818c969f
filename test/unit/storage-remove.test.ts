import { createHash } from 'node:crypto';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileStorage, openFileStorage } from '../../src/storage/file-storage.js';
import { tempDir } from '../support/harness/temp.js';

const logger = pino({ level: 'silent' });
const BYTES = Buffer.from('segment bytes');
const SHA = createHash('sha256').update(BYTES).digest('hex');

describe('FileStorage.remove', () => {
  let storage: FileStorage;
  let removeDir: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir('storage-remove');
    removeDir = temp.remove;
    storage = await openFileStorage(temp.dir, { logger });
    await writeFile(storage.pathOf(SHA), BYTES);
  });

  afterEach(async () => {
    await removeDir();
  });

  /** Answers in turn, then keeps answering the last. */
  const answers = (...values: boolean[]) => {
    let calls = 0;
    const isReferenced = async () => values[Math.min(calls++, values.length - 1)]!;
    return { isReferenced, calls: () => calls };
  };

  it('removes a file no record uses, after checking twice', async () => {
    const refs = answers(false);
    expect(await storage.remove(SHA, refs.isReferenced)).toBe('removed');
    expect(await storage.has(SHA)).toBe(false);
    expect(refs.calls()).toBe(2);
    expect(await readdir(storage.tmpDir)).toEqual([]);
  });

  it('keeps a file a record uses without touching it', async () => {
    expect(await storage.remove(SHA, answers(true).isReferenced)).toBe('kept');
    expect(await readFile(storage.pathOf(SHA))).toEqual(BYTES);
  });

  it('puts the file back when a record starts using it while it is set aside', async () => {
    // A re-upload of the same bytes created its record between the first check and the unlink.
    expect(await storage.remove(SHA, answers(false, true).isReferenced)).toBe('kept');
    expect(await readFile(storage.pathOf(SHA))).toEqual(BYTES);
    expect(await readdir(storage.tmpDir)).toEqual([]);
  });

  it('keeps the file when the second check fails, and says why', async () => {
    let calls = 0;
    const failing = async () => {
      if (calls++ === 0) return false;
      throw new Error('store unavailable');
    };
    await expect(storage.remove(SHA, failing)).rejects.toThrow('store unavailable');
    expect(await readFile(storage.pathOf(SHA))).toEqual(BYTES);
  });

  it('answers absent for a file that is not there', async () => {
    const other = 'a'.repeat(64);
    expect(await storage.remove(other, answers(false).isReferenced)).toBe('absent');
    expect(await readdir(path.dirname(storage.pathOf(SHA)))).toContain(SHA);
  });

  it('leaves a file set aside by a crash for the sweep, which places it when a record names it', async () => {
    // As if the process died between setting the file aside and deciding: it is a staged file.
    const refs = answers(false);
    await storage.remove(SHA, refs.isReferenced);
    const aside = path.join(storage.tmpDir, `${SHA}.0123abcd.staged`);
    await writeFile(aside, BYTES);
    // Older than the sweep's start, whatever the file system's timestamp granularity.
    await utimes(aside, new Date(Date.now() - 1000), new Date(Date.now() - 1000));
    const swept = await storage.sweep({ graceMs: 0, isReferenced: () => true });
    expect(swept).toEqual({ removed: 0, placed: 1 });
    expect(await readFile(storage.pathOf(SHA))).toEqual(BYTES);
  });
});
