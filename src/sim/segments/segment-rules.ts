import { createHash } from 'node:crypto';
import { type CreateSegmentHeader, SegmentFormat } from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { invalidArgument } from '../status.js';

/** The contract's limit on one CreateSegment chunk. */
export const MAX_CHUNK_BYTES = 1024 * 1024;

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const VERSION = /^\d+(\.\d+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,128}$/;
const MAX_FILE_NAME_CHARS = 255;

export interface HeaderLimits {
  /** The one format this platform accepts. */
  format: SegmentFormat;
  maxBytes: number;
}

/**
 * Throws INVALID_ARGUMENT naming the first field that breaks the contract. The simulator is
 * deliberately strict: a client bug it lets through would only surface against the real platform.
 */
export function validateHeader(header: CreateSegmentHeader, limits: HeaderLimits): void {
  const problem = headerProblem(header, limits);
  if (problem) throw invalidArgument(problem);
}

function headerProblem(header: CreateSegmentHeader, { format, maxBytes }: HeaderLimits): string | undefined {
  if (!NAME.test(header.name)) return `header.name ${JSON.stringify(header.name)} must match ${NAME.source}`;
  if (header.version.length > 64 || !VERSION.test(header.version)) {
    return `header.version ${JSON.stringify(header.version)} must be at most 64 characters of dot-separated numbers with an optional -prerelease`;
  }
  if (header.format !== format) {
    return `header.format ${formatName(header.format)} is not accepted here: this platform accepts only ${formatName(format)}`;
  }
  const fileNameChars = [...header.fileName].length;
  if (fileNameChars === 0 || fileNameChars > MAX_FILE_NAME_CHARS || header.fileName.includes('/')) {
    return `header.file_name must be 1 to ${MAX_FILE_NAME_CHARS} characters without "/"`;
  }
  if (!Number.isSafeInteger(header.size) || header.size < 0 || header.size > maxBytes) {
    return `header.size ${header.size} must be a whole number of bytes from 0 to ${maxBytes}`;
  }
  if (!SHA256.test(header.sha256)) return 'header.sha256 must be 64 lowercase hex characters';
  if (!IDEMPOTENCY_KEY.test(header.idempotencyKey)) {
    return 'header.idempotency_key must be 1 to 128 printable ASCII characters';
  }
  return undefined;
}

export function formatName(format: SegmentFormat): string {
  return SegmentFormat[format] ?? `unknown format ${format}`;
}

/**
 * What "the same request" means for an idempotency key: every header field but the key itself.
 * Hashed so the index stores a short, fixed-size value.
 */
export function headerFingerprint(header: CreateSegmentHeader): string {
  const { name, version, format, fileName, size, sha256 } = header;
  return createHash('sha256')
    .update(JSON.stringify([name, version, format, fileName, size, sha256]))
    .digest('hex');
}

/** Names cannot contain `@`, so this key is unambiguous. */
export function nameVersionKey(name: string, version: string): string {
  return `${name}@${version}`;
}
