import {
  KeyExpiredError,
  KeyNotFoundError,
  KeyRevokedError,
  SegmentDeletingError,
  TooManySignaturesError,
} from '../../model/errors.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentRecord } from '../../records/segment-schema.js';
import type { StoredSignature } from '../../records/segment-trust-schema.js';
import type { SegmentCatalog } from '../segments/segment-catalog.js';
import type { SegmentService } from '../segments/segment-service.js';
import { segmentStatement } from './signature-statement.js';
import { judgeSignatures } from './signature-status.js';
import { verifySignature } from './signature-verify.js';
import type { KeyringReader, SignatureJudgement, SigningKey } from './trust-types.js';

export interface SignatureServiceOptions {
  /** Writes go through `SegmentService.modify` only. */
  segments: SegmentService;
  /** Which segments a key signed (`signedBy`). */
  catalog: SegmentCatalog;
  keyring: KeyringReader;
  /** SIGNATURES_REQUIRED. */
  required: number;
  /** MAX_SIGNATURES_PER_SEGMENT. */
  maxSignatures: number;
  now?: () => Date;
}

/**
 * Signatures on segments (SPEC-FLEET section 3, D10). A signature is checked when it is added and
 * stored only if it verifies; from then on only its key's standing (revoked, gone) changes how it
 * is judged. One signature per key: a new one from the same key replaces the old.
 */
export class SignatureService {
  private readonly now: () => Date;

  constructor(private readonly options: SignatureServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** SIGNATURES_REQUIRED: valid signatures by distinct keys a release needs. */
  get required(): number {
    return this.options.required;
  }

  /**
   * Adds a signature over the segment's statement. Refusals write nothing: KEY_NOT_FOUND,
   * KEY_REVOKED, KEY_EXPIRED (now past the key's notAfter), SEGMENT_NOT_FOUND, SEGMENT_DELETING,
   * INVALID_SIGNATURE, TOO_MANY_SIGNATURES. Allowed in every lifecycle (a RELEASED segment may gain
   * a second signer).
   */
  async add(
    segmentId: string,
    keyId: string,
    signatureB64: string,
    principalId: string,
  ): Promise<StoredSegment> {
    const key = await this.usableKey(keyId);
    return this.options.segments.modify(segmentId, (current) => {
      const { record } = current;
      if (record.deleteStatus !== 'NONE') throw new SegmentDeletingError(segmentId);
      const signature = verifySignature(key, segmentStatement(record), signatureB64);
      const stored = record.signatures ?? [];
      if (stored.some((s) => s.keyId === key.keyId && s.signature === signature)) return undefined;
      const others = stored.filter((s) => s.keyId !== key.keyId);
      if (others.length >= this.options.maxSignatures) {
        throw new TooManySignaturesError(segmentId, this.options.maxSignatures);
      }
      const added: StoredSignature = {
        keyId: key.keyId,
        signature,
        signedAt: this.now().toISOString(),
        addedBy: principalId,
      };
      return { ...record, signatures: [...others, added] };
    });
  }

  /**
   * How the segment's signatures stand against the keyring now, and whether they meet the policy.
   * `keys`: the keyring as the caller read it already (a page of segments reads it once).
   */
  async judge(
    segment: StoredSegment | SegmentRecord,
    keys?: ReadonlyMap<string, SigningKey>,
  ): Promise<SignatureJudgement> {
    const record = 'record' in segment ? segment.record : segment;
    const signatures = record.signatures ?? [];
    return judgeSignatures(signatures, keys ?? (await this.keysOf(signatures)), this.options.required);
  }

  private async keysOf(signatures: readonly { keyId: string }[]): Promise<Map<string, SigningKey>> {
    const ids = [...new Set(signatures.map((s) => s.keyId))];
    const found = await Promise.all(ids.map((id) => this.options.keyring.get(id)));
    const keysById = new Map<string, SigningKey>();
    for (const key of found) if (key) keysById.set(key.keyId, key);
    return keysById;
  }

  /** The segments holding a signature by this key (a revocation re-judges them), in list order. */
  async signedBy(keyId: string): Promise<StoredSegment[]> {
    const all = await this.options.catalog.all();
    return all.filter((s) => s.record.signatures?.some((sig) => sig.keyId === keyId));
  }

  private async usableKey(keyId: string): Promise<SigningKey> {
    const key = await this.options.keyring.get(keyId);
    if (!key) throw new KeyNotFoundError(keyId);
    if (key.revokedAt) throw new KeyRevokedError(keyId, key.revokedAt);
    if (key.notAfter && this.now().getTime() > Date.parse(key.notAfter)) {
      throw new KeyExpiredError(keyId, key.notAfter);
    }
    return key;
  }
}
