/** What a segment signature signs (SPEC-FLEET section 3, D10). */
export interface StatementFields {
  readonly name: string;
  /** Lowercase hex. */
  readonly sha256: string;
  /** Bytes, a non-negative integer. */
  readonly size: number;
  /** As stored (not normalised: `1.0` stays `1.0`). */
  readonly version: string;
}

export const STATEMENT_PREFIX = 'seghub-segment-v1\n';

/**
 * The exact bytes a signature covers: `seghub-segment-v1\n` and the canonical JSON of name, sha256,
 * size and version (keys sorted, no spaces, no trailing newline; strings escaped as JSON.stringify
 * does). docs/trust.md has a test vector; changing one byte here breaks every signature made so far.
 */
export function segmentStatement({ name, sha256, size, version }: StatementFields): Buffer {
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new Error(`sha256 must be 64 lowercase hex digits, got ${sha256}`);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error(`size must be a non-negative integer, got ${size}`);
  // Written out field by field, not JSON.stringify of an object: the order and spelling are the format.
  const json =
    `{"name":${JSON.stringify(name)},"sha256":${JSON.stringify(sha256)},` +
    `"size":${size},"version":${JSON.stringify(version)}}`;
  return Buffer.from(STATEMENT_PREFIX + json, 'utf8');
}
