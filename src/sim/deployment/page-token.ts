import { invalidArgument } from '../status.js';
import { isAddressKey } from './addresses.js';

const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;

export const pageSize = (requested: number) =>
  requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);

// The token is the position after the last address returned, not an offset, so devices installed
// or removed between pages neither repeat nor skip the others.
export function encodePageToken(lastKey: string | undefined): string {
  return lastKey === undefined ? '' : Buffer.from(lastKey).toString('base64url');
}

/** The position a token stands for; undefined for the first page. */
export function decodePageToken(token: string): string | undefined {
  if (token === '') return undefined;
  const key = Buffer.from(token, 'base64url').toString();
  if (!isAddressKey(key) || encodePageToken(key) !== token) {
    throw invalidArgument('page_token is not a token this server issued');
  }
  return key;
}
