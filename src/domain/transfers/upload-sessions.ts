import { randomBytes } from 'node:crypto';
import {
  ChecksumMismatchError,
  DomainError,
  FileTooLargeError,
  InvalidInputError,
  SegmentAlreadyExistsError,
  StorageFullError,
  TooManyUploadSessionsError,
  UploadSessionNotFoundError,
} from '../../model/errors.js';
import { hasRole, type Principal } from '../../model/principal.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { StoredUploadSession, UploadSessionRecords } from '../../records/upload-session-records.js';
import { type AppendOutcome, type FileStorage, isOutOfSpace } from '../../storage/file-storage.js';
import type { SegmentService } from '../segments/segment-service.js';
import { checkUploadName } from '../segments/segment-upload.js';
import type { TransferTokens } from './transfer-tokens.js';
import type { UploadLockTable } from './upload-lock-table.js';

/**
 * Resumable uploads (SPEC-FLEET section 4, D12). `create` checks what `uploadSegment` checks
 * before a byte is sent (suffix, MAX_UPLOAD_BYTES, and whether the declared bytes are a stored
 * segment's), opens a session with an empty partial file and hands out its upload token; the bytes
 * arrive over tus (`append`, under the session's lock); `complete` turns them into a segment
 * exactly as `uploadSegment` does. A session idle for its TTL is removed with its bytes.
 */

export interface UploadSessionInput {
  readonly fileName: string;
  readonly size: number;
  /** Lowercase or uppercase hex; compared with what arrives at `complete`. */
  readonly sha256?: string | null;
}

export interface OpenSession {
  readonly id: string;
  /** Where the bytes go: `/uploads/<id>`, under `publicUrl` when set. */
  readonly uploadUrl: string;
  readonly token: string;
  readonly expiresAt: Date;
  /** Bytes already received (0 for a new session). */
  readonly offset: number;
}

/** What tus needs to know of a session. */
export interface SessionState {
  readonly size: number;
  readonly offset: number;
  readonly fileName: string;
  /** When it will be removed unless used before. */
  readonly expiresAt: Date;
}

export interface UploadSessionSettings {
  /** UPLOAD_SESSION_TTL_H: a session untouched this long is removed with its bytes. */
  readonly ttlMs: number;
  /** MAX_UPLOAD_SESSIONS_PER_PRINCIPAL. */
  readonly maxPerPrincipal: number;
  /** PUBLIC_URL without a trailing slash; unset: upload URLs are relative. */
  readonly publicUrl?: string;
}

export interface UploadSessionDeps {
  readonly records: UploadSessionRecords;
  readonly tokens: TransferTokens;
  readonly storage: FileStorage;
  readonly segments: SegmentService;
  readonly locks: UploadLockTable;
  readonly settings: UploadSessionSettings;
  readonly now?: () => Date;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

export class UploadSessions {
  private readonly now: () => Date;

