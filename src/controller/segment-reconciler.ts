import type { Logger } from '../logger.js';
import { ConflictError } from '../records/conflict-error.js';
import type { StoredSegment } from '../records/segment-records.js';
import type { SegmentRecord } from '../records/segment-schema.js';
import { internalReason, isTransient } from './reconcile-errors.js';
import type { Reconcile } from './run-workers.js';
import { createSegmentDeleteReconciler, needsDelete } from './segment-delete-reconciler.js';
import {
  createSegmentSyncReconciler,
  needsCreateSync,
  type SegmentSyncDeps,
} from './segment-sync-reconciler.js';

/** Which segment records the controller acts on; the key source skips the rest cheaply. */
export function needsSegmentReconcile(record: SegmentRecord): boolean {
  return needsDelete(record) || needsCreateSync(record);
}

/**
 * One reconcile per segment key for create-sync and delete alike. Sharing the key (and so the work
 * queue, which never hands one key to two workers) is what keeps a delete from starting while a
 * create for the same segment is still talking to SDP; a delete, once requested, wins.
 */
export function createSegmentReconciler(deps: SegmentSyncDeps): Reconcile<string> {
  const sync = createSegmentSyncReconciler(deps);
  const remove = createSegmentDeleteReconciler(deps);
  const log = deps.logger.child({ component: 'segment-reconciler' });
  return async (id, signal) => {
    const segment = await deps.segments.get(id);
    if (!segment) return;
    try {
      if (needsDelete(segment.record)) return await remove(segment, signal);
      return await sync(segment, signal);
    } catch (error) {
      if (signal.aborted || isTransient(error)) throw error;
      return endForGood(deps, segment, error, log);
    }
  };
}

/**
 * A failure no retry changes ends the segment FAILED with the reason. Should even that write be
 * impossible, the error is logged and the key rests until its record changes: still no loop.
 */
async function endForGood(deps: SegmentSyncDeps, segment: StoredSegment, error: unknown, log: Logger) {
  const reason = internalReason(error);
  let written: StoredSegment | undefined;
  try {
    written = await deps.segments.recordBroken(segment, reason, deps.guard);
  } catch (writeError) {
    if (isTransient(writeError)) throw writeError;
    log.error({ segment: segment.id, err: error, writeError }, 'reconcile failed for good; cannot record it');
    return;
  }
  if (!written) throw new ConflictError(`segment ${segment.id} changed during the attempt`);
  log.error({ segment: segment.id, err: error }, 'reconcile failed for good; the segment is FAILED');
}
