import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import type {
  CreateSegmentHeader,
  CreateSegmentResponse,
  ListSegmentsRequest,
  ListSegmentsResponse,
  Segment,
  SegmentFormat,
} from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { JsonDocument } from '../json-file.js';
import { aborted, alreadyExists, invalidArgument, notFound, SimStatusError, unavailable } from '../status.js';
import { IncomingFile } from './incoming-file.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { SegmentIndex } from './segment-index.js';
import { headerFingerprint, nameVersionKey, validateHeader } from './segment-rules.js';
import { loadIndex, type StoreLayout, storeLayout, sweepJunk } from './store-files.js';
import {
  type CreateRequests,
  confirmHalfClose,
  iteratorOf,
  readHeader,
  receiveBody,
} from './upload-stream.js';

export interface SegmentStoreOptions {
  dir: string;
  /** The one format this platform accepts. */
  format: SegmentFormat;
  logger: Logger;
  /** Largest accepted segment (default 64 GiB). */
  maxBytes?: number;
  /** How long idempotency keys are kept (default 7 days, the contract's minimum). */
  keyRetentionMs?: number;
  /** Milliseconds since the epoch; tests move it to expire keys. */
  now?: () => number;
}

/** What the simulator saw, so tests can assert e.g. "no duplicate create reached the platform". */
export interface SegmentStoreStats {
  created: number;
  /** Answered from an idempotency key without storing anything. */
  replayed: number;
  /** Answered with a status the contract prescribes (INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED, …). */
  rejected: number;
  /** Ended without an answer: the caller cancelled or went away, or the simulator failed. */
  abandoned: number;
  deleted: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 ** 3;
const DEFAULT_KEY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

interface Upload {
  header: CreateSegmentHeader;
  fingerprint: string;
  file: IncomingFile;
}

type CreateStart = { replayed: true; segment: Segment } | { replayed: false; upload: Upload };

/**
 * The segments of one simulated platform: files under `<dir>/files/<uid>`, uploads in progress
 * under `<dir>/incoming/`, and the index (segments, idempotency keys) in `<dir>/segments.json`.
 * Every decision about a create is taken synchronously when its header arrives, so concurrent
 * calls cannot both pass a check.
 */
export class SegmentStore {
  readonly format: SegmentFormat;
  readonly maxBytes: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly document: JsonDocument;
  /** Idempotency keys, and name@version pairs, of uploads in progress. */
  private readonly runningKeys = new Set<string>();
  private readonly reservedNames = new Set<string>();
  private readonly counts: SegmentStoreStats = {
    created: 0,
    replayed: 0,
    rejected: 0,
    abandoned: 0,
    deleted: 0,
  };
  private closed = false;
  /** `created` fires once a new segment is durable, before the caller is answered: the moment a
   * crash makes idempotency keys matter, which tests reproduce exactly. */
  readonly events = new EventEmitter<{ created: [Segment] }>();

  private constructor(
    private readonly layout: StoreLayout,
    private readonly index: SegmentIndex,
    options: SegmentStoreOptions,
  ) {
    this.format = options.format;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.document = new JsonDocument(layout.index, () => this.index.toJSON());
  }

  /** Loads the index, drops expired keys, and removes whatever a crash left behind. */
  static async open(options: SegmentStoreOptions): Promise<SegmentStore> {
    const layout = storeLayout(options.dir);
    const index = await loadIndex(layout, options.format);
    const swept = await sweepJunk(layout, index);
    const now = options.now ?? Date.now;
    const pruned = index.pruneKeys(now() - (options.keyRetentionMs ?? DEFAULT_KEY_RETENTION_MS));
    const store = new SegmentStore(layout, index, options);
    await store.document.save();
    options.logger.info(
      { dir: options.dir, segments: index.segmentCount, swept, pruned },
      'segment store open',
    );
    return store;
  }

  has(uid: string): boolean {
    return this.index.get(uid) !== undefined;
  }

  get(uid: string): Segment | undefined {
    const segment = this.index.get(uid);
    return segment && copySegment(segment);
  }

  /** Every segment, in creation order. */
  list(): Segment[] {
    return this.index.all().map(copySegment);
  }

  filePath(uid: string): string {
    return this.layout.file(uid);
  }

  stats(): SegmentStoreStats {
    return { ...this.counts };
  }

  /** ListSegments: INVALID_ARGUMENT for a token this store did not issue. */
  listPage(request: ListSegmentsRequest): ListSegmentsResponse {
    const afterSeq = decodePageToken(request.pageToken);
    const limit = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(request.pageSize, MAX_PAGE_SIZE);
    const page = this.index.page(afterSeq, limit, request.name || undefined);
    return {
      segments: page.segments.map(copySegment),
      nextPageToken: page.resumeAfter === undefined ? '' : encodePageToken(page.resumeAfter),
    };
  }

