import { MAX_KEY_LABEL_LENGTH, MAX_REVOKE_REASON_LENGTH } from '../domain/trust/keyring.js';
import { KEY_ALGORITHMS, type SigningKey } from '../domain/trust/trust-types.js';
import {
  InvalidInputError,
  InvalidKeyError,
  KeyNotFoundError,
  TooManySigningKeysError,
} from '../model/errors.js';
import type { StoredSegment } from '../records/segment-records.js';
import { builder } from './builder.js';
import { describedValues } from './enum-values.js';
import { DateTimeScalar } from './scalars.js';
import { SegmentRef } from './segment.js';

/** The keyring (SPEC-FLEET section 3, D7): viewers read the public keys, admins add and revoke them. */

export const KeyAlgorithmEnum = builder.enumType('KeyAlgorithm', {
  description: 'The signature algorithm a signing key verifies with (follows from the key).',
  values: describedValues(KEY_ALGORITHMS, {
    ED25519: 'Ed25519 (pure, RFC 8032) over the statement bytes.',
    ECDSA_P256_SHA256: 'ECDSA on the P-256 curve with SHA-256; signatures DER-encoded.',
    RSA_PSS_SHA256:
      'RSA-PSS with SHA-256 and MGF1-SHA256 (salt 32 when signing; any length verifies); ≥ 3072 bits.',
  }),
});

export const SigningKeyRef = builder.objectRef<SigningKey>('SigningKey').implement({
  description:
    "A trusted public key: signatures it made count towards a segment's signature policy. Revoked " +
    'keys stay listed, so that the signatures they made can still be judged (as invalid).',
  fields: (t) => ({
    keyId: t.exposeString('keyId', {
      description: "Hex SHA-256 of the key's SPKI DER: the id `addSegmentSignature` and `npm run sign` name.",
    }),
    algorithm: t.field({
      type: KeyAlgorithmEnum,
      description: 'The algorithm its signatures are verified with.',
      resolve: (key) => key.algorithm,
    }),
    label: t.exposeString('label', { description: 'What the admin called it (whose key, which HSM).' }),
    publicKeyPem: t.exposeString('publicKeyPem', {
      description: 'The public key as PEM (SPKI), normalized: other instances can add it as it is.',
    }),
    addedAt: t.field({
      type: DateTimeScalar,
      description: 'When it was added.',
      resolve: (key) => key.addedAt,
    }),
    addedBy: t.exposeString('addedBy', { description: 'The principal that added it.' }),
    notAfter: t.field({
      type: DateTimeScalar,
      nullable: true,
      description:
        'After this, the key takes no new signature (KEY_EXPIRED); signatures added before stay valid. ' +
        'Null: no expiry.',
      resolve: (key) => key.notAfter ?? null,
    }),
    revokedAt: t.field({
      type: DateTimeScalar,
      nullable: true,
      description: 'When it was revoked; null while it is trusted. Its signatures no longer count.',
      resolve: (key) => key.revokedAt ?? null,
    }),
    revokedBy: t.string({
      nullable: true,
      description: 'The principal that revoked it; null while it is trusted.',
      resolve: (key) => key.revokedBy ?? null,
    }),
    revokeReason: t.string({
      nullable: true,
      description: 'Why it was revoked, as the admin wrote it; null while it is trusted.',
      resolve: (key) => key.revokeReason ?? null,
    }),
  }),
});

type KeyResult = { key: SigningKey };

const AddSigningKeySuccess = builder.objectRef<KeyResult>('AddSigningKeySuccess').implement({
  description: 'The key is in the keyring (or already was: adding the same key again changes nothing).',
  fields: (t) => ({
    key: t.field({ type: SigningKeyRef, description: 'The key as stored.', resolve: (r) => r.key }),
  }),
});
/** Segments a revocation answers with; `signedSegmentCount` says how many there are in all. */
const MAX_SIGNED_SEGMENTS = 100;

const RevokeSigningKeySuccess = builder
  .objectRef<KeyResult & { signed: StoredSegment[] }>('RevokeSigningKeySuccess')
  .implement({
    description:
      'The key is revoked: every segment it signed is judged again; those that fall below ' +
      'SIGNATURES_REQUIRED are INSUFFICIENT, and their rollouts to protected groups pause.',
    fields: (t) => ({
      key: t.field({ type: SigningKeyRef, description: 'The key, revoked.', resolve: (r) => r.key }),
      signedSegments: t.field({
        type: [SegmentRef],
        description: `The segments the key signed, judged again without it (the first ${MAX_SIGNED_SEGMENTS} in list order).`,
        resolve: (r) => r.signed.slice(0, MAX_SIGNED_SEGMENTS),
      }),
      signedSegmentCount: t.int({
        description: 'How many segments the key signed.',
        resolve: (r) => r.signed.length,
      }),
    }),
  });

builder.queryField('signingKeys', (t) =>
  t.field({
    type: [SigningKeyRef],
    description:
      'Every key in the keyring, revoked ones included, oldest first. Public keys are public: viewers and up.',
    authScopes: { viewer: true },
    resolve: (_root, _args, { services }) => services.trust.keyring.list(),
  }),
);

builder.mutationFields((t) => ({
  addSigningKey: t.field({
    type: AddSigningKeySuccess,
    description:
      'Adds a trusted public key: Ed25519, ECDSA P-256 or RSA (at least 3072 bits), as PEM. Anything ' +
      'else: INVALID_KEY. The same key again returns the stored one (its label unchanged). Admins only.',
    authScopes: { admin: true },
    args: {
      publicKeyPem: t.arg.string({
        required: true,
        description: 'The public key, PEM (`-----BEGIN PUBLIC KEY-----`, SPKI).',
      }),
      label: t.arg.string({
        required: true,
        description: `A name for people: whose key, which HSM (at most ${MAX_KEY_LABEL_LENGTH} characters).`,
      }),
      notAfter: t.arg({
        type: DateTimeScalar,
        description:
          'After this the key signs nothing new (signatures made before stay valid). Omit: no expiry.',
      }),
    },
    errors: {
      types: [InvalidKeyError, TooManySigningKeysError, InvalidInputError],
      directResult: true,
      union: { name: 'AddSigningKeyResult', description: 'The key added, or why not.' },
    },
    resolve: async (_root, args, { services, principal }) => ({
      key: await services.trust.keyring.add(
        args.publicKeyPem,
        args.label,
        args.notAfter ?? undefined,
        principal.id,
      ),
    }),
  }),
  revokeSigningKey: t.field({
    type: RevokeSigningKeySuccess,
    description:
      'Revokes a key for good: it signs nothing more and its signatures stop counting. Revoking a ' +
      'revoked key changes nothing. Admins only.',
    authScopes: { admin: true },
    args: {
      keyId: t.arg.string({ required: true, description: 'The key (`SigningKey.keyId`).' }),
      reason: t.arg.string({
        required: true,
        description: `Why, shown as \`revokeReason\` (at most ${MAX_REVOKE_REASON_LENGTH} characters).`,
      }),
    },
    errors: {
      types: [KeyNotFoundError, InvalidInputError],
      directResult: true,
      union: { name: 'RevokeSigningKeyResult', description: 'The key revoked, or why not.' },
    },
    resolve: async (_root, args, { services, principal }) => ({
      key: await services.trust.keyring.revoke(args.keyId, args.reason, principal.id),
      signed: await services.trust.signatures.signedBy(args.keyId),
    }),
  }),
}));
