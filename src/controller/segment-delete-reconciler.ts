import { deleteDueInMs } from '../domain/segments/delete-state.js';
import type { SyncFailure } from '../domain/segments/sync-state.js';
import { ConflictError } from '../records/conflict-error.js';
import type { StoredSegment } from '../records/segment-records.js';
import type { SegmentRecord } from '../records/segment-schema.js';
import { isPermanentSdpError, SdpNotFoundError } from '../sdp/errors.js';
import type { SdpClient } from '../sdp/sdp-client.js';
import type { ReconcileResult } from './run-workers.js';
import { describeFailure, type SegmentSyncDeps } from './segment-sync-reconciler.js';

/**
 * Delete (SPEC flow 4, the controller's half): a PROCESSING segment is deleted on its SDP target,
 * then removed with its seat list, install records, logs and (unless shared) its file. Runs on the
 * same work queue as create-sync, keyed by segment, so a create in flight for a segment always
 * finishes (recording the uid it got) before its delete starts: the delete then deletes that uid.
 */

/** Which records this reconciler acts on. */
export function needsDelete(record: SegmentRecord): boolean {
  return record.deleteStatus === 'PROCESSING';
}

export function createSegmentDeleteReconciler(deps: SegmentSyncDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'segment-delete' });

  return async function reconcile(segment: StoredSegment, signal: AbortSignal): Promise<ReconcileResult> {
    const { id, record } = segment;
    const dueInMs = deleteDueInMs(record, now());
    if (dueInMs > 0) return { requeueAfterMs: dueInMs };

    const failure = await deleteRemote(deps.clients[record.target], record, signal);
    signal.throwIfAborted();
    if (!failure) {
      const { removed, file } = await deps.segments.remove(segment, deps.guard);
      // Changed since read (a create-sync recorded a uid): look again, maybe with a uid to delete.
      if (!removed) throw new ConflictError(`segment ${id} changed during its delete`);
      log.info({ segment: id, uid: record.remoteExtra?.uid, file }, 'segment deleted');
      return;
    }
    const written = await deps.segments.recordDeleteFailure(segment, failure, deps.guard);
    if (!written) throw new ConflictError(`segment ${id} changed during its delete`);
    const { deleteStatus, deleteAttempts } = written.record;
    log.warn(
      { segment: id, attempts: deleteAttempts, deleteStatus, reason: failure.reason },
      'delete failed',
    );
    return deleteStatus === 'PROCESSING'
      ? { requeueAfterMs: deleteDueInMs(written.record, now()) }
      : undefined;
  };
}

/** Undefined once SDP does not have the segment (any more); otherwise what went wrong. */
async function deleteRemote(
  client: SdpClient,
  record: SegmentRecord,
  signal: AbortSignal,
): Promise<SyncFailure | undefined> {
  try {
    const uid = record.remoteExtra?.uid ?? (await findUnrecorded(client, record, signal));
    if (uid !== undefined) await client.deleteSegment(uid, { signal });
    return undefined;
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof SdpNotFoundError) return undefined;
    return { reason: describeFailure(error), permanent: isPermanentSdpError(error) };
  }
}

/**
 * No uid recorded: SDP never had this upload — unless a create reached SDP and its answer was lost
 * (a crash, a timeout, a leader deposed mid-call). Such a create sent these bytes under this name
 * and version, so a segment matching all three is taken to be it.
 */
async function findUnrecorded(
  client: SdpClient,
  record: SegmentRecord,
  signal: AbortSignal,
): Promise<string | undefined> {
  for await (const remote of client.allSegments({ name: record.name }, { signal })) {
    if (remote.version === record.version && remote.sha256 === record.sha256) return remote.uid;
  }
  return undefined;
}
