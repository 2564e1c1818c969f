import { z } from 'zod';
import type { Compare, KeyValue, KvStore, TxnOp } from '../kv/kv.js';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import { jsonCodec } from './json-codec.js';
import { keys } from './keyspace.js';

/**
 * `remote-sync/<target>`: the last remote-sync report of a target. `remote-sync-requests/<target>/<id>`:
 * a `syncRemote` call waiting for the leader. A request is served by the first report written after
 * the leader read it; that report names it in `requestIds`, and the same transaction deletes it.
 */

const entrySchema = z.object({
  segmentId: z.string(),
  uid: z.string(),
  name: z.string(),
  version: z.string(),
});

const failureSchema = z.object({
  uid: z.string(),
  name: z.string(),
  version: z.string(),
  reason: z.string(),
});

const reportSchema = z.object({
  target: z.enum(SDP_TARGETS),
  /** The `syncRemote` requests this pass served. */
  requestIds: z.array(z.string()),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** At most `MAX_REPORT_ENTRIES` each; `counts` has the totals. */
  added: z.array(entrySchema),
  removed: z.array(entrySchema),
  failed: z.array(failureSchema),
  counts: z.object({ added: z.number(), removed: z.number(), failed: z.number() }),
  /** Set when the pass could not run at all (the platform could not be listed). */
  error: z.string().optional(),
});

export type RemoteSyncEntry = z.infer<typeof entrySchema>;
export type RemoteSyncFailure = z.infer<typeof failureSchema>;
export type RemoteSyncReport = z.infer<typeof reportSchema>;

export const remoteSyncReportCodec = jsonCodec(reportSchema, 'remote-sync report');

/** A report stays well under etcd's request limit (1.5 MiB) whatever a pass finds. */
export const MAX_REPORT_ENTRIES = 1000;

/** Requests one report serves: each is a delete in the report's transaction (etcd allows 128 ops). */
const MAX_REQUESTS_PER_REPORT = 100;

export class RemoteSyncStore {
  constructor(private readonly kv: KvStore) {}

  async reports(): Promise<RemoteSyncReport[]> {
    const { kvs } = await this.kv.range(keys.remoteSyncReports);
    return kvs.map(decodeReport);
  }

  /** Requests waiting for `target`, oldest id first; `more` when there are more than one report serves. */
  async pendingRequests(target: SdpTarget): Promise<{ ids: string[]; more: boolean }> {
    const prefix = keys.remoteSyncRequestsOf(target);
    const page = await this.kv.range(prefix, { keysOnly: true, limit: MAX_REQUESTS_PER_REPORT });
    return { ids: page.kvs.map((kv) => kv.key.slice(prefix.length)), more: page.more };
  }

  /** Stores the report and deletes the requests it served, if every `guard` holds. */
  async saveReport(report: RemoteSyncReport, guard: Compare[]): Promise<boolean> {
    const requests: TxnOp[] = report.requestIds.map((id) => ({
      type: 'delete',
      key: keys.remoteSyncRequest(report.target, id),
    }));
    const result = await this.kv.txn({
      compare: guard,
      success: [
        {
          type: 'put',
          key: keys.remoteSyncReport(report.target),
          value: remoteSyncReportCodec.encode(report),
        },
        ...requests,
      ],
    });
    return result.succeeded;
  }

  /**
   * Asks the leader to sync `targets` and resolves with the report that serves the request, per
   * target. The watch is in place before the request is written, so no report can slip by.
   */
  async request(
    targets: readonly SdpTarget[],
    requestId: string,
    signal: AbortSignal,
  ): Promise<Map<SdpTarget, RemoteSyncReport>> {
    const served = new Map<SdpTarget, RemoteSyncReport>();
    const take = (kv: KeyValue) => {
      const report = decodeReport(kv);
      if (targets.includes(report.target) && report.requestIds.includes(requestId))
        served.set(report.target, report);
      return served.size === targets.length;
    };
    let fromRevision: number | undefined;
    for (let written = false; ; ) {
      const watch = this.kv.watch(keys.remoteSyncReports, { fromRevision, signal });
      try {
        await watch.ready;
        if (!written) await this.putRequests(targets, requestId);
        written = true;
        for await (const message of watch) {
          if (message.kind === 'compacted') break;
          for (const event of message.events) if (event.type === 'put' && take(event.kv)) return served;
        }
      } finally {
        await watch.close();
      }
      signal.throwIfAborted();
      // The history was compacted: what the watch missed is in the reports as they are now.
      const now = await this.kv.range(keys.remoteSyncReports);
      if (now.kvs.some(take)) return served;
      fromRevision = now.revision + 1;
    }
  }

  private async putRequests(targets: readonly SdpTarget[], requestId: string): Promise<void> {
    const value = JSON.stringify({ requestedAt: new Date().toISOString() });
    await this.kv.txn({
      compare: [],
      success: targets.map((target) => ({
        type: 'put',
        key: keys.remoteSyncRequest(target, requestId),
        value,
      })),
    });
  }
}

/** The target a request key belongs to, or undefined for any other key. */
export function targetOfRequestKey(key: string): SdpTarget | undefined {
  if (!key.startsWith(keys.remoteSyncRequests)) return undefined;
  const target = key.slice(keys.remoteSyncRequests.length).split('/')[0];
  return SDP_TARGETS.find((t) => t === target);
}

function decodeReport(kv: KeyValue): RemoteSyncReport {
  return remoteSyncReportCodec.decode(kv.key, kv.value);
}
