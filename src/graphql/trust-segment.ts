import {
  lifecycleOf,
  type PromotionView,
  SIGNATURE_STATUSES,
  type SignatureView,
} from '../domain/trust/trust-types.js';
import type { StoredSegment } from '../records/segment-records.js';
import {
  INTEGRITY_STATUSES,
  type IntegrityStatus,
  LIFECYCLES,
  type LifecycleTransition,
} from '../records/segment-trust-schema.js';
import { builder } from './builder.js';
import { describedValues } from './enum-values.js';
import { DateTimeScalar } from './scalars.js';
import { SegmentRef } from './segment.js';
import { SigningKeyRef } from './trust-keys.js';
import { judgementOf } from './trust-loaders.js';

/** The trust fields of `Segment` (SPEC-FLEET section 3, D9–D11): lifecycle, signatures, promotion, integrity. */

export const LifecycleEnum = builder.enumType('Lifecycle', {
  description: 'Where a segment stands on its way to production: DRAFT → TESTED → RELEASED → DEPRECATED.',
  values: describedValues(LIFECYCLES, {
    DRAFT: 'Uploaded (or stored before lifecycles existed and not installed anywhere); not yet tested.',
    TESTED:
      'Ran long enough on the test group with no failed install (the promotion gate), or an admin ' +
      'vouched for it (markSegmentTested). Can be released.',
    RELEASED: 'Released by an admin (releaseSegment): protected groups take it.',
    DEPRECATED:
      'Withdrawn (deprecateSegment): no new install or rollout anywhere; seats that run it keep it.',
  }),
});

export const SignatureStatusEnum = builder.enumType('SignatureStatus', {
  description: "A segment's signatures judged now against the keyring and SIGNATURES_REQUIRED.",
  values: describedValues(SIGNATURE_STATUSES, {
    UNSIGNED: 'No signature at all.',
    VALID: 'Valid signatures by enough distinct keys (at least SIGNATURES_REQUIRED, and at least one).',
    INSUFFICIENT:
      'Fewer valid signatures by distinct keys than SIGNATURES_REQUIRED (a key was revoked, or more are ' +
      'needed); releasing and protected groups refuse it.',
    INVALID:
      'SIGNATURES_REQUIRED is 0, signatures exist, and none is valid any more (their keys revoked or ' +
      'gone from the keyring).',
  }),
});

export const IntegrityStatusEnum = builder.enumType('IntegrityStatus', {
  description: "Whether the stored file still hashes to the segment's SHA-256 (D11).",
  values: describedValues(INTEGRITY_STATUSES, {
    OK: 'The last check found the bytes that were uploaded.',
    TAMPERED:
      'The last check found other bytes or no file: the segment is blocked everywhere until ' +
      'verifySegmentFile finds it right again.',
    UNCHECKED: 'Not checked yet (checks run at release, at rollout creation and periodically).',
  }),
});

const SegmentSignatureRef = builder.objectRef<SignatureView>('SegmentSignature').implement({
  description:
    "One signature over the segment's statement (docs/trust.md), judged now. Carries the bytes, so " +
    'that another instance can verify it with its own keyring.',
  fields: (t) => ({
    key: t.field({
      type: SigningKeyRef,
      nullable: true,
      description: 'The key that made it; null when the keyring no longer has it.',
      resolve: (s) => s.key ?? null,
    }),
    keyId: t.exposeString('keyId', {
      description: 'The id of the key that made it (hex SHA-256 of its SPKI).',
    }),
    signature: t.exposeString('signature', { description: 'The signature bytes, base64.' }),
    signedAt: t.field({
      type: DateTimeScalar,
      description: 'When it was added (and verified).',
      resolve: (s) => s.signedAt,
    }),
    addedBy: t.exposeString('addedBy', { description: 'The principal that added it.' }),
    valid: t.exposeBoolean('valid', {
      description: 'Whether it counts now: its key is known and not revoked.',
    }),
    reason: t.string({
      nullable: true,
      description: 'Why it does not count (key revoked, key unknown); null when valid.',
      resolve: (s) => s.reason ?? null,
    }),
  }),
});

