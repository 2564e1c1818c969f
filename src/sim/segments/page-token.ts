import { invalidArgument } from '../status.js';

const TOKEN_TEXT = /^seq:(0|[1-9]\d{0,15})$/;

/**
 * A page token is the sequence number of the last segment a page returned. Sequence numbers only
 * grow, so resuming after it lists later creations and never repeats one, whatever was deleted.
 */
export function encodePageToken(lastSeq: number): string {
  return Buffer.from(`seq:${lastSeq}`).toString('base64url');
}

/** The sequence number to resume after; 0 for the first page. INVALID_ARGUMENT when malformed. */
export function decodePageToken(token: string): number {
  if (token === '') return 0;
  const match = TOKEN_TEXT.exec(Buffer.from(token, 'base64url').toString('utf8'));
  const seq = match ? Number(match[1]) : Number.NaN;
  // Base64url decoding skips junk characters, so only a token we could have issued is accepted.
  if (!Number.isSafeInteger(seq) || encodePageToken(seq) !== token) {
    throw invalidArgument('page_token is not a token this platform issued');
  }
  return seq;
}
