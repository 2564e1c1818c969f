import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import { type SyncFailure, syncDueInMs } from '../domain/segments/sync-state.js';
import type { Logger } from '../logger.js';
import { ConflictError } from '../records/conflict-error.js';
import type { StoredSegment } from '../records/segment-records.js';
import type { SegmentRecord } from '../records/segment-schema.js';
import { isPermanentSdpError, SdpAlreadyExistsError, SdpError } from '../sdp/errors.js';
import type { SdpClient } from '../sdp/sdp-client.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import type { ReconcileResult } from './run-workers.js';

/**
 * Create-sync (SPEC flow 3): a PENDING segment is created on its SDP target. Level-triggered: it
 * reads the record, acts on what it finds, records the outcome, and says when to look again.
 */

export interface SegmentSyncDeps {
  segments: SegmentService;
  clients: SdpClients;
  logger: Logger;
  /** Holds only while this process leads: a deposed leader's writes fail instead of landing. */
  guard: WriteGuard;
  now?: () => Date;
}

/** Which records this reconciler acts on; the key source uses it to skip the rest cheaply. */
export function needsCreateSync(record: SegmentRecord): boolean {
  return record.sync.status === 'PENDING' && record.deleteStatus === 'NONE';
}

/** The idempotency key of a record's create: a retry after a crash repeats the first request. */
export function createIdempotencyKey(record: SegmentRecord): string {
  return `seghub-create-${record.instanceId}`;
}

const FILE_GRACE_MS = 60_000;
const FILE_RECHECK_MS = 100;

export function createSegmentSyncReconciler(deps: SegmentSyncDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'segment-sync' });

  /** `segment`: the record as just read by the caller. */
  return async function reconcile(segment: StoredSegment, signal: AbortSignal): Promise<ReconcileResult> {
    const { id } = segment;
    if (!needsCreateSync(segment.record)) return;
    const dueInMs = syncDueInMs(segment.record, now());
    if (dueInMs > 0) return { requeueAfterMs: dueInMs };

    // The upload writes the record first and moves the file into place right after.
    if (
      !(await deps.segments.hasFile(segment)) &&
      now().getTime() - Date.parse(segment.record.createdAt) < FILE_GRACE_MS
    ) {
      return { requeueAfterMs: FILE_RECHECK_MS };
    }
    const client = deps.clients[segment.record.target];
    const outcome = await attempt(client, segment, deps.segments.filePath(segment), signal);
    if (typeof outcome === 'string') {
      const written = await deps.segments.recordSyncSuccess(segment, outcome, deps.guard);
      log.info({ segment: id, uid: outcome, synced: written !== undefined }, 'segment created on SDP');
      return;
    }
    signal.throwIfAborted();
    const written = await deps.segments.recordSyncFailure(segment, outcome, deps.guard);
    if (!written) throw new ConflictError(`segment ${id} changed during the attempt`);
    const { sync } = written.record;
    log.warn(
      { segment: id, attempts: sync.attempts, status: sync.status, reason: outcome.reason },
      'create-sync failed',
    );
    return sync.status === 'PENDING' ? { requeueAfterMs: syncDueInMs(written.record, now()) } : undefined;
  };
}

/** The SDP uid on success; otherwise what went wrong and whether retrying can help. */
async function attempt(
  client: SdpClient,
  segment: StoredSegment,
  filePath: string,
  signal: AbortSignal,
): Promise<string | SyncFailure> {
  const { record } = segment;
  try {
    const { segment: remote } = await client.createSegment(
      {
        name: record.name,
        version: record.version,
        format: record.format,
        fileName: record.fileName,
        size: record.size,
        sha256: record.sha256,
        idempotencyKey: createIdempotencyKey(record),
      },
      filePath,
      { signal },
    );
    return remote.uid;
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof SdpAlreadyExistsError) return adoptExisting(client, record, signal);
    return { reason: describeFailure(error), permanent: isPermanentSdpError(error) };
  }
}

/**
 * SDP already holds this name and version under another key — uploaded by another seghub sharing
 * the platform, or by an earlier upload whose record was lost. The same bytes are this segment;
 * different bytes are a conflict no retry resolves; none yet means an upload is still running there.
 */
async function adoptExisting(
  client: SdpClient,
  record: SegmentRecord,
  signal: AbortSignal,
): Promise<string | SyncFailure> {
  try {
    for await (const remote of client.allSegments({ name: record.name }, { signal })) {
      if (remote.version !== record.version) continue;
      if (remote.sha256 === record.sha256) return remote.uid;
      return {
        reason: `${record.target} already holds ${record.name} ${record.version} with different content (uid ${remote.uid})`,
        permanent: true,
      };
    }
    return {
      reason: `${record.target} is receiving ${record.name} ${record.version} from another client`,
      permanent: false,
    };
  } catch (error) {
    signal.throwIfAborted();
    return { reason: describeFailure(error), permanent: false };
  }
}

/** The reason an operator reads on the segment: which platform, which call, which status. */
export function describeFailure(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'the segment file is missing from storage';
  if (error instanceof SdpError) return `${error.message} (${error.grpcCode})`;
  return error instanceof Error ? error.message : String(error);
}
