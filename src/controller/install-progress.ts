import type { InstallLog } from '../domain/installs/install-log.js';
import { ConflictError } from '../records/conflict-error.js';
import type { InstallLogSummary } from '../records/install-log-schema.js';
import type { LogWrite, StoredInstall, StoredLog } from '../records/install-records.js';
import type { InstallRecordValue } from '../records/install-schema.js';
import { SdpError } from '../sdp/errors.js';

/** One pass of the install reconciler over a record: the record, its log as read, and each task's cursor. */
export interface Progress {
  stored: StoredInstall;
  log: InstallLog;
  storedLog: StoredLog;
  tasks: InstallLogSummary['tasks'];
}

export function progressOf(stored: StoredInstall, read: { log: InstallLog; stored: StoredLog }): Progress {
  return { stored, log: read.log, storedLog: read.stored, tasks: [...read.log.summary.tasks] };
}

/** Whether the pass changed anything worth a write: a seat moved, a task ended, the timeout struck. */
export function logChanged(p: Progress): boolean {
  const before = p.storedLog.summary;
  const ended = p.tasks.some((t, i) => t.ended !== before.tasks[i]?.ended);
  return p.log.hasDirty() || ended || p.log.summary.timedOutAt !== before.timedOutAt;
}

/** The log write of a pass that has not ended the record. */
export function progressWrite(p: Progress, at: Date): LogWrite {
  const summary = p.log.summarize(p.stored.record.status, at, { tasks: p.tasks });
  return { summaryRevision: p.storedLog.summaryRevision, summary, chunks: p.log.takeDirty() };
}

export function requirePlan(stored: StoredInstall): NonNullable<InstallRecordValue['plan']> {
  if (!stored.record.plan) throw new Error(`install ${stored.id} is RUNNING without a plan`);
  return stored.record.plan;
}

/** An SDP refusal in the words a seat's error shows. */
export function sdpReason(err: unknown): string {
  return err instanceof SdpError ? `${err.grpcCode}: ${err.message}` : String(err);
}

export function changed(p: Pick<Progress, 'stored'>): ConflictError {
  return new ConflictError(`install ${p.stored.id} changed while it was being worked on`);
}
