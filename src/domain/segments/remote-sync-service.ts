import { randomUUID } from 'node:crypto';
import type { Compare } from '../../kv/kv.js';
import { RemoteSyncTimeoutError } from '../../model/errors.js';
import type { SdpTarget } from '../../model/targets.js';
import {
  MAX_REPORT_ENTRIES,
  type RemoteSyncEntry,
  type RemoteSyncFailure,
  type RemoteSyncReport,
  type RemoteSyncStore,
} from '../../records/remote-sync-store.js';
import type { StoredSegment } from '../../records/segment-records.js';

export type {
  RemoteSyncEntry,
  RemoteSyncFailure,
  RemoteSyncReport,
} from '../../records/remote-sync-store.js';

export interface RemoteSyncServiceOptions {
  store: RemoteSyncStore;
  /** How long `syncRemote` waits for the leader's report before answering REMOTE_SYNC_TIMEOUT. */
  requestTimeoutMs: number;
  now?: () => Date;
}

/**
 * SPEC flow 9 as the API and the controller share it. Only the leading controller syncs; any
 * process can ask it to through the store (`request`), and every process can read the last report
 * of each target.
 */
export class RemoteSyncService {
  private readonly now: () => Date;

  constructor(private readonly options: RemoteSyncServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The last report of each target that has been synced at least once. */
  reports(): Promise<RemoteSyncReport[]> {
    return this.options.store.reports();
  }

  /** `syncRemote`: waits for the leader to sync each target and returns the reports, in `targets` order. */
  async request(targets: readonly SdpTarget[], signal?: AbortSignal): Promise<RemoteSyncReport[]> {
    const { requestTimeoutMs } = this.options;
    const requestId = randomUUID();
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    try {
      const served = await this.options.store.request(
        targets,
        requestId,
        signal ? AbortSignal.any([signal, timeout]) : timeout,
      );
      return targets.map((target) => served.get(target)!);
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) throw new RemoteSyncTimeoutError(requestId, requestTimeoutMs);
      throw error;
    }
  }

  /** For the leader: the requests a pass starting now serves (`more`: sync again right after). */
  pendingRequests(target: SdpTarget): Promise<{ ids: string[]; more: boolean }> {
    return this.options.store.pendingRequests(target);
  }

  /** For the leader: a report to fill in during one pass over `target`. */
  startReport(target: SdpTarget, requestIds: string[]): ReportBuilder {
    return new ReportBuilder(target, requestIds, this.now);
  }

  /** For the leader: stores the report, answering the requests it serves. False when the guard failed. */
  saveReport(report: RemoteSyncReport, guard: Compare[]): Promise<boolean> {
    return this.options.store.saveReport(report, guard);
  }
}

export class ReportBuilder {
  private readonly report: RemoteSyncReport;

  constructor(
    target: SdpTarget,
    requestIds: string[],
    private readonly now: () => Date,
  ) {
    const startedAt = now().toISOString();
    this.report = {
      target,
      requestIds,
      startedAt,
      finishedAt: startedAt,
      added: [],
      removed: [],
      failed: [],
      counts: { added: 0, removed: 0, failed: 0 },
    };
  }

  added(segment: StoredSegment): void {
    this.report.counts.added++;
    push(this.report.added, entryOf(segment));
  }

  removed(segment: StoredSegment): void {
    this.report.counts.removed++;
    push(this.report.removed, entryOf(segment));
  }

  failed(failure: RemoteSyncFailure): void {
    this.report.counts.failed++;
    push(this.report.failed, failure);
  }

  /** The pass could not run: the platform could not be listed. */
  error(reason: string): void {
    this.report.error = reason;
  }

  finish(): RemoteSyncReport {
    return { ...this.report, finishedAt: this.now().toISOString() };
  }
}

function entryOf({ id, record }: StoredSegment): RemoteSyncEntry {
  return { segmentId: id, uid: record.remoteExtra?.uid ?? '', name: record.name, version: record.version };
}

function push<T>(list: T[], item: T): void {
  if (list.length < MAX_REPORT_ENTRIES) list.push(item);
}
