import { z } from 'zod';
import { promotionSchema } from './promotion-schema.js';

/**
 * The trust fields of a segment record (SPEC-FLEET section 3, D9–D11). All optional: records
 * written before lifecycles existed lack them, and the leader's migration (D9) gives each one its
 * lifecycle once; until then it reads as DRAFT.
 */

export const LIFECYCLES = ['DRAFT', 'TESTED', 'RELEASED', 'DEPRECATED'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const INTEGRITY_STATUSES = ['OK', 'TAMPERED', 'UNCHECKED'] as const;
export type IntegrityStatus = (typeof INTEGRITY_STATUSES)[number];

const isoTime = z.iso.datetime();

/** Who moved the segment and when: a principal id, or `promotion` / `migration` for seghub itself. */
const transitionSchema = z.object({
  at: isoTime,
  by: z.string().min(1),
  /** The reason (TESTED by hand, DEPRECATED) or the release note. */
  note: z.string().optional(),
});
export type LifecycleTransition = z.infer<typeof transitionSchema>;

/** One signature as added: checked at once, so a stored one verified when it was added (D10). */
export const storedSignatureSchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  /** base64 of the signature bytes over the statement. */
  signature: z.string().min(1),
  signedAt: isoTime,
  /** The principal that added it. */
  addedBy: z.string().min(1),
});
export type StoredSignature = z.infer<typeof storedSignatureSchema>;

/** The last check of the stored file against the SHA-256 (D11); absent: UNCHECKED. */
export const integritySchema = z.object({
  status: z.enum(['OK', 'TAMPERED']),
  checkedAt: isoTime,
  /** Why TAMPERED: the hash found, or that the file is missing. */
  reason: z.string().optional(),
});
export type Integrity = z.infer<typeof integritySchema>;

export const segmentTrustShape = {
  lifecycle: z.enum(LIFECYCLES).optional(),
  tested: transitionSchema.optional(),
  released: transitionSchema.optional(),
  deprecated: transitionSchema.optional(),
  /** Where the promotion gate stands (written by the leader's promotion pass). */
  promotion: promotionSchema.optional(),
  signatures: z.array(storedSignatureSchema).optional(),
  integrity: integritySchema.optional(),
};
