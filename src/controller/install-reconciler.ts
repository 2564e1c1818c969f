import type { InstallService, SeatDirectory } from '../domain/installs/install-service.js';
import { needsSecondStep, planSecondStep, planTasks, taskSeats } from '../domain/installs/install-steps.js';
import type { SegmentService, WriteGuard } from '../domain/segments/segment-service.js';
import type { Logger } from '../logger.js';
import type { LogWrite } from '../records/install-records.js';
import { type InstallRecordValue, isFinalInstallStatus, seatOrder } from '../records/install-schema.js';
import { isPermanentSdpError } from '../sdp/errors.js';
import type { SdpClients } from '../sdp/sdp-clients.js';
import type { RemoteTask } from '../sdp/types.js';
import { applyDevices, DeviceIndexes, failAll, failTask } from './install-devices.js';
import {
  changed,
  logChanged,
  type Progress,
  progressOf,
  progressWrite,
  requirePlan,
  sdpReason,
} from './install-progress.js';
import { internalReason, isTransient } from './reconcile-errors.js';
import type { ReconcileResult } from './run-workers.js';

/**
 * Installs (SPEC flow 8): a record is planned (seats → IPs), its SDP tasks are started under keys
 * derived from the record (a restart replays StartTask instead of starting a second task), and
 * their progress is polled into the install log until every task has ended; then the record ends
 * and the segment's seats follow what actually succeeded. Level-triggered: every step re-reads.
 */

export interface InstallReconcilerDeps {
  installs: InstallService;
  segments: SegmentService;
  seats: SeatDirectory;
  clients: SdpClients;
  logger: Logger;
  guard: WriteGuard;
  pollMs: number;
  /** A record running this long is ended: the devices still working are cancelled and fail. */
  timeoutMs: number;
  /** Ended records kept per segment. */
  historyKeep: number;
  now?: () => Date;
}

export function needsInstallWork(record: Pick<InstallRecordValue, 'status'>): boolean {
  return !isFinalInstallStatus(record.status);
}

