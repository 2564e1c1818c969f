import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Logger } from '../../logger.js';
import { FileTamperedError, SegmentNotFoundError } from '../../model/errors.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { Integrity } from '../../records/segment-trust-schema.js';
import type { SegmentService, WriteGuard } from '../segments/segment-service.js';

/**
 * Tamper detection (SPEC-FLEET D11): the stored file is hashed again and compared with the SHA-256
 * and size recorded at upload; the outcome is the record's `integrity`. A TAMPERED segment is
 * blocked everywhere (`refuseTampered` in trust-guard.ts) until a check finds the right bytes again.
 */

export interface IntegrityServiceOptions {
  segments: SegmentService;
  logger: Logger;
  /** The time `checkedAt` is written with (the app's clock; tests inject one). */
  now?: () => Date;
}

export interface IntegrityResult {
  readonly integrity: Integrity;
  /** The record as written; undefined when it is gone or is another upload now (nothing written). */
  readonly segment: StoredSegment | undefined;
}

/** What reading the file found: its hash and size, or why there was nothing to hash. */
type Found = { sha256: string; size: number } | { problem: string };

/** Reads in 1 MiB pieces: the default 16 KiB costs a thread-pool round trip each (DEVELOPERS.md). */
const READ_CHUNK = 1024 * 1024;

/**
 * Errors that say nothing about the file: the process is short of descriptors or memory. They are
 * thrown (and the check retried later) instead of marking a good file TAMPERED.
 */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'EBUSY', 'EINTR']);

export class IntegrityService {
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: IntegrityServiceOptions) {
    this.log = options.logger.child({ component: 'integrity' });
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Hashes the stored file and writes the outcome to the record, if it is still the upload that was
   * read (a segment deleted and uploaded again names another file). Aborting `signal` stops the
   * read of a large file; nothing is written then.
   */
  async check(
    segment: StoredSegment,
    guard: WriteGuard = [],
    signal?: AbortSignal,
  ): Promise<IntegrityResult> {
    const found = await this.inspect(segment, signal);
    signal?.throwIfAborted();
    const integrity = this.judge(segment, found);
    const written = await this.write(segment, integrity, guard, signal);
    // A record that is gone, or another upload now, no longer names these bytes: nothing to raise.
    if (!written) return { integrity, segment: written };
    if (integrity.status === 'TAMPERED') {
      const { id, record } = segment;
      const detail =
        'problem' in found ? { found: found.problem } : { found: found.sha256, foundSize: found.size };
      // The alert operators grep for; the gauge seghub_segments_tampered counts the same records.
      this.log.error(
        { segmentId: id, expected: record.sha256, expectedSize: record.size, ...detail },
        'segment file tampered',
      );
    } else if (segment.record.integrity?.status === 'TAMPERED') {
      this.log.info({ segmentId: segment.id }, 'segment file intact again: the block is lifted');
    }
    return { integrity, segment: written };
  }

  /** `verifySegmentFile`: checks again now; an OK result lifts the block. */
  async verify(id: string, guard: WriteGuard = []): Promise<StoredSegment> {
    const segment = await this.options.segments.get(id);
    if (!segment) throw new SegmentNotFoundError(id);
    const { segment: written } = await this.check(segment, guard);
    const current = written ?? (await this.options.segments.get(id));
    if (!current) throw new SegmentNotFoundError(id);
    return current;
  }

  /**
   * Release and rollout creation hash the file again rather than trust an earlier check:
   * FILE_TAMPERED on a mismatch (recorded, so the segment is blocked everywhere). Returns the
   * record as written.
   */
  async checkForRelease(segment: StoredSegment, guard: WriteGuard = []): Promise<StoredSegment> {
    const { integrity, segment: written } = await this.check(segment, guard);
    if (integrity.status === 'TAMPERED') {
      throw new FileTamperedError(segment.id, integrity.reason ?? 'found tampered');
    }
    return written ?? segment;
  }

  private async inspect(segment: StoredSegment, signal: AbortSignal | undefined): Promise<Found> {
    const { segments } = this.options;
    if (!(await segments.hasFile(segment))) return { problem: 'file missing' };
    const hash = createHash('sha256');
    let size = 0;
    try {
      const stream = createReadStream(segments.filePath(segment), { highWaterMark: READ_CHUNK, signal });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Removed between the look and the read: as missing as before it.
      if (code === 'ENOENT') return { problem: 'file missing' };
      if (signal?.aborted || code === undefined || TRANSIENT.has(code)) throw error;
      // EACCES, EIO, EISDIR...: fails the same way every time, and seghub cannot serve it either.
      return { problem: `file unreadable (${code})` };
    }
    return { sha256: hash.digest('hex'), size };
  }

  private judge(segment: StoredSegment, found: Found): Integrity {
    const checkedAt = this.now().toISOString();
    if ('problem' in found) return { status: 'TAMPERED', checkedAt, reason: found.problem };
    const { sha256, size } = segment.record;
    if (found.sha256 === sha256 && found.size === size) return { status: 'OK', checkedAt };
    return { status: 'TAMPERED', checkedAt, reason: `file hashes to ${found.sha256} (${found.size} bytes)` };
  }

  private async write(
    segment: StoredSegment,
    integrity: Integrity,
    guard: WriteGuard,
    signal: AbortSignal | undefined,
  ): Promise<StoredSegment | undefined> {
    let same = false;
    try {
      const written = await this.options.segments.modify(
        segment.id,
        (current) => {
          // `modify` tries again while a compare fails, and a guard fails for good once leadership
          // is lost: the end of the term stops it.
          signal?.throwIfAborted();
          same = current.record.instanceId === segment.record.instanceId;
          return same ? { ...current.record, integrity } : undefined;
        },
        guard,
        segment,
      );
      return same ? written : undefined;
    } catch (error) {
      if (error instanceof SegmentNotFoundError) return undefined;
      throw error;
    }
  }
}

/** When the segment's file is due for its next check: at once when never checked. */
export function integrityDueAt(segment: StoredSegment, intervalMs: number): number {
  const checkedAt = segment.record.integrity?.checkedAt;
  return checkedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(checkedAt) + intervalMs;
}