const SegmentPromotionRef = builder.objectRef<PromotionView>('SegmentPromotion').implement({
  description:
    'Where the tested-before-production gate stands: PROMOTION_MIN_SEATS seats of PROMOTION_TEST_GROUP ' +
    'running the segment for PROMOTION_SOAK_MINUTES with no failed install of it there.',
  fields: (t) => ({
    tested: t.exposeBoolean('tested', { description: 'Whether the segment is TESTED (or beyond).' }),
    testedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it became TESTED; null until then.',
      resolve: (p) => p.testedAt ?? null,
    }),
    testSeats: t.stringList({
      description: 'Names of the test-group seats running it at the last judgement.',
      resolve: (p) => [...p.testSeats],
    }),
    reasons: t.stringList({
      description: 'What is still missing, or how it became TESTED, in words for operators.',
      resolve: (p) => [...p.reasons],
    }),
  }),
});

type IntegrityView = { status: IntegrityStatus; checkedAt?: string; reason?: string };

const SegmentIntegrityRef = builder.objectRef<IntegrityView>('SegmentIntegrity').implement({
  description: "The last check of the stored file against the segment's SHA-256 and size.",
  fields: (t) => ({
    status: t.field({ type: IntegrityStatusEnum, description: 'What it found.', resolve: (i) => i.status }),
    checkedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it was checked; null while UNCHECKED.',
      resolve: (i) => i.checkedAt ?? null,
    }),
    reason: t.string({
      nullable: true,
      description: 'While TAMPERED: what was found instead (another hash, no file); null otherwise.',
      resolve: (i) => i.reason ?? null,
    }),
  }),
});

/** A transition's time and author, as the nullable fields give them. */
const at = (transition: LifecycleTransition | undefined) => transition?.at ?? null;
const by = (transition: LifecycleTransition | undefined) => transition?.by ?? null;

builder.objectFields(SegmentRef, (t) => ({
  lifecycle: t.field({
    type: LifecycleEnum,
    description: 'Where it stands on its way to production.',
    resolve: (s) => lifecycleOf(s.record),
  }),
  signatureStatus: t.field({
    type: SignatureStatusEnum,
    description: 'Its signatures judged now against the keyring and SIGNATURES_REQUIRED.',
    resolve: async (s, _args, context) => (await judgementOf(s, context)).status,
  }),
  signatures: t.field({
    type: [SegmentSignatureRef],
    description: 'Every signature added (one per key), each judged now.',
    resolve: async (s, _args, context) => [...(await judgementOf(s, context)).signatures],
  }),
  promotion: t.field({
    type: SegmentPromotionRef,
    description: 'Where the promotion gate stands, with its reasons.',
    resolve: (s, _args, { services }) => services.trust.promotion.view(s.record),
  }),
  testedBy: t.string({
    nullable: true,
    description: 'Who made it TESTED: an admin (markSegmentTested) or `promotion` (the gate); null before.',
    resolve: (s) => by(s.record.tested),
  }),
  releasedAt: t.field({
    type: DateTimeScalar,
    nullable: true,
    description: 'When it was released; null unless RELEASED (or released before being deprecated).',
    resolve: (s) => at(s.record.released),
  }),
  releasedBy: t.string({
    nullable: true,
    description: 'Who released it: an admin, or `migration` for segments installed before lifecycles (D9).',
    resolve: (s) => by(s.record.released),
  }),
  releaseNote: t.string({
    nullable: true,
    description: 'The note given to releaseSegment; null when none was.',
    resolve: (s) => s.record.released?.note ?? null,
  }),
  deprecatedAt: t.field({
    type: DateTimeScalar,
    nullable: true,
    description: 'When it was deprecated; null unless DEPRECATED.',
    resolve: (s) => at(s.record.deprecated),
  }),
  deprecatedReason: t.string({
    nullable: true,
    description: 'Why it was deprecated, as the admin wrote it; null unless DEPRECATED.',
    resolve: (s) => (s.record.deprecated ? (s.record.deprecated.note ?? '') : null),
  }),
  integrity: t.field({
    type: SegmentIntegrityRef,
    description: 'The last check of its stored file (UNCHECKED before the first).',
    resolve: (s) => integrityOf(s),
  }),
}));

function integrityOf({ record }: StoredSegment): IntegrityView {
  const integrity = record.integrity;
  if (!integrity) return { status: 'UNCHECKED' };
  return {
    status: integrity.status,
    checkedAt: integrity.checkedAt,
    ...(integrity.reason === undefined ? {} : { reason: integrity.reason }),
  };
}
