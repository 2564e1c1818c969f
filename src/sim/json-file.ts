import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from '../util/fs.js';

/** Reads a JSON file, or returns undefined when it does not exist yet. */
export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Replaces `file` with `value` so that a crash at any moment leaves either the old or the new
 * content: write a temp file, fsync it, rename it over the old one, fsync the directory.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(value));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/**
 * One JSON document saved atomically, with saves coalesced: while a write is in flight, further
 * `save()` calls wait for one more write of the latest state instead of queueing one write each.
 * Every `save()` resolves once a write that started after it was called has reached the disk.
 */
export class JsonDocument {
  private writing: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    readonly file: string,
    private readonly snapshot: () => unknown,
  ) {}

  save(): Promise<void> {
    if (this.next) return this.next;
    if (!this.writing) {
      this.writing = this.write();
      return this.writing;
    }
    const after = this.writing;
    this.next = after.then(
      () => this.promote(),
      () => this.promote(),
    );
    return this.next;
  }

  private promote(): Promise<void> {
    this.next = undefined;
    this.writing = this.write();
    return this.writing;
  }

  private async write(): Promise<void> {
    try {
      await writeJsonAtomic(this.file, this.snapshot());
    } finally {
      this.writing = undefined;
    }
  }
}
