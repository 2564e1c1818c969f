import type { SegmentRecord } from '../records/segment-schema.js';
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
  return async (id, signal) => {
    const segment = await deps.segments.get(id);
    if (!segment) return;
    if (needsDelete(segment.record)) return remove(segment, signal);
    return sync(segment, signal);
  };
}
