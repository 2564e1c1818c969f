import { InvalidSegmentFileError, type InvalidSegmentFileReason } from '../model/errors.js';
import { isValidSegmentName, isValidSegmentVersion } from '../model/segment-identity.js';

/** What `segment.json` says about a segment (SPEC, "The segment archive"). */
export interface SegmentManifest {
  name: string;
  version: string;
  description?: string;
  /** Every other field of `segment.json` (vendor, platform, ...), as parsed. */
  metadata: Record<string, unknown>;
}

export const MANIFEST_FILE_NAME = 'segment.json';
export const MAX_MANIFEST_BYTES = 64 * 1024;

/**
 * How deep (the manifest object itself is level 1) and how many object members (all levels
 * together) `segment.json` may have. Within 64 KiB a manifest could still nest thousands of levels,
 * and every reader of the record recurses through it: 4,109 levels made each query of the segment's
 * metadata overflow the stack, 5,000 the upload itself.
 */
export interface ManifestLimits {
  maxDepth: number;
  maxKeys: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = { maxDepth: 32, maxKeys: 1000 };

// fatal: a manifest with invalid UTF-8 is refused rather than silently patched with U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks the bytes of `segment.json`; every refusal names the field at fault. */
export function parseManifest(
  bytes: Uint8Array,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): SegmentManifest {
  const document = parseJson(bytes, limits);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw refuse(
      'MANIFEST_NOT_JSON',
      `${MANIFEST_FILE_NAME} must hold a JSON object, not ${kindOf(document)}`,
    );
  }
  const { name, version, description, ...metadata } = document as Record<string, unknown>;
  if (typeof name !== 'string' || !isValidSegmentName(name)) {
    throw refuse(
      'INVALID_NAME',
      `"name" in ${MANIFEST_FILE_NAME} must be 1 to 63 lowercase letters, digits, ".", "_" or "-", ` +
        `starting with a letter or digit; got ${show(name)}`,
    );
  }
  if (typeof version !== 'string' || !isValidSegmentVersion(version)) {
    throw refuse(
      'INVALID_VERSION',
      `"version" in ${MANIFEST_FILE_NAME} must be dot-separated numbers with an optional -prerelease ` +
        `(e.g. 3.5.1 or 4.21.2-rc.1), at most 64 characters; got ${show(version)}`,
    );
  }
  if (description !== undefined && typeof description !== 'string') {
    throw refuse(
      'INVALID_MANIFEST',
      `"description" in ${MANIFEST_FILE_NAME} must be a string; got ${kindOf(description)}`,
    );
  }
  return { name, version, ...(description === undefined ? {} : { description }), metadata };
}

function parseJson(bytes: Uint8Array, limits: ManifestLimits): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw refuse('MANIFEST_NOT_JSON', `${MANIFEST_FILE_NAME} is not valid UTF-8 text`);
  }
  checkShape(text, limits);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw refuse('MANIFEST_NOT_JSON', `${MANIFEST_FILE_NAME} is not valid JSON${detail}`);
  }
}

/**
 * Counts nesting and members on the text, before parsing: iterative, so no depth can overflow the
 * stack here, and nothing deep is ever built. Brackets and colons inside strings do not count; text
 * that is not JSON at all is left for `JSON.parse` to describe.
 */
function checkShape(text: string, { maxDepth, maxKeys }: ManifestLimits): void {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) {
        throw refuse(
          'INVALID_MANIFEST',
          `${MANIFEST_FILE_NAME} nests objects and arrays more than ${maxDepth} levels deep (the limit)`,
        );
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COLON && ++keys > maxKeys) {
      throw refuse('INVALID_MANIFEST', `${MANIFEST_FILE_NAME} has more than ${maxKeys} keys (the limit)`);
    }
  }
}

const [QUOTE, BACKSLASH, COLON] = ['"', '\\', ':'].map((c) => c.charCodeAt(0));
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = ['{', '}', '[', ']'].map((c) =>
  c.charCodeAt(0),
);

function refuse(reason: InvalidSegmentFileReason, message: string): InvalidSegmentFileError {
  return new InvalidSegmentFileError(reason, message);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The offending value, short enough for a message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
