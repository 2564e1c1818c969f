import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../model/principal.js';
import type { TransferTokenRecords } from '../../records/transfer-token-records.js';

/**
 * Short-lived tokens for moving bytes (SPEC-FLEET section 4, D12): an upload session's token and a
 * download URL's token. A token is `<id>.<mac>`: 16 random bytes naming its record in the store, and
 * an HMAC-SHA256 over the kind and the id under a key the replicas share through the store. The MAC
 * turns away forged and altered tokens, and tokens of the other kind, before any store read; the
 * record holds the subject and the expiry, so any replica serves any token and revocation is a delete.
 *
 * Expiry (D12): a token must first be used within its TTL of creation; each use, at its start, sets
 * `expiresAt = max(expiresAt, now + extendSeconds)`. A download that takes an hour is one use: it is
 * checked when it starts, not while its bytes flow.
 */

export type TransferTokenKind = 'UPLOAD' | 'DOWNLOAD';
export interface IssuedTransferToken {
  readonly token: string;
  readonly expiresAt: Date;
}
export interface TransferTokenUse {
  readonly subject: string;
  readonly expiresAt: Date;
  /** The principal that asked for the token, when the issuer named one. */
  readonly issuer?: Principal;
}

export interface TransferTokenSettings {
  /** TRANSFER_TOKEN_TTL_S: the default time from creation to the first use. */
  readonly ttlSeconds: number;
  /** TRANSFER_TOKEN_EXTEND_S: how far each use pushes the expiry out (from the use's start). */
  readonly extendSeconds: number;
}

/** Expired records are swept by `issue` at most this often per process (tokens expire in minutes). */
const SWEEP_INTERVAL_MS = 60_000;
/** Uses of one token racing each other (parallel ranged requests) retry the extension this often. */
const EXTEND_ATTEMPTS = 8;
const ID_BYTES = 16;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const MAC_CONTEXT = 'seghub-transfer-token-v1';

export class TransferTokens {
  private key: Promise<Buffer> | undefined;
  private sweepAfter = 0;
  private sweeping: Promise<void> | undefined;

  private readonly now: () => number;
  private readonly onSweepError: (err: unknown) => void;

  constructor(
    private readonly records: TransferTokenRecords,
    private readonly settings: TransferTokenSettings,
    hooks: { now?: () => number; onSweepError?: (err: unknown) => void } = {},
  ) {
    this.now = hooks.now ?? Date.now;
    this.onSweepError = hooks.onSweepError ?? (() => {});
  }

  /** subject: an upload session id, or a segment id for downloads. ttlSeconds defaults to TRANSFER_TOKEN_TTL_S. */
  async issue(
    kind: TransferTokenKind,
    subject: string,
    options: { ttlSeconds?: number; issuer?: Principal } = {},
  ): Promise<IssuedTransferToken> {
    const ttlSeconds = options.ttlSeconds ?? this.settings.ttlSeconds;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new RangeError(
        `a transfer token's TTL must be a positive whole number of seconds, not ${ttlSeconds}`,
      );
    }
    const id = randomBytes(ID_BYTES).toString('base64url');
    const now = this.now();
    const expiresAt = now + ttlSeconds * 1000;
    await this.records.create(id, {
      kind,
      subject,
      ...(options.issuer && { issuer: { id: options.issuer.id, role: options.issuer.role } }),
      createdAt: new Date(now).toISOString(),
      expiresAt,
    });
    this.sweepSoon(now);
    return { token: `${id}.${await this.mac(kind, id)}`, expiresAt: new Date(expiresAt) };
  }

  /**
   * Verifies the token (HMAC with a key shared by replicas through the store, constant-time compare),
   * checks it is unexpired and of `kind`, and extends it: expiresAt = max(expiresAt, now + TRANSFER_TOKEN_EXTEND_S)
   * (SPEC-FLEET D12), written to the store. undefined when forged, unknown, expired or of another kind.
   */
  async use(token: string, kind: TransferTokenKind): Promise<TransferTokenUse | undefined> {
    const parts = TOKEN_SHAPE.exec(token);
    if (!parts) return undefined;
    const [, id = '', mac = ''] = parts;
    const expected = Buffer.from(await this.mac(kind, id), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    for (let attempt = 0; attempt < EXTEND_ATTEMPTS; attempt++) {
      const read = await this.records.get(id);
      if (!read || read.record.kind !== kind) return undefined;
      const now = this.now();
      if (read.record.expiresAt <= now) return undefined;
      const expiresAt = Math.max(read.record.expiresAt, now + this.settings.extendSeconds * 1000);
      const written =
        expiresAt === read.record.expiresAt || (await this.records.setExpiry(id, read, expiresAt));
      if (written) {
        const { subject, issuer } = read.record;
        return { subject, expiresAt: new Date(expiresAt), ...(issuer === undefined ? {} : { issuer }) };
      }
    }
    throw new Error(`transfer token ${id}: its expiry kept changing under ${EXTEND_ATTEMPTS} attempts`);
  }

  /** Removes every token of a subject (a session completed or expired, renewUploadSession). */
  async revokeSubject(kind: TransferTokenKind, subject: string): Promise<void> {
    await this.records.revokeSubject(kind, subject);
  }

  /** Deletes the records of expired tokens now; answers how many. `issue` runs it every minute or so. */
  sweep(): Promise<number> {
    return this.records.sweepExpired(this.now());
  }

  /** Resolves once a sweep started by `issue` has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await this.sweeping;
  }

  private async mac(kind: TransferTokenKind, id: string): Promise<string> {
    this.key ??= this.records.signingKey().catch((err: unknown) => {
      this.key = undefined; // a store that failed once is asked again by the next call
      throw err;
    });
    return createHmac('sha256', await this.key)
      .update(`${MAC_CONTEXT}\n${kind}\n${id}`)
      .digest('base64url');
  }

  /** Lazy, bounded housekeeping: no leader needed, and a quiet server has no tokens to sweep. */
  private sweepSoon(now: number): void {
    if (now < this.sweepAfter || this.sweeping) return;
    this.sweepAfter = now + SWEEP_INTERVAL_MS;
    this.sweeping = this.sweep().then(
      () => {
        this.sweeping = undefined;
      },
      (err: unknown) => {
        this.sweeping = undefined;
        this.onSweepError(err);
      },
    );
  }
}