  constructor(private readonly deps: UploadSessionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get locks(): UploadLockTable {
    return this.deps.locks;
  }

  async create(input: UploadSessionInput, owner: string): Promise<OpenSession> {
    const { fileName } = checkUploadName(input.fileName);
    const size = input.size;
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new InvalidInputError('size must be a whole number of bytes, at least 1', 'size');
    }
    if (size > this.deps.segments.maxUploadBytes)
      throw new FileTooLargeError(this.deps.segments.maxUploadBytes);
    const sha256 = input.sha256 == null ? undefined : input.sha256.toLowerCase();
    if (sha256 !== undefined && !SHA256_HEX.test(sha256)) {
      throw new InvalidInputError('sha256 must be 64 hex digits', 'sha256');
    }
    if (sha256 !== undefined) {
      const existing = await this.deps.segments.withFile(sha256);
      if (existing) throw new SegmentAlreadyExistsError(existing.record.name, existing.record.version);
    }
    await this.sweepExpired();
    const open = (await this.deps.records.all()).filter((s) => s.record.owner === owner);
    if (open.length >= this.deps.settings.maxPerPrincipal) {
      throw new TooManyUploadSessionsError(this.deps.settings.maxPerPrincipal);
    }
    const id = randomBytes(16).toString('base64url');
    try {
      await this.deps.storage.sessions.create(id);
    } catch (error) {
      await this.deps.storage.sessions.remove(id);
      if (isOutOfSpace(error)) throw new StorageFullError();
      throw error;
    }
    const at = this.now().toISOString();
    const record = { fileName, size, ...(sha256 && { sha256 }), owner, createdAt: at, lastUsedAt: at };
    await this.deps.records.create(id, record);
    // Creates at the same moment all pass the check above: one that finds the bound passed once its
    // record is written undoes itself (all of them may, never too many stay).
    const owned = (await this.deps.records.all()).filter((s) => s.record.owner === owner);
    if (owned.length > this.deps.settings.maxPerPrincipal) {
      const own = owned.find((s) => s.id === id);
      if (own) await this.removeSession(own);
      throw new TooManyUploadSessionsError(this.deps.settings.maxPerPrincipal);
    }
    return this.issue(id, 0);
  }

  /** A fresh token for the session (its owner's or an admin's); earlier ones stop working. */
  async renew(id: string, caller: Principal): Promise<OpenSession> {
    const session = ownedBy(await this.open(id), caller);
    await this.deps.records.touch(id, this.now());
    await this.deps.tokens.revokeSubject('UPLOAD', id);
    const checkpoint = await this.deps.storage.sessions.checkpoint(id);
    return this.issue(session.id, checkpoint?.offset ?? 0);
  }

  /** The session's id, how far it got and when it expires; UPLOAD_SESSION_NOT_FOUND when gone. */
  async state(id: string): Promise<SessionState> {
    const session = await this.open(id);
    const checkpoint = await this.deps.storage.sessions.checkpoint(id);
    if (!checkpoint) throw new UploadSessionNotFoundError(id);
    const { size, fileName } = session.record;
    return { size, fileName, offset: checkpoint.offset, expiresAt: this.expiryOf(session) };
  }

  /**
   * Whether `token` is an unexpired upload token of this session (each use extends it, D12); a
   * use also counts as activity of the session.
   */
  async authorize(id: string, token: string): Promise<boolean> {
    const use = await this.deps.tokens.use(token, 'UPLOAD');
    if (use?.subject !== id) return false;
    return this.deps.records.touch(id, this.now());
  }

  /** Appends bytes at `offset` (the caller holds the session's lock); see `SessionFiles.append`. */
  async append(id: string, offset: number, source: AsyncIterable<Buffer>): Promise<AppendOutcome> {
    const session = await this.open(id);
    const outcome = await this.deps.storage.sessions.append(id, offset, source, {
      maxSize: session.record.size,
    });
    await this.deps.records.touch(id, this.now());
    return outcome;
  }

  /** tus termination: the session and its bytes go. */
  async terminate(id: string): Promise<void> {
    const session = await this.open(id);
    await this.removeSession(session);
  }

  /**
   * The received bytes become a segment: the uploadSegment result, plus CHECKSUM_MISMATCH when the
   * declared SHA-256 differs. Refused while bytes are missing (INVALID_INPUT, the session stays).
   * Only its owner or an admin completes a session.
   */
  async complete(id: string, caller: Principal): Promise<StoredSegment> {
    const session = ownedBy(await this.open(id), caller);
    const release = await this.deps.locks.acquire(id, { waitMs: 15_000 });
    try {
      return await this.completeLocked(session);
    } finally {
      await release();
    }
  }

