import { z } from 'zod';
import { SDP_TARGETS, SEGMENT_FORMATS } from '../model/targets.js';
import { jsonCodec } from './json-codec.js';
import { segmentTrustShape } from './segment-trust-schema.js';

/**
 * The JSON stored at `segments/<name>/<version>`. Decoding validates, so a record damaged by hand or
 * written by an incompatible release is reported as such instead of surfacing as a wrong field
 * deep inside a resolver.
 */

export const SYNC_STATUSES = ['PENDING', 'SYNCED', 'FAILED'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const DELETE_STATUSES = ['NONE', 'PROCESSING', 'FAILED'] as const;
export type DeleteStatus = (typeof DELETE_STATUSES)[number];

const isoTime = z.iso.datetime();

const segmentRecordSchema = z.object({
  /**
   * Unique per upload (a re-upload after a delete gets a new one). SDP idempotency keys derive from
   * it, so a retry repeats the first request while a new upload of the same name is a new request.
   */
  instanceId: z.string().min(1),
  name: z.string(),
  version: z.string(),
  format: z.enum(SEGMENT_FORMATS),
  target: z.enum(SDP_TARGETS),
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()),
  /** Uploaded here (true) or found on SDP by the remote sync (false). */
  isLocal: z.boolean(),
  createdAt: isoTime,
  sync: z.object({
    status: z.enum(SYNC_STATUSES),
    /** Failed attempts since the last (re)start of syncing. */
    attempts: z.number().int().nonnegative(),
    lastError: z.string().optional(),
    lastAttemptAt: isoTime.optional(),
    syncedAt: isoTime.optional(),
    /** While PENDING after a failure: the controller makes the next attempt no earlier than this. */
    nextAttemptAt: isoTime.optional(),
  }),
  remoteExtra: z.object({ uid: z.string().min(1) }).optional(),
  deleteStatus: z.enum(DELETE_STATUSES),
  /** Why the last delete attempt failed: kept while PROCESSING retries, the reason once FAILED. */
  deleteError: z.string().optional(),
  /** Failed delete attempts since the delete was (re)requested. */
  deleteAttempts: z.number().int().nonnegative().optional(),
  /** While PROCESSING after a failure: the controller tries again no earlier than this. */
  deleteNextAttemptAt: isoTime.optional(),
  ...segmentTrustShape,
});

export type SegmentRecord = z.infer<typeof segmentRecordSchema>;

const segmentRecordCodec = jsonCodec(segmentRecordSchema, 'segment record');

export function encodeSegmentRecord(record: SegmentRecord): string {
  return segmentRecordCodec.encode(record);
}

export function decodeSegmentRecord(key: string, value: string): SegmentRecord {
  return segmentRecordCodec.decode(key, value);
}
