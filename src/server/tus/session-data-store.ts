import type { Readable } from 'node:stream';
import { DataStore, ERRORS, type Lock, type Locker, Upload } from '@tus/server';
import type { Release } from '../../domain/transfers/upload-lock-table.js';
import type { UploadSessions } from '../../domain/transfers/upload-sessions.js';
import { UploadSessionNotFoundError } from '../../model/errors.js';
import { isOutOfSpace, OffsetMismatchError } from '../../storage/file-storage.js';

/**
 * tus's view of seghub's upload sessions: a `DataStore` over `UploadSessions` (core protocol,
 * termination, expiration; no creation: sessions are made by `createUploadSession`), and a
 * `Locker` over its store-held locks. The offset tus sees is the session's last checkpoint.
 */

/** A session's expiry is its last use plus the TTL, so tus's `Upload-Expires` (creation + expiration) is told the last use as its "creation". */
export class SessionDataStore extends DataStore {
  constructor(
    private readonly sessions: UploadSessions,
    private readonly ttlMs: number,
    /** Told how many bytes each PATCH added (checkpointed), for the metrics. */
    private readonly onReceived: (bytes: number) => void = () => {},
  ) {
    super();
    this.extensions = ['termination', 'expiration'];
  }

  override async getUpload(id: string): Promise<Upload> {
    const state = await this.sessions.state(id).catch(notFoundAsTus);
    return new Upload({
      id,
      size: state.size,
      offset: state.offset,
      creation_date: new Date(state.expiresAt.getTime() - this.ttlMs).toISOString(),
    });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    // Not destroyed when the append stops early (a write failed): tus's pipeline must see the append's
    // own error first, not the premature close of its stream, to answer with it.
    const source = stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
    const outcome = await this.sessions.append(id, offset, source).catch((error: unknown) => {
      if (error instanceof OffsetMismatchError) throw ERRORS.INVALID_OFFSET;
      return notFoundAsTus(error);
    });
    this.onReceived(outcome.offset - offset);
    if (outcome.error === undefined) return outcome.offset;
    if (isOutOfSpace(outcome.error)) throw new StorageFullResponse(String(outcome.error));
    throw outcome.error;
  }

  override async remove(id: string): Promise<void> {
    await this.sessions.terminate(id).catch(notFoundAsTus);
  }

  override deleteExpired(): Promise<number> {
    return this.sessions.sweepExpired();
  }

  override getExpiration(): number {
    return this.ttlMs;
  }
}

/**
 * The disk is full: the bytes up to the last checkpoint stay; the client retries later (HEAD
 * first). An Error (tus answers its `status_code` and `body`), as a stream pipeline needs one.
 */
export class StorageFullResponse extends Error {
  override name = 'StorageFullResponse';
  readonly status_code = 507;
  readonly body =
    'STORAGE_FULL: the server has no space left; the bytes received so far are kept, retry later\n';
}

/** How long a request waits for a session's lock (a killed holder's lease ends within ~10 s). */
const LOCK_WAIT_MS = 15_000;

export function sessionLocker(sessions: UploadSessions): Locker {
  return {
    newLock(id: string): Lock {
      let release: Release | undefined;
      return {
        async lock(signal, requestRelease) {
          try {
            release = await sessions.locks.acquire(id, {
              waitMs: LOCK_WAIT_MS,
              signal,
              onRequested: () => void requestRelease(),
            });
          } catch {
            throw ERRORS.ERR_LOCK_TIMEOUT;
          }
        },
        async unlock() {
          await release?.();
          release = undefined;
        },
      };
    },
  };
}

function notFoundAsTus(error: unknown): never {
  if (error instanceof UploadSessionNotFoundError) throw ERRORS.FILE_NOT_FOUND;
  throw error;
}