export function createInstallReconciler(deps: InstallReconcilerDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'install' });

  /**
   * When each running install was last polled. Polls of one install stay `pollMs` apart whatever
   * queued it: the watch event of the reconciler's own record write, a resync, a retry. Each poll
   * that finds progress is a log write and an event to every subscriber, and two of them a few
   * milliseconds apart made the second wait behind the first's fan-out (bench subscribe-1k).
   */
  const polledAt = new Map<string, number>();

  /** Built once per install and task (see `DeviceIndexes`). */
  const devices = new DeviceIndexes();

  function forget(id: string): void {
    polledAt.delete(id);
    devices.forget(id);
  }

  /**
   * A failure that would repeat on every attempt (a record or log that does not decode, a plan that
   * is missing) ends the record FAILED with the reason, instead of a retry loop nobody sees.
   */
  async function reconcileOrEnd(id: string, signal: AbortSignal): Promise<ReconcileResult> {
    try {
      return await reconcile(id, signal);
    } catch (error) {
      if (signal.aborted || isTransient(error)) throw error;
      log.error({ err: error, install: id }, 'install ended: its work fails the same way every time');
      return endBroken(id, internalReason(error));
    }
  }

  async function endBroken(id: string, reason: string): Promise<ReconcileResult> {
    forget(id);
    const stored = await deps.installs.get(id);
    if (!stored || !needsInstallWork(stored.record)) return;
    const read = await deps.installs.readLog(id).catch((error: unknown) => {
      if (isTransient(error)) throw error;
      return undefined;
    });
    if (read) {
      const progress = progressOf(stored, read);
      failAll(progress.log, reason);
      progress.tasks = progress.tasks.map((task) => ({ ...task, ended: true }));
      try {
        return await finish(progress, reason);
      } catch (error) {
        if (isTransient(error)) throw error;
      }
    }
    if (!(await deps.installs.abandon(stored, reason, deps.guard))) throw changed({ stored });
  }

  async function reconcile(id: string, signal: AbortSignal): Promise<ReconcileResult> {
    const stored = await deps.installs.get(id);
    if (!stored || !needsInstallWork(stored.record)) {
      forget(id);
      return;
    }
    const read = await deps.installs.readLog(id);
    if (!read) throw new Error(`install ${id} has no log`);
    const progress = progressOf(stored, read);
    if (stored.record.status === 'PENDING') return start(progress);
    // A pass that started tasks ends there: the next one reads the task ids it wrote.
    if (await startTasks(progress, signal)) return { requeueAfterMs: 0 };
    const due = (polledAt.get(id) ?? Number.NEGATIVE_INFINITY) + deps.pollMs - performance.now();
    if (due > 0) return { requeueAfterMs: Math.ceil(due) };
    const pollStarted = performance.now();
    await poll(progress, signal);
    polledAt.set(id, pollStarted);
    if (progress.tasks.every((task) => task.ended)) {
      forget(id);
      if (needsSecondStep(stored.record)) return secondStep(progress);
      return finish(progress);
    }
    await writeProgress(progress);
    return { requeueAfterMs: deps.pollMs };
  }

  /** Turns seats into addresses, once; a seat gone since the request fails at once. */
  async function start(p: Progress): Promise<ReconcileResult> {
    const { record } = p.stored;
    const segment = await deps.segments.get(record.segmentId);
    const uid = segment?.record.remoteExtra?.uid;
    if (!segment || !uid || segment.record.deleteStatus !== 'NONE') {
      failAll(p.log, `segment ${record.segmentId} is no longer available on SDP`);
      p.tasks = p.tasks.map(() => ({ revision: 0, ended: true }));
      return finish(p, 'the segment was deleted or lost its SDP copy before the install started');
    }
    const otherUids: Record<string, string> = {};
    for (const other of record.replace?.others ?? []) {
      const uid = (await deps.segments.get(other.segmentId))?.record.remoteExtra?.uid;
      if (uid) otherUids[other.segmentId] = uid;
    }
    const order = seatOrder(record);
    const seats = await deps.seats.getMany(order);
    const ips = order.map((name) => seats.get(name)?.ip ?? null);
    ips.forEach((ip, index) => {
      if (ip === null)
        p.log.setSeat(index, { state: 'FAILED', percent: 0, error: 'the seat no longer exists' });
    });
    const at = now();
    const plan = {
      target: segment.record.target,
      segmentUid: uid,
      ...(record.replace ? { otherUids } : {}),
      ips,
      tasks: planTasks(p.stored.id, record),
    };
    const next: InstallRecordValue = { ...record, status: 'RUNNING', startedAt: at.toISOString(), plan };
    const summary = p.log.summarize('RUNNING', at, { startedAt: at.toISOString() });
    const write = { summaryRevision: p.storedLog.summaryRevision, summary, chunks: p.log.takeDirty() };
    await update(p, next, write);
    log.info({ install: p.stored.id, seats: order.length, tasks: plan.tasks.length }, 'install started');
    return { requeueAfterMs: 0 };
  }

  /**
   * StartTask for every planned task SDP has not answered yet; the ids are recorded at once, with
   * the log only if a refusal changed it. Returns whether it wrote.
   */
  async function startTasks(p: Progress, signal: AbortSignal): Promise<boolean> {
    const plan = requirePlan(p.stored);
    if (plan.tasks.every((task, i) => task.taskId !== undefined || p.tasks[i]?.ended)) return false;
    const client = deps.clients[plan.target];
    const tasks = [...plan.tasks];
    for (const [i, task] of tasks.entries()) {
      if (task.taskId !== undefined || p.tasks[i]?.ended) continue;
      const deviceIps = taskSeats(task)
        .map((index) => plan.ips[index] ?? null)
        .filter((ip): ip is string => ip !== null);
      const segmentUid = task.segmentId === undefined ? plan.segmentUid : plan.otherUids?.[task.segmentId];
      if (segmentUid === undefined) {
        failTask(p.log, task, `${task.segmentId} is no longer on SDP, so it could not be removed`);
        p.tasks[i] = { revision: 0, ended: true };
        continue;
      }
      if (deviceIps.length === 0) {
        p.tasks[i] = { revision: 0, ended: true };
        continue;
      }
      try {
        const { task: started, replayed } = await client.startTask(
          {
            segmentUid,
            action: task.action,
            deviceIps,
            idempotencyKey: task.idempotencyKey,
          },
          { signal },
        );
        tasks[i] = { ...task, taskId: started.taskId };
        log.info({ install: p.stored.id, taskId: started.taskId, replayed }, 'SDP task started');
      } catch (err) {
        if (!isPermanentSdpError(err)) throw err;
        // SDP will never run this task (the segment is gone from it, ...): its seats fail with the reason.
        failTask(p.log, task, `SDP refused the ${task.action.toLowerCase()}: ${sdpReason(err)}`);
        p.tasks[i] = { revision: 0, ended: true };
      }
    }
    const next = { ...p.stored.record, plan: { ...plan, tasks } };
    await update(p, next, logChanged(p) ? progressWrite(p, now()) : undefined);
    return true;
  }

  /** Writes the record (and the log, if given) if it is unchanged since `p` was read. */
  async function update(p: Progress, next: InstallRecordValue, write?: LogWrite): Promise<void> {
    if (!(await deps.installs.update(p.stored, next, deps.guard, write))) throw changed(p);
  }

  /** One GetTask per running task (only the devices that changed), or CancelTask once time is up. */
  async function poll(p: Progress, signal: AbortSignal): Promise<void> {
    const plan = requirePlan(p.stored);
    const client = deps.clients[plan.target];
    const startedAt = Date.parse(p.stored.record.startedAt ?? p.stored.record.createdAt);
    const timeoutMs = p.stored.record.timeoutMs ?? deps.timeoutMs;
    const timedOut = now().getTime() - startedAt >= timeoutMs;
    for (const [i, task] of plan.tasks.entries()) {
      const cursor = p.tasks[i];
      if (task.taskId === undefined || !cursor || cursor.ended) continue;
      let remote: RemoteTask;
      try {
        remote = timedOut
          ? await client.cancelTask(task.taskId, { signal })
          : await client.getTask(task.taskId, { sinceRevision: cursor.revision }, { signal });
      } catch (err) {
        if (!isPermanentSdpError(err)) throw err;
        failTask(p.log, task, `SDP lost task ${task.taskId}: ${sdpReason(err)}`);
        p.tasks[i] = { revision: cursor.revision, ended: true };
        continue;
      }
      applyDevices(
        p.log,
        p.stored.record,
        devices.of(p.stored.id, plan, i),
        task,
        remote,
        timedOut ? timeoutMs : undefined,
      );
      p.tasks[i] = { revision: remote.revision, ended: remote.state !== 'RUNNING' };
    }
    if (timedOut && !p.storedLog.summary.timedOutAt) {
      p.log.summary = { ...p.log.summary, timedOutAt: now().toISOString() };
      log.warn({ install: p.stored.id, timeoutMs }, 'install timed out: unfinished devices cancelled');
    }
  }

  /** Writes only when a seat moved or a task ended: a quiet poll costs the store nothing. */
  async function writeProgress(p: Progress): Promise<void> {
    if (!logChanged(p)) return;
    if (!(await deps.installs.writeLog(p.stored.id, progressWrite(p, now()), deps.guard))) throw changed(p);
  }

  /**
   * The first step of an upgrade has ended: its seats' states decide the second step, which is
   * written into the record together with the log it was decided from.
   */
  async function secondStep(p: Progress): Promise<ReconcileResult> {
    const plan = requirePlan(p.stored);
    const failed = (index: number) => p.log.seat(index).state === 'FAILED';
    const added = planSecondStep(p.stored.id, p.stored.record, plan.tasks.length, failed);
    p.tasks = [...p.tasks, ...added.map(() => ({ revision: 0, ended: false }))];
    const next = {
      ...p.stored.record,
      plan: { ...plan, secondStep: true, tasks: [...plan.tasks, ...added] },
    };
    await update(p, next, progressWrite(p, now()));
    log.info({ install: p.stored.id, tasks: added.length }, 'upgrade: second step planned');
    return { requeueAfterMs: 0 };
  }

  async function finish(p: Progress, error?: string): Promise<ReconcileResult> {
    // An upgrade's seats wait in RUNNING for their last removal; every task has ended now.
    if (p.stored.record.replace && !error) {
      for (let i = 0; i < p.log.size; i++)
        if (p.log.seat(i).state === 'RUNNING') p.log.setSeat(i, { state: 'SUCCEEDED', percent: 100 });
    }
    let succeeded = 0;
    for (let i = 0; i < p.log.size; i++) if (p.log.seat(i).state === 'SUCCEEDED') succeeded++;
    const status =
      succeeded === p.log.size ? 'SUCCEEDED' : succeeded === 0 ? 'FAILED' : 'PARTIALLY_SUCCEEDED';
    const at = now().toISOString();
    const next: InstallRecordValue = {
      ...p.stored.record,
      status,
      finishedAt: at,
      ...(error ? { error } : {}),
    };
    const summary = p.log.summarize(status, now(), { tasks: p.tasks, finishedAt: at });
    const write = { summaryRevision: p.storedLog.summaryRevision, summary, chunks: p.log.takeDirty() };
    if (!(await deps.installs.finish(p.stored, next, p.log, write, deps.guard))) throw changed(p);
    log.info({ install: p.stored.id, status, succeeded, seats: p.log.size }, 'install ended');
    // Housekeeping: a failure here must not redo the install; the next install's end prunes again.
    const { segmentId } = p.stored.record;
    await deps.installs
      .pruneHistory(segmentId, deps.historyKeep, deps.guard)
      .then((pruned) => pruned > 0 && log.info({ segment: segmentId, pruned }, 'old install records deleted'))
      .catch((err: unknown) => log.warn({ err, segment: segmentId }, 'pruning old install records failed'));
  }

  return reconcileOrEnd;
}
