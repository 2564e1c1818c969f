import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  FileTamperedError,
  InvalidKeyError,
  InvalidSignatureError,
  KeyExpiredError,
  KeyNotFoundError,
  KeyRevokedError,
  SegmentDeprecatedError,
  SegmentNotTestedError,
  SignatureRequiredError,
  TooManySignaturesError,
  TooManySigningKeysError,
} from '../model/errors.js';
import { builder } from './builder.js';
import { ErrorInterface } from './error-types.js';
import { DateTimeScalar } from './scalars.js';

/** The error members of the signing and lifecycle mutations (SPEC-FLEET section 3, D9–D11). */

builder.objectType(SegmentNotTestedError, {
  name: 'SegmentNotTestedError',
  description:
    'Only a TESTED segment can be released: the promotion gate has not passed it and no admin marked ' +
    'it tested (markSegmentTested). Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentNotTestedError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The segment (a Segment id).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    reasons: t.stringList({
      description: 'What the promotion gate still waits for, in words (as `Segment.promotion.reasons`).',
      resolve: (e) => [...e.reasons],
    }),
  }),
});
builder.objectType(SegmentDeprecatedError, {
  name: 'SegmentDeprecatedError',
  description:
    'The segment is DEPRECATED: it takes no new install or rollout anywhere, and cannot be released or ' +
    'tested again (seats that run it keep it). Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SegmentDeprecatedError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The deprecated segment (a Segment id).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    reason: t.exposeString('reason', { description: 'Why it was deprecated, as the admin wrote it.' }),
  }),
});
builder.objectType(SignatureRequiredError, {
  name: 'SignatureRequiredError',
  description:
    'The segment has fewer valid signatures by distinct keys than SIGNATURES_REQUIRED, which releasing ' +
    'and protected groups need. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof SignatureRequiredError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The segment (a Segment id).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    required: t.exposeInt('required', { description: 'Valid signatures by distinct keys needed.' }),
    valid: t.exposeInt('valid', { description: 'Valid signatures by distinct keys it has.' }),
  }),
});
builder.objectType(InvalidSignatureError, {
  name: 'InvalidSignatureError',
  description:
    "The signature does not verify with the key over the segment's statement (docs/trust.md), or is " +
    'not base64. Nothing was recorded.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidSignatureError,
  fields: (t) => ({ reason: t.exposeString('reason', { description: 'What is wrong with it.' }) }),
});
builder.objectType(InvalidKeyError, {
  name: 'InvalidKeyError',
  description:
    'Not a public key seghub trusts: a PEM SPKI key of Ed25519, ECDSA P-256 or RSA of at least 3072 bits. ' +
    'Nothing was added.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidKeyError,
  fields: (t) => ({ reason: t.exposeString('reason', { description: 'What is wrong with it.' }) }),
});
builder.objectType(KeyNotFoundError, {
  name: 'KeyNotFoundError',
  description: 'No signing key in the keyring has this id. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof KeyNotFoundError,
  fields: (t) => ({ keyId: t.exposeString('keyId', { description: 'The key id asked for.' }) }),
});
builder.objectType(KeyRevokedError, {
  name: 'KeyRevokedError',
  description: 'The signing key was revoked: it signs nothing any more. Nothing was recorded.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof KeyRevokedError,
  fields: (t) => ({
    keyId: t.exposeString('keyId', { description: 'The revoked key.' }),
    revokedAt: t.field({
      type: DateTimeScalar,
      description: 'When it was revoked.',
      resolve: (e) => e.revokedAt,
    }),
  }),
});
builder.objectType(KeyExpiredError, {
  name: 'KeyExpiredError',
  description:
    "The signing key's `notAfter` has passed: it takes no new signature (those added before stay " +
    'valid). Nothing was recorded.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof KeyExpiredError,
  fields: (t) => ({
    keyId: t.exposeString('keyId', { description: 'The expired key.' }),
    notAfter: t.field({
      type: DateTimeScalar,
      description: 'When it expired.',
      resolve: (e) => e.notAfter,
    }),
  }),
});
builder.objectType(FileTamperedError, {
  name: 'FileTamperedError',
  description:
    "The stored file no longer hashes to the segment's SHA-256: the segment is blocked everywhere " +
    '(install, rollout, download, federation) until verifySegmentFile finds the file right again. ' +
    'Nothing was changed but the recorded `Segment.integrity`.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof FileTamperedError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The segment (a Segment id).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    reason: t.exposeString('reason', { description: 'What was found: another hash, or no file.' }),
  }),
});
builder.objectType(TooManySigningKeysError, {
  name: 'TooManySigningKeysError',
  description:
    'The keyring holds MAX_SIGNING_KEYS keys already (revoked ones count: they judge old signatures). ' +
    'Nothing was added.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TooManySigningKeysError,
  fields: (t) => ({ limit: t.exposeInt('limit', { description: 'The configured number of keys.' }) }),
});
builder.objectType(TooManySignaturesError, {
  name: 'TooManySignaturesError',
  description:
    'The segment holds MAX_SIGNATURES_PER_SEGMENT signatures already (one per key). Nothing was recorded.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TooManySignaturesError,
  fields: (t) => ({
    segmentId: t.id({
      description: 'The segment (a Segment id).',
      resolve: (e) => encodeGlobalID('Segment', e.segmentId),
    }),
    limit: t.exposeInt('limit', { description: 'The configured number of signatures per segment.' }),
  }),
});
