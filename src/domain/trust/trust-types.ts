import type { Lifecycle } from '../../records/segment-trust-schema.js';

/** The shapes the trust area (SPEC-FLEET section 3) shares between its services, GraphQL and the dashboard. */

export type { IntegrityStatus, Lifecycle } from '../../records/segment-trust-schema.js';

import { SIGNING_KEY_ALGORITHMS } from '../../records/signing-key-records.js';

/** The algorithms a trusted key may have (as stored). */
export const KEY_ALGORITHMS = SIGNING_KEY_ALGORITHMS;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** A trusted public key. `keyId` is the hex SHA-256 of its SPKI DER. */
export interface SigningKey {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  readonly label: string;
  readonly publicKeyPem: string;
  readonly addedAt: string;
  readonly addedBy: string;
  /** Signatures made after this are refused (KEY_EXPIRED); ones made before stay valid (D10). */
  readonly notAfter?: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
  readonly revokeReason?: string;
}

/** Reads of the keyring, for those that judge signatures. */
export interface KeyringReader {
  list(): Promise<SigningKey[]>;
  get(keyId: string): Promise<SigningKey | undefined>;
}

export const SIGNATURE_STATUSES = ['UNSIGNED', 'VALID', 'INSUFFICIENT', 'INVALID'] as const;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

/** One stored signature as judged now. */
export interface SignatureView {
  readonly keyId: string;
  /** base64, so that other instances can verify (D10). */
  readonly signature: string;
  readonly signedAt: string;
  readonly addedBy: string;
  /** The key, when the keyring still has it. */
  readonly key?: SigningKey;
  readonly valid: boolean;
  /** Why not valid (the key was revoked, is unknown, ...). */
  readonly reason?: string;
}

export interface SignatureJudgement {
  readonly status: SignatureStatus;
  /** Distinct keys with a valid signature. */
  readonly validKeys: number;
  /** SIGNATURES_REQUIRED. */
  readonly required: number;
  /** Whether `validKeys` meets the policy (release and protected groups need it). */
  readonly meetsPolicy: boolean;
  readonly signatures: readonly SignatureView[];
}

/** `Segment.promotion`: where the tested-before-production gate stands. */
export interface PromotionView {
  readonly tested: boolean;
  readonly testedAt?: string;
  /** Test seats running the segment at the last judgement. */
  readonly testSeats: readonly string[];
  /** What is still missing, or how it became TESTED; in words for operators. */
  readonly reasons: readonly string[];
}

/** The lifecycle of a record written before lifecycles: DRAFT until the migration (D9) writes one. */
export function lifecycleOf(record: { lifecycle?: Lifecycle | undefined }): Lifecycle {
  return record.lifecycle ?? 'DRAFT';
}
