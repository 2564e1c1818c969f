import { InvalidInputError, SegmentNotFoundError } from '../../model/errors.js';
import type { Principal } from '../../model/principal.js';
import type { StoredSegment } from '../../records/segment-records.js';
import type { SegmentService } from '../segments/segment-service.js';
import type { TransferTokens } from './transfer-tokens.js';

/**
 * Downloads of segment files (SPEC-FLEET section 4, D12): `Segment.downloadUrl` issues a DOWNLOAD
 * token for the segment and names it in a `/files/` URL; the `/files/` route asks `open` what the
 * token may read. The bytes themselves are served by the HTTP layer.
 */

/** D12: `downloadUrl(ttlSeconds)` may ask for at most an hour before the first use. */
export const MAX_DOWNLOAD_TTL_S = 3600;
/** Where download URLs live; the route and the URLs agree on it here. */
export const DOWNLOAD_PATH_PREFIX = '/files/';

/**
 * A reason to refuse a segment's bytes though its token is good, or undefined. The trust checks
 * (SPEC-FLEET D11: a file found tampered) register one; none does yet.
 */
export type DownloadBlock = (segment: StoredSegment) => Promise<string | undefined> | string | undefined;

export type DownloadOpening =
  /** The token is good: serve `path`, whose bytes are the segment's. */
  | { kind: 'OPEN'; segment: StoredSegment; path: string; issuer?: Principal }
  /** Forged, altered, expired, revoked or of another kind: nothing about the segment is told. */
  | { kind: 'UNAUTHORIZED' }
  /** The token was good, the segment is gone (deleted, removed by the remote sync). */
  | { kind: 'GONE'; segmentId: string; issuer?: Principal }
  /** A registered block refuses the bytes (e.g. FILE_TAMPERED); `code` and `reason` say why. */
  | { kind: 'BLOCKED'; segment: StoredSegment; code: string; reason: string; issuer?: Principal };

export interface DownloadsOptions {
  tokens: TransferTokens;
  segments: SegmentService;
  /** PUBLIC_URL without its trailing slash: URLs are absolute under it; unset: relative (`/files/…`). */
  publicUrl?: string;
}

export class Downloads {
  private readonly blocks: { code: string; check: DownloadBlock }[] = [];

  constructor(private readonly options: DownloadsOptions) {}

  /**
   * A URL that downloads the segment: `/files/<token>/<file name>`. The name is there for clients
   * that name a file after the URL; `Content-Disposition` carries it too. ttlSeconds: how long the
   * URL may wait for its first use (default TRANSFER_TOKEN_TTL_S, at most MAX_DOWNLOAD_TTL_S).
   */
  async url(segmentId: string, options: { ttlSeconds?: number | null; issuer?: Principal } = {}) {
    const { ttlSeconds } = options;
    if (
      ttlSeconds != null &&
      (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DOWNLOAD_TTL_S)
    ) {
      throw new InvalidInputError(
        `ttlSeconds must be between 1 and ${MAX_DOWNLOAD_TTL_S}, not ${ttlSeconds}`,
        'ttlSeconds',
      );
    }
    const segment = await this.options.segments.get(segmentId);
    if (!segment) throw new SegmentNotFoundError(segmentId);
    const { token } = await this.options.tokens.issue('DOWNLOAD', segment.id, {
      ...(ttlSeconds != null && { ttlSeconds }),
      ...(options.issuer && { issuer: options.issuer }),
    });
    const path = `${DOWNLOAD_PATH_PREFIX}${token}/${encodeURIComponent(segment.record.fileName)}`;
    return `${this.options.publicUrl ?? ''}${path}`;
  }

  /** Uses the token (which extends it, D12) and says what it may read. */
  async open(token: string): Promise<DownloadOpening> {
    const use = await this.options.tokens.use(token, 'DOWNLOAD');
    if (!use) return { kind: 'UNAUTHORIZED' };
    const issuer = use.issuer && { issuer: use.issuer };
    const segment = await this.options.segments.get(use.subject);
    if (!segment) return { kind: 'GONE', segmentId: use.subject, ...issuer };
    for (const { code, check } of this.blocks) {
      const reason = await check(segment);
      if (reason !== undefined) return { kind: 'BLOCKED', segment, code, reason, ...issuer };
    }
    return { kind: 'OPEN', segment, path: this.options.segments.filePath(segment), ...issuer };
  }

  /** Registers a check that can refuse a segment's bytes, answered with `code` (e.g. FILE_TAMPERED). */
  addBlock(code: string, check: DownloadBlock): void {
    this.blocks.push({ code, check });
  }
}
