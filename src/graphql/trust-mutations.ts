import { MAX_LIFECYCLE_NOTE_LENGTH as MAX_NOTE } from '../domain/trust/lifecycle-service.js';
import {
  FileTamperedError,
  InvalidInputError,
  InvalidSignatureError,
  KeyExpiredError,
  KeyNotFoundError,
  KeyRevokedError,
  SegmentDeletingError,
  SegmentDeprecatedError,
  SegmentNotFoundError,
  SegmentNotTestedError,
  SignatureRequiredError,
  TooManySignaturesError,
} from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { requireSegmentId, SegmentRef } from './segment.js';

/**
 * Signatures and the release lifecycle (SPEC-FLEET section 3, D7: operators sign, admins decide).
 * Each returns `<Name>Success { segment }` or the error members that fit; the audit plugin
 * records every call.
 */

type Result = { segment: StoredSegment };

function successType(name: string, description: string, segmentDescription: string) {
  return builder.objectRef<Result>(name).implement({
    description,
    fields: (t) => ({
      segment: t.field({ type: SegmentRef, description: segmentDescription, resolve: (r) => r.segment }),
    }),
  });
}

const AddSegmentSignatureSuccess = successType(
  'AddSegmentSignatureSuccess',
  'The signature verified and is recorded (replacing an earlier one by the same key).',
  'The segment with the signature; `signatureStatus` judged again.',
);
const MarkSegmentTestedSuccess = successType(
  'MarkSegmentTestedSuccess',
  'The segment is TESTED (or was already TESTED or RELEASED: unchanged).',
  'The segment as stored now.',
);
const ReleaseSegmentSuccess = successType(
  'ReleaseSegmentSuccess',
  'The segment is RELEASED (or already was: unchanged); protected groups take it.',
  'The segment as stored now, with `releasedAt`, `releasedBy` and `integrity` OK.',
);
const DeprecateSegmentSuccess = successType(
  'DeprecateSegmentSuccess',
  'The segment is DEPRECATED (or already was: unchanged): no new install or rollout; seats keep it.',
  'The segment as stored now.',
);
const VerifySegmentFileSuccess = successType(
  'VerifySegmentFileSuccess',
  'The stored file was hashed again and the result recorded; OK lifts a TAMPERED block.',
  'The segment; `integrity` says what the check found (OK or TAMPERED).',
);

/** Refusals every lifecycle mutation may meet: an unknown id, a segment being deleted, a bad text. */
const SEGMENT_ERRORS = [SegmentNotFoundError, SegmentDeletingError, InvalidInputError] as const;