  private async completeLocked(session: StoredUploadSession): Promise<StoredSegment> {
    const { id, record } = session;
    const received = await this.deps.storage.sessions.digest(id);
    if (!received) throw new UploadSessionNotFoundError(id);
    if (received.offset < record.size) {
      throw new InvalidInputError(
        `the session has ${received.offset} of its ${record.size} bytes; send the rest first`,
        'id',
      );
    }
    if (record.sha256 !== undefined && record.sha256 !== received.sha256) {
      await this.removeSession(session);
      throw new ChecksumMismatchError(record.sha256, received.sha256);
    }
    const { fileName, format } = checkUploadName(record.fileName);
    const staged = await this.deps.storage.adoptSession(id, received.sha256);
    const giveBack = (file: { path: string }) => this.deps.storage.sessions.restore(id, file.path);
    try {
      const segment = await this.deps.segments.recordStaged(staged, fileName, format, giveBack);
      await this.removeSession(session);
      return segment;
    } catch (error) {
      // The store failed, not the file: the bytes are back in the session and a retry completes it.
      if (!(error instanceof DomainError) && (await this.deps.storage.sessions.holds(id))) throw error;
      // Refused (INVALID_SEGMENT_FILE, SEGMENT_ALREADY_EXISTS), or recorded before failing: it is over.
      await this.removeSession(session);
      throw error;
    }
  }

  /**
   * Removes sessions idle past the TTL with their bytes; answers how many. Called on every create
   * and by the periodic sweep; a session whose lock is held (a request running) is left alone.
   */
  async sweepExpired(): Promise<number> {
    let removed = 0;
    const sessions = await this.deps.records.all();
    for (const session of sessions) {
      if (this.expiryOf(session) > this.now()) continue;
      const release = await this.deps.locks.tryAcquire(session.id);
      if (!release) continue;
      try {
        if (await this.removeSession(session, true)) removed++;
      } finally {
        await release();
      }
    }
    // Files of a session whose record never got written (a crash in `create`), once as old.
    const known = new Set(sessions.map((s) => s.id));
    for (const { id, changedAt } of await this.deps.storage.sessions.list()) {
      if (known.has(id) || changedAt.getTime() + this.deps.settings.ttlMs > this.now().getTime()) continue;
      await this.deps.storage.sessions.remove(id);
      removed++;
    }
    return removed;
  }

  /** The session, unless it is gone or idle past its TTL (then it is removed on the way). */
  private async open(id: string): Promise<StoredUploadSession> {
    const session = await this.deps.records.get(id);
    if (!session) throw new UploadSessionNotFoundError(id);
    if (this.expiryOf(session) <= this.now()) {
      await this.removeSession(session, true);
      throw new UploadSessionNotFoundError(id);
    }
    return session;
  }

  /**
   * The record first, then tokens and bytes. `asRead`: only if unchanged since read (an expiry
   * loses to a use that came meanwhile).
   */
  private async removeSession(session: StoredUploadSession, asRead = false): Promise<boolean> {
    const removed = await this.deps.records.remove(session.id, asRead ? session.modRevision : undefined);
    if (!removed && asRead) return false;
    await this.deps.tokens.revokeSubject('UPLOAD', session.id);
    await this.deps.storage.sessions.remove(session.id);
    await this.deps.locks.forget(session.id);
    return removed;
  }

  private expiryOf(session: StoredUploadSession): Date {
    return new Date(Date.parse(session.record.lastUsedAt) + this.deps.settings.ttlMs);
  }

  private async issue(id: string, offset: number): Promise<OpenSession> {
    const { token, expiresAt } = await this.deps.tokens.issue('UPLOAD', id);
    const uploadUrl = `${this.deps.settings.publicUrl ?? ''}/uploads/${id}`;
    return { id, uploadUrl, token, expiresAt, offset };
  }
}

/** Another caller's session is as good as absent to it (admins excepted): its id tells them nothing. */
function ownedBy(session: StoredUploadSession, caller: Principal): StoredUploadSession {
  if (session.record.owner !== caller.id && !hasRole(caller, 'admin')) {
    throw new UploadSessionNotFoundError(session.id);
  }
  return session;
}
