import type { RemoteSyncService, ReportBuilder } from '../domain/segments/remote-sync-service.js';
import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import type { Logger } from '../logger.js';
import { segmentId } from '../model/segment-identity.js';
import type { SdpTarget } from '../model/targets.js';
import { SDP_TARGETS } from '../model/targets.js';
import { remoteSyncRequestKind } from '../records/kinds.js';
import type { StoredSegment } from '../records/segment-records.js';
import type { SdpClient } from '../sdp/sdp-client.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import type { RemoteSegment } from '../sdp/types.js';
import { runKeySource } from './key-source.js';
import { internalReason, isTransient } from './reconcile-errors.js';
import { type ReconcileObservation, type ReconcileResult, runWorkers } from './run-workers.js';
import { describeFailure } from './segment-sync-reconciler.js';
import { WorkQueue } from './work-queue.js';

/**
 * Remote sync (SPEC flow 9), one pass per target: what SDP lists and seghub lacks is downloaded and
 * recorded; what seghub had synced and SDP no longer lists is removed. The work queue is keyed by
 * target, so a target is never synced twice at once; each pass asks to be run again after the
 * interval, and a `syncRemote` request queues its target at once.
 *
 * Idempotent by construction, so a pass cut short by a crash is simply run again: records are
 * created only if absent and removed only if unchanged since read, downloads land in storage's temp
 * area (swept after a crash), and requests stay in the store until a report serves them.
 */

export interface RemoteSyncDeps {
  segments: SegmentService;
  remoteSync: RemoteSyncService;
  clients: SdpClients;
  logger: Logger;
  /** Holds only while this process leads. */
  guard: WriteGuard;
  intervalMs: number;
}

export function createRemoteSyncReconciler(deps: RemoteSyncDeps) {
  const log = deps.logger.child({ component: 'remote-sync' });

  return async function reconcile(target: SdpTarget, signal: AbortSignal): Promise<ReconcileResult> {
    const requests = await deps.remoteSync.pendingRequests(target);
    const report = deps.remoteSync.startReport(target, requests.ids);
    try {
      await syncTarget(deps, target, report, signal);
    } catch (error) {
      // What fails the same way every pass goes into the report instead of a silent retry loop.
      if (signal.aborted || isTransient(error)) throw error;
      report.error(internalReason(error));
    }
    signal.throwIfAborted();
    const finished = report.finish();
    if (!(await deps.remoteSync.saveReport(finished, deps.guard))) throw new Error('leadership lost');
    const { counts, error } = finished;
    // A pass that changed nothing is routine: every interval, per target.
    const level = counts.added + counts.removed + counts.failed > 0 || error ? 'info' : 'debug';
    log[level]({ target, ...counts, error, requests: requests.ids.length }, 'remote sync pass');
    return { requeueAfterMs: requests.more ? 0 : deps.intervalMs };
  };
}

/**
 * The leader's remote sync for its term: every target at once (a pass may be what an interrupted
 * term left undone), then every interval, and whenever a `syncRemote` request appears.
 */
export async function runRemoteSync(
  store: KvStore,
  deps: RemoteSyncDeps,
  options: { signal: AbortSignal; observe?: (o: ReconcileObservation) => void },
): Promise<void> {
  const { signal } = options;
  const queue = new WorkQueue<SdpTarget>();
  for (const target of SDP_TARGETS) queue.add(target);
  const logger = deps.logger;
  await Promise.all([
    runKeySource(store, remoteSyncRequestKind.prefix, {
      onKey: (key, kv) => {
        const target = kv && remoteSyncRequestKind.idOfKey(key);
        if (target) queue.add(target);
      },
      resyncMs: 0,
      signal,
      logger,
    }),
    runWorkers(queue, createRemoteSyncReconciler(deps), {
      workers: SDP_TARGETS.length,
      signal,
      logger,
      name: 'remote-sync',
      observe: options.observe,
    }),
  ]);
}

async function syncTarget(
  deps: RemoteSyncDeps,
  target: SdpTarget,
  report: ReportBuilder,
  signal: AbortSignal,
): Promise<void> {
  // Local records first: a record SYNCED in this snapshot reached SDP before the listing started,
  // so its absence from the listing means SDP lost it. A create-sync finishing after the snapshot
  // changes the record, and a removal compares the record with the snapshot.
  const local = new Map<string, StoredSegment>();
  for (const segment of await deps.segments.all()) {
    if (segment.record.target === target) local.set(segment.id, segment);
  }
  const client = deps.clients[target];
  let remote: Map<string, RemoteSegment>;
  try {
    remote = await listAll(client, signal);
  } catch (error) {
    signal.throwIfAborted();
    report.error(describeFailure(error));
    return;
  }
  await removeVanished(deps, local, remote, report);
  await addMissing(deps, target, client, local, remote, report, signal);
}

async function listAll(client: SdpClient, signal: AbortSignal): Promise<Map<string, RemoteSegment>> {
  const remote = new Map<string, RemoteSegment>();
  for await (const segment of client.allSegments({ pageSize: 500 }, { signal }))
    remote.set(segment.uid, segment);
  return remote;
}

/** Only what reached SDP can vanish from it: PENDING, FAILED and uid-less records are never touched. */
function vanished(segment: StoredSegment, remote: Map<string, RemoteSegment>): boolean {
  const { record } = segment;
  const uid = record.remoteExtra?.uid;
  // A segment being deleted is the delete reconciler's: it counts a vanished one as deleted.
  if (record.sync.status !== 'SYNCED' || uid === undefined || record.deleteStatus === 'PROCESSING')
    return false;
  return !remote.has(uid);
}

async function removeVanished(
  deps: RemoteSyncDeps,
  local: Map<string, StoredSegment>,
  remote: Map<string, RemoteSegment>,
  report: ReportBuilder,
): Promise<void> {
  for (const segment of local.values()) {
    if (!vanished(segment, remote)) continue;
    const { removed } = await deps.segments.remove(segment, deps.guard);
    // Changed since the snapshot: the next pass decides on what it has become.
    if (!removed) continue;
    local.delete(segment.id);
    report.removed(segment);
  }
}

async function addMissing(
  deps: RemoteSyncDeps,
  target: SdpTarget,
  client: SdpClient,
  local: Map<string, StoredSegment>,
  remote: Map<string, RemoteSegment>,
  report: ReportBuilder,
  signal: AbortSignal,
): Promise<void> {
  for (const segment of remote.values()) {
    if (local.has(segmentId(segment.name, segment.version))) continue;
    const download = (destPath: string) => client.downloadSegment(segment.uid, destPath, { signal });
    const outcome = await deps.segments.importRemote(target, segment, download, deps.guard);
    signal.throwIfAborted();
    if (outcome.outcome === 'added') report.added(outcome.segment);
    if (outcome.outcome === 'failed') {
      const { uid, name, version } = segment;
      report.failed({ uid, name, version, reason: outcome.reason });
    }
  }
}
