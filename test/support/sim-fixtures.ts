import { createHash } from 'node:crypto';
import { type CreateSegmentHeader, SegmentFormat } from '../../src/sdp/generated/seghub/sdp/v1/segments.js';

/** SHA-256 of a buffer, as the contract spells it: 64 lowercase hex characters. */
export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let keyCounter = 0;

/** A valid CreateSegment header for `data` with a fresh idempotency key; override what a test varies. */
export function headerFor(data: Buffer, overrides: Partial<CreateSegmentHeader> = {}): CreateSegmentHeader {
  keyCounter += 1;
  return {
    name: 'radar-display',
    version: '3.5.1',
    format: SegmentFormat.SEGMENT_FORMAT_ZIP,
    fileName: 'radar-display-3.5.1.zip',
    size: data.length,
    sha256: sha256(data),
    idempotencyKey: `key-${keyCounter}`,
    ...overrides,
  };
}
