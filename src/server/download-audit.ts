import type { ServerResponse } from 'node:http';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { Principal } from '../model/principal.js';
import type { AuditLog } from '../records/audit-log.js';
import type { ByteRange } from './byte-range.js';

/** What `/files/` answered one request with a good token (../files.ts), for the audit and the metrics. */
export interface Served {
  status: number;
  range?: ByteRange;
  errorCode?: string;
}

/**
 * Writes each download to the audit trail once its response has ended: who asked for the URL, the
 * segment, the range, the status and the bytes that left. A download cut short is an ERROR `ABORTED`.
 */
export function auditor(
  options: { audit: AuditLog; log: Logger },
  issuer: Principal | undefined,
  res: ServerResponse,
  metrics: Metrics,
) {
  const actor = issuer ?? { id: 'unknown', role: 'viewer' as const };
  return (segmentId: string, served: Served) => {
    const sent = served.range && served.status < 300 ? served.range.end - served.range.start + 1 : 0;
    const write = () => {
      const complete = res.writableFinished;
      const errorCode = served.errorCode ?? (complete ? null : 'ABORTED');
      const bytes = complete ? sent : null;
      metrics.downloads.inc({ status: String(served.status) });
      if (bytes) metrics.bytes.inc(bytes);
      options.audit
        .append({
          at: new Date().toISOString(),
          actor: { id: actor.id, role: actor.role },
          operationName: null,
          field: 'download',
          // As a mutation's arguments would name it (the global id), and readable.
          arguments: {
            id: encodeGlobalID('Segment', segmentId),
            segment: segmentId,
            range:
              served.range && served.status === 206
                ? `bytes=${served.range.start}-${served.range.end}`
                : null,
            status: served.status,
            bytes,
          },
          outcome: errorCode === null ? 'SUCCESS' : 'ERROR',
          resultType: null,
          errorCode,
        })
        .catch((err: unknown) => options.log.warn({ err, segmentId }, 'download audit entry not written'));
    };
    // Ended but not yet flushed is not finished: wait for the close that tells which it was.
    if (res.writableFinished || res.destroyed) write();
    else res.once('close', write);
  };
}

export type Metrics = ReturnType<typeof downloadMetrics>;

/** `seghub_downloads_*`: labels from fixed sets only (status code, refusal code); never the URL. */
export function downloadMetrics(registry: Registry) {
  return {
    downloads: new Counter({
      name: 'seghub_downloads_total',
      help: 'Requests to /files/ with a valid token, by response status',
      labelNames: ['status'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'seghub_download_refusals_total',
      help: 'Requests to /files/ refused before reading a segment (bad token, too many downloads)',
      labelNames: ['code'],
      registers: [registry],
    }),
    bytes: new Counter({
      name: 'seghub_download_bytes_total',
      help: 'Bytes of segment files sent by downloads that completed',
      registers: [registry],
    }),
    active: new Gauge({
      name: 'seghub_downloads_active',
      help: 'Downloads being served now',
      registers: [registry],
    }),
  };
}
