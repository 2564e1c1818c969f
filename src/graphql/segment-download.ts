import { MAX_DOWNLOAD_TTL_S } from '../domain/transfers/downloads.js';
import { builder } from './builder.js';
import { SegmentRef } from './segment.js';

builder.objectFields(SegmentRef, (t) => ({
  downloadUrl: t.string({
    description:
      "A URL that downloads the segment's file: `/files/<token>/<file name>`, relative unless seghub " +
      'has a PUBLIC_URL. The token in it must be used within `ttlSeconds` and stays good while it is ' +
      'used at least every TRANSFER_TOKEN_EXTEND_S seconds; the URL itself is the credential, so share ' +
      'it like a password. It serves ranges (`Range`, `If-Range`, `?offset=N`), `ETag` is the SHA-256, ' +
      'and each download is written to the audit log under the principal that asked for the URL. ' +
      'Downloading is reading: viewers and up. A `ttlSeconds` outside 1–3600 is an INVALID_INPUT error.',
    authScopes: { viewer: true },
    args: {
      ttlSeconds: t.arg.int({
        description: `Seconds the URL may wait for its first use; default TRANSFER_TOKEN_TTL_S (120), at most ${MAX_DOWNLOAD_TTL_S}.`,
      }),
    },
    resolve: (segment, { ttlSeconds }, { services, principal }) =>
      services.downloads.url(segment.id, { ttlSeconds, issuer: principal }),
  }),
}));
