import { createHash, randomBytes } from 'node:crypto';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileStorage, OffsetMismatchError, openFileStorage } from '../../src/storage/file-storage.js';
import { tempDir } from '../support/harness/temp.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function* chunks(data: Buffer, size = 64 * 1024, failAfter?: number) {
  for (let at = 0; at < data.length; at += size) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('the client went away');
    yield data.subarray(at, at + size);
  }
}

describe('upload session files: bytes and hash checkpoints', () => {
  let dir: { dir: string; remove: () => Promise<void> };
  let storage: FileStorage;
  beforeEach(async () => {
    dir = await tempDir('seghub-session-files');
    storage = await openFileStorage(dir.dir, { logger: pino({ level: 'silent' }) });
  });
  afterEach(() => dir.remove());

  it('hashes across appends from the saved state, and the finished file is renamed into place', async () => {
    const data = randomBytes(3 * MiB + 123);
    const files = storage.sessions;
    await files.create('s1');
    expect(
      (await files.append('s1', 0, chunks(data.subarray(0, MiB)), { maxSize: data.length })).offset,
    ).toBe(MiB);
    expect((await files.append('s1', MiB, chunks(data.subarray(MiB)), { maxSize: data.length })).offset).toBe(
      data.length,
    );
    expect(await files.digest('s1')).toEqual({ offset: data.length, sha256: sha256(data) });
    const staged = await storage.adoptSession('s1', sha256(data));
    await storage.place(staged);
    expect(await readFile(storage.pathOf(sha256(data)))).toEqual(data);
    // The checkpoint stays until the session is removed: a completion that fails hands the file back.
    expect(await files.checkpoint('s1')).toMatchObject({ offset: data.length });
    await files.remove('s1');
    expect(await files.checkpoint('s1')).toBeUndefined();
  });

  it('keeps what arrived before the sender went away, checkpointed', async () => {
    const data = randomBytes(40 * MiB);
    await storage.sessions.create('s2');
    const cut = await storage.sessions.append('s2', 0, chunks(data, 64 * 1024, 35 * MiB), {
      maxSize: data.length,
    });
    expect(cut).toMatchObject({ offset: 35 * MiB, error: new Error('the client went away') });
    expect(await storage.sessions.digest('s2')).toEqual({
      offset: 35 * MiB,
      sha256: sha256(data.subarray(0, 35 * MiB)),
    });
  });

  it('drops bytes past the checkpoint when the next append starts (a crash between write and checkpoint)', async () => {
    const data = randomBytes(2 * MiB);
    const files = storage.sessions;
    await files.create('s3');
    await files.append('s3', 0, chunks(data.subarray(0, MiB)), { maxSize: data.length });
    // What a process killed after a write and before its checkpoint leaves: bytes nobody vouched for.
    await appendFile(files.dataPath('s3'), randomBytes(5000));
    expect((await files.checkpoint('s3'))?.offset).toBe(MiB);
    await files.append('s3', MiB, chunks(data.subarray(MiB)), { maxSize: data.length });
    expect((await stat(files.dataPath('s3'))).size).toBe(data.length);
    expect(await files.digest('s3')).toEqual({ offset: data.length, sha256: sha256(data) });
  });

  it('refuses an append at another offset than the checkpoint, and one past the declared size', async () => {
    await storage.sessions.create('s4');
    await expect(
      storage.sessions.append('s4', 10, chunks(Buffer.alloc(10)), { maxSize: 100 }),
    ).rejects.toBeInstanceOf(OffsetMismatchError);
    const over = await storage.sessions.append('s4', 0, chunks(Buffer.alloc(150), 50), { maxSize: 100 });
    expect(over.offset).toBe(100);
    expect(over.error).toBeInstanceOf(Error);
  });
});