  /**
   * CreateSegment: reads the header, answers a replay at once without reading further, otherwise
   * streams the chunks to disk and records the segment once its bytes are verified and durable.
   * Throws SimStatusError for what the contract prescribes; on any failure the temp file is gone
   * and nothing is recorded. `signal` reports the caller's cancel; without it every end of the
   * messages counts as a half-close.
   */
  async create(
    requests: CreateRequests,
    options: { signal?: AbortSignal } = {},
  ): Promise<CreateSegmentResponse> {
    const messages = iteratorOf(requests);
    let upload: Upload | undefined;
    try {
      const start = this.begin(await readHeader(messages));
      if (start.replayed) {
        this.counts.replayed++;
        this.logger.info({ uid: start.segment.uid }, 'create replayed');
        return { segment: copySegment(start.segment), replayed: true };
      }
      upload = start.upload;
      await receiveBody(messages, upload.file);
      await confirmHalfClose(options.signal);
      const segment = await this.commit(upload);
      this.events.emit('created', copySegment(segment));
      return { segment: copySegment(segment), replayed: false };
    } catch (err) {
      await upload?.file.discard();
      this.noteFailure(err, upload);
      throw err;
    } finally {
      if (upload) this.release(upload.header);
    }
  }

  /**
   * DeleteSegment. `guard` may throw (FAILED_PRECONDITION) to refuse; it runs in the same tick as
   * the removal, so nothing can change between the check and the delete.
   */
  async delete(uid: string, guard?: (uid: string) => void): Promise<Segment> {
    if (this.closed) throw unavailable('the segment store is closed');
    if (!this.index.get(uid)) throw notFound(`no segment with uid ${uid}`);
    guard?.(uid);
    const entry = this.index.remove(uid)!;
    try {
      await this.document.save();
    } catch (err) {
      this.index.insert(entry);
      throw err;
    }
    // A download still reading the file keeps its descriptor; the bytes vanish when it closes it.
    await rm(this.filePath(uid), { force: true }).catch((err: unknown) =>
      this.logger.warn({ err, uid }, 'segment file not removed; the next open removes it'),
    );
    this.counts.deleted++;
    this.logger.info({ uid }, 'segment deleted');
    return copySegment(entry.segment);
  }

  /** Waits for the index on disk to hold every change made so far; later calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.document.save();
  }

  private begin(header: CreateSegmentHeader): CreateStart {
    if (this.closed) throw unavailable('the segment store is closed');
    validateHeader(header, this);
    const key = header.idempotencyKey;
    const fingerprint = headerFingerprint(header);
    // Checked first: a finished upload's key is recorded just before its index save completes.
    if (this.runningKeys.has(key)) throw aborted('a create with this idempotency key is still running');
    const known = this.index.keyRecord(key);
    if (known) {
      if (known.fingerprint !== fingerprint) {
        throw invalidArgument('this idempotency key was used for a different create request');
      }
      return { replayed: true, segment: known.segment };
    }
    const nameVersion = nameVersionKey(header.name, header.version);
    const existing = this.index.uidOf(header.name, header.version);
    if (existing !== undefined || this.reservedNames.has(nameVersion)) {
      const where = existing === undefined ? 'is being uploaded' : `exists as ${existing}`;
      throw alreadyExists(`${header.name} ${header.version} ${where} under another idempotency key`);
    }
    this.runningKeys.add(key);
    this.reservedNames.add(nameVersion);
    const file = new IncomingFile(this.layout.incoming, header);
    return { replayed: false, upload: { header, fingerprint, file } };
  }

  /** Verified bytes into place, then the record, durably, before the caller hears of it. */
  private async commit({ header, fingerprint, file }: Upload): Promise<Segment> {
    const uid = randomUUID();
    await file.moveTo(this.filePath(uid));
    const time = new Date(this.now());
    const { name, version, format, fileName, size, sha256 } = header;
    const segment: Segment = {
      uid,
      name,
      version,
      format,
      fileName,
      size,
      sha256,
      createTime: time,
      updateTime: time,
    };
    const entry = this.index.add(segment, header.idempotencyKey, fingerprint, time.getTime());
    try {
      await this.document.save();
    } catch (err) {
      this.index.unadd(entry, header.idempotencyKey);
      await rm(this.filePath(uid), { force: true });
      throw err;
    }
    this.counts.created++;
    this.logger.info({ uid, name, version, size }, 'segment created');
    return segment;
  }

  private release(header: CreateSegmentHeader): void {
    this.runningKeys.delete(header.idempotencyKey);
    this.reservedNames.delete(nameVersionKey(header.name, header.version));
  }

  private noteFailure(err: unknown, upload: Upload | undefined): void {
    const bytes = upload?.file.bytesReceived;
    if (err instanceof SimStatusError) {
      this.counts.rejected++;
      this.logger.info({ code: err.code, reason: err.message, bytes }, 'create rejected');
    } else {
      this.counts.abandoned++;
      this.logger.info({ err, bytes }, 'create abandoned');
    }
  }
}

function copySegment(segment: Segment): Segment {
  const { createTime, updateTime } = segment;
  return {
    ...segment,
    createTime: createTime && new Date(createTime),
    updateTime: updateTime && new Date(updateTime),
  };
}
