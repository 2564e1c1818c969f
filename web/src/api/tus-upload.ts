import * as tus from 'tus-js-client';
import type { CompleteUploadSessionMutation, ErrorCode } from '../generated/graphql.js';
import { CompleteUploadSession, CreateUploadSession, RenewUploadSession } from './documents.js';
import { RequestError, request } from './http.js';

/**
 * Uploads through an upload session (docs/transfers.md): `createUploadSession`, the bytes over tus
 * with tus-js-client and the session's token, then `completeUploadSession`. The session's id is kept
 * in localStorage under tus-js-client's fingerprint of the file until it is completed, so after a
 * page reload (or a cancel) the same file picks the session up again: `renewUploadSession` gives a
 * fresh token and tus-js-client asks the server where to go on from.
 */

export type CompleteResult = CompleteUploadSessionMutation['completeUploadSession'];
/** createUploadSession's refusal (too large, wrong suffix, too many open sessions, ...). */
export interface RefusedSession {
  readonly __typename: 'Refused';
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ResumableUpload {
  /** Settles with the completion's result (a segment, or why not), or rejects with a RequestError. */
  readonly done: Promise<CompleteResult | RefusedSession>;
  /** Stops sending; the session and the bytes it holds stay for a later resume. */
  abort(): void;
}

/** localStorage key prefix of the sessions this browser has open, by file fingerprint. */
const KEY_PREFIX = 'seghub.upload.';
/** tus-js-client tries again after these waits when the link or seghub drops. */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];
/** Fresh tokens asked for in one upload before giving up. */
const MAX_RENEWALS = 3;

interface OpenSession {
  id: string;
  uploadUrl: string;
  token: string;
  offset: number;
}

export function uploadResumable(
  file: File,
  onProgress: (sent: number, total: number) => void,
): ResumableUpload {
  let upload: tus.Upload | undefined;
  let aborted = false;
  const done = (async () => {
    const key = KEY_PREFIX + (await fingerprint(file));
    const opened = await resumeOrCreate(key, file);
    if ('code' in opened) return opened;
    let session: OpenSession = opened;
    onProgress(session.offset, file.size);
    // A token lapses when a request outlasts TRANSFER_TOKEN_EXTEND_S and nothing follows in time
    // (a long PATCH cut off): renew it and go on from the server's offset.
    for (let renewals = 0; !(await send(session)); renewals++) {
      if (renewals === MAX_RENEWALS) throw new RequestError('The upload token kept expiring; try again.');
      const { renewUploadSession: renewed } = await request(RenewUploadSession, { id: session.id });
      if (renewed.__typename !== 'RenewUploadSessionSuccess') {
        localStorage.removeItem(key);
        return { __typename: 'Refused' as const, code: renewed.code, message: renewed.message };
      }
      session = renewed.session;
    }
    const { completeUploadSession: result } = await request(CompleteUploadSession, { id: session.id });
    localStorage.removeItem(key);
    return result;
  })();

  /** Sends the rest of the file with tus-js-client: true when done, false when the token was refused. */
  function send(session: OpenSession): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      upload = new tus.Upload(file, {
        uploadUrl: new URL(session.uploadUrl, window.location.href).href,
        headers: { Authorization: `Bearer ${session.token}` },
        retryDelays: RETRY_DELAYS,
        // A refused token is not retried with the same token.
        onShouldRetry: (error) => error.originalResponse?.getStatus() !== 401,
        // The session is the upload: its id is what is kept, not tus-js-client's own URL entries.
        storeFingerprintForResuming: false,
        onProgress,
        onSuccess: () => resolve(true),
        onError: (error) => {
          if ((error as tus.DetailedError).originalResponse?.getStatus() === 401) resolve(false);
          else reject(new RequestError(`The upload was cut off: ${error.message}`));
        },
      });
      if (aborted) reject(new RequestError('The upload was cancelled; choose the file again to resume.'));
      else upload.start();
    });
  }

  return {
    done,
    abort() {
      aborted = true;
      void upload?.abort();
    },
  };
}

/** The session this browser left open for the file, with a fresh token; else a new one. */
async function resumeOrCreate(key: string, file: File): Promise<OpenSession | RefusedSession> {
  const kept = localStorage.getItem(key);
  if (kept) {
    const { renewUploadSession: renewed } = await request(RenewUploadSession, { id: kept });
    if (renewed.__typename === 'RenewUploadSessionSuccess') return renewed.session;
    localStorage.removeItem(key); // completed or expired meanwhile
  }
  const input = { fileName: file.name, size: file.size };
  const { createUploadSession: created } = await request(CreateUploadSession, { input });
  if (created.__typename !== 'CreateUploadSessionSuccess') {
    return { __typename: 'Refused', code: created.code, message: created.message };
  }
  localStorage.setItem(key, created.session.id);
  return created.session;
}

/** tus-js-client's own fingerprint of a file (name, type, size, last change). */
async function fingerprint(file: File): Promise<string> {
  const print = await tus.defaultOptions.fingerprint(file, { endpoint: '/uploads' });
  return print ?? `${file.name}-${file.size}-${file.lastModified}`;
}
