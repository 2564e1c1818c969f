import { z } from 'zod';
import { jsonCodec } from './json-codec.js';

/**
 * `seats/<name>`: one workstation. The IP is kept as the operator wrote it (trimmed), so the seat
 * reads back the way it was entered; uniqueness is enforced on its canonical form through the
 * `seat-ips/` index, never on this text.
 */
const seatRecordSchema = z.object({
  name: z.string().min(1),
  ip: z.string().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** In key order; absent in records written before labels existed (read as none). */
  labels: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  /** Free text for people ("Bridge 1"); absent when never given. */
  description: z.string().optional(),
});

export type SeatRecord = z.infer<typeof seatRecordSchema>;
export const seatRecordCodec = jsonCodec(seatRecordSchema, 'seat record');
