import type { InstallLog } from '../domain/installs/install-log.js';
import { StepMap, taskSeats } from '../domain/installs/install-steps.js';
import type { InstallRecordValue, PlannedTask } from '../records/install-schema.js';
import type { RemoteTask } from '../sdp/types.js';

/** Device reports of SDP tasks into an install log: which seat each device is, and what its report means. */

export function applyDevices(
  log: InstallLog,
  record: InstallRecordValue,
  ips: (string | null)[],
  task: PlannedTask,
  remote: RemoteTask,
  timeoutMs: number | undefined,
): void {
  const indexOf = new Map<string, number>();
  for (const i of taskSeats(task)) {
    const ip = ips[i];
    if (ip !== null && ip !== undefined) indexOf.set(ip, i);
  }
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
