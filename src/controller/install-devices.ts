import type { InstallLog } from '../domain/installs/install-log.js';
import { StepMap, taskSeats } from '../domain/installs/install-steps.js';
import type { InstallRecordValue, PlannedTask } from '../records/install-schema.js';
import type { RemoteTask } from '../sdp/types.js';

/** Device reports of SDP tasks into an install log: which seat each device is, and what its report means. */

type InstallPlan = NonNullable<InstallRecordValue['plan']>;

/**
 * Per running install and planned task, which seat (index in the record) each device address is.
 * A plan never changes its addresses (a second step only adds tasks), so each map is built once,
 * not on every poll: rebuilding 100,000 entries four times a second was a large part of a
 * 100,000-seat install's CPU and garbage (bench install-100k).
 */
export class DeviceIndexes {
  private readonly byRecord = new Map<string, Map<number, Map<string, number>>>();

  of(
    recordId: string,
    plan: Pick<InstallPlan, 'ips' | 'tasks'>,
    taskIndex: number,
  ): ReadonlyMap<string, number> {
    const tasks = this.byRecord.get(recordId) ?? new Map<number, Map<string, number>>();
    this.byRecord.set(recordId, tasks);
    let indexOf = tasks.get(taskIndex);
    if (!indexOf) {
      indexOf = new Map();
      for (const i of taskSeats(plan.tasks[taskIndex]!)) {
        const ip = plan.ips[i];
        if (ip !== null && ip !== undefined) indexOf.set(ip, i);
      }
      tasks.set(taskIndex, indexOf);
    }
    return indexOf;
  }

  /** The record has ended (or is gone): its maps go. */
  forget(recordId: string): void {
    this.byRecord.delete(recordId);
  }
}

export function applyDevices(
  log: InstallLog,
  record: InstallRecordValue,
  indexOf: ReadonlyMap<string, number>,
  task: PlannedTask,
  remote: RemoteTask,
  timeoutMs: number | undefined,
): void {
  const steps = new StepMap(record);
  for (const device of remote.devices) {
    const index = indexOf.get(device.ip);
    if (index === undefined) continue;
    const error =
      device.state === 'FAILED' && timeoutMs !== undefined && device.error === 'cancelled'
        ? `no result within the install timeout (${Math.round(timeoutMs / 1000)} s)`
        : device.error;
    const report = { state: device.state, percent: device.percent, ...(error ? { error } : {}) };
    log.setSeat(index, steps.seatProgress(task, index, report));
  }
}

export function failAll(log: InstallLog, error: string): void {
  for (let i = 0; i < log.size; i++) log.setSeat(i, { state: 'FAILED', percent: log.seat(i).percent, error });
}

export function failTask(log: InstallLog, task: PlannedTask, error: string): void {
  for (const i of taskSeats(task)) log.setSeat(i, { state: 'FAILED', percent: log.seat(i).percent, error });
}