builder.mutationFields((t) => {
  const idArg = () => t.arg.id({ required: true, description: 'The Segment id.' });
  return {
    addSegmentSignature: t.field({
      type: AddSegmentSignatureSuccess,
      description:
        "Adds a signature over the segment's statement (docs/trust.md; `npm run sign` makes one), " +
        'verified at once with the key: INVALID_SIGNATURE, KEY_NOT_FOUND, KEY_REVOKED or KEY_EXPIRED ' +
        'record nothing. One signature per key: a new one by the same key replaces it. Operators and admins.',
      authScopes: { operator: true },
      args: {
        id: idArg(),
        keyId: t.arg.string({ required: true, description: 'The key that signed (`SigningKey.keyId`).' }),
        signature: t.arg.string({ required: true, description: 'The signature bytes, base64.' }),
      },
      errors: {
        types: [
          SegmentNotFoundError,
          SegmentDeletingError,
          KeyNotFoundError,
          KeyRevokedError,
          KeyExpiredError,
          InvalidSignatureError,
          TooManySignaturesError,
        ],
        directResult: true,
        union: { name: 'AddSegmentSignatureResult', description: 'The signature recorded, or why not.' },
      },
      resolve: async (_root, args, { services, principal }) => ({
        segment: await services.trust.signatures.add(
          requireSegmentId(String(args.id)),
          args.keyId,
          args.signature,
          principal.id,
        ),
      }),
    }),
    markSegmentTested: t.field({
      type: MarkSegmentTestedSuccess,
      description:
        'Marks a DRAFT segment TESTED without waiting for the promotion gate, on your word (audited). ' +
        'A DEPRECATED segment: SEGMENT_DEPRECATED. Admins only.',
      authScopes: { admin: true },
      args: {
        id: idArg(),
        reason: t.arg.string({
          required: true,
          description: `Why it counts as tested (at most ${MAX_NOTE} characters).`,
        }),
      },
      errors: {
        types: [...SEGMENT_ERRORS, SegmentDeprecatedError],
        directResult: true,
        union: { name: 'MarkSegmentTestedResult', description: 'The segment TESTED, or why not.' },
      },
      resolve: async (_root, args, { services, principal }) => ({
        segment: await services.trust.lifecycle.markTested(
          requireSegmentId(String(args.id)),
          args.reason,
          principal.id,
        ),
      }),
    }),
    releaseSegment: t.field({
      type: ReleaseSegmentSuccess,
      description:
        'Releases a TESTED segment, checked in this order: not DEPRECATED (SEGMENT_DEPRECATED), TESTED ' +
        '(SEGMENT_NOT_TESTED with the reasons), the stored file hashed again (FILE_TAMPERED, which blocks ' +
        'it everywhere), the signatures meeting SIGNATURES_REQUIRED (SIGNATURE_REQUIRED). Admins only.',
      authScopes: { admin: true },
      args: {
        id: idArg(),
        note: t.arg.string({
          description: `Release notes, shown as \`releaseNote\` (at most ${MAX_NOTE} characters).`,
        }),
      },
      errors: {
        types: [
          ...SEGMENT_ERRORS,
          SegmentDeprecatedError,
          SegmentNotTestedError,
          FileTamperedError,
          SignatureRequiredError,
        ],
        directResult: true,
        union: { name: 'ReleaseSegmentResult', description: 'The segment RELEASED, or why not.' },
      },
      resolve: async (_root, args, { services, principal }) => ({
        segment: await services.trust.lifecycle.release(
          requireSegmentId(String(args.id)),
          args.note ?? undefined,
          principal.id,
        ),
      }),
    }),
    deprecateSegment: t.field({
      type: DeprecateSegmentSuccess,
      description:
        'Deprecates a segment in any state: no new install or rollout of it anywhere ' +
        '(SEGMENT_DEPRECATED); seats that run it keep it. There is no way back. Admins only.',
      authScopes: { admin: true },
      args: {
        id: idArg(),
        reason: t.arg.string({
          required: true,
          description: `Why, shown as \`deprecatedReason\` (at most ${MAX_NOTE} characters).`,
        }),
      },
      errors: {
        types: [...SEGMENT_ERRORS],
        directResult: true,
        union: { name: 'DeprecateSegmentResult', description: 'The segment DEPRECATED, or why not.' },
      },
      resolve: async (_root, args, { services, principal }) => ({
        segment: await services.trust.lifecycle.deprecate(
          requireSegmentId(String(args.id)),
          args.reason,
          principal.id,
        ),
      }),
    }),
    verifySegmentFile: t.field({
      type: VerifySegmentFileSuccess,
      description:
        'Hashes the stored file again now and records the result in `integrity`: a file that is right ' +
        'again lifts a TAMPERED block; a wrong one is TAMPERED (a success: the check ran). Admins only.',
      authScopes: { admin: true },
      args: { id: idArg() },
      errors: {
        types: [SegmentNotFoundError],
        directResult: true,
        union: { name: 'VerifySegmentFileResult', description: 'The segment checked, or why not.' },
      },
      resolve: async (_root, args, { services }) => ({
        segment: await services.trust.integrity.verify(requireSegmentId(String(args.id))),
      }),
    }),
  };
});
