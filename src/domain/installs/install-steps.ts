import { createHash } from 'node:crypto';
import type { SeatProgress, SeatState } from '../../records/install-log-schema.js';
import type { InstallRecordValue, PlannedTask } from '../../records/install-schema.js';
import { BitMask } from '../../util/bit-mask.js';

/**
 * The SDP tasks that carry out an install record, and what each device report means for its seat.
 *
 * A plain record is one step: INSTALL over its install seats, UNINSTALL over its uninstall seats.
 * A record that replaces other versions of the name (D3) has two steps. INSTALL_FIRST: install this
 * version, then remove the other versions from the seats where the install succeeded. UNINSTALL_FIRST:
 * remove the other versions, then install this one where that succeeded. The second step is planned
 * once, when every task of the first has ended, from the log (which is stored with it), and written
 * into the record with idempotency keys derived from the record: a controller that dies anywhere
 * replays the same tasks. Seats taking part in both steps show 0–50 % for the first, 50–100 % for
 * the second, and end SUCCEEDED only when both succeeded.
 */

/** SDP takes at most this many devices per task (the proto's limit); larger sets are split. */
export const MAX_DEVICES_PER_TASK = 20_000;

export type NewTask = Omit<PlannedTask, 'taskId'>;

function keyBase(recordId: string): string {
  return `seghub-${createHash('sha256').update(recordId).digest('hex').slice(0, 40)}`;
}

class TaskList {
  readonly tasks: NewTask[] = [];
  constructor(
    private readonly base: string,
    private readonly firstIndex: number,
  ) {}

  private key(): string {
    return `${this.base}-${this.firstIndex + this.tasks.length}`;
  }

  range(action: PlannedTask['action'], from: number, to: number, extra: Partial<NewTask> = {}): void {
    for (let start = from; start < to; start += MAX_DEVICES_PER_TASK) {
      const end = Math.min(to, start + MAX_DEVICES_PER_TASK);
      this.tasks.push({ action, from: start, to: end, idempotencyKey: this.key(), ...extra });
    }
  }

  /** Tasks over the seats of `[from, to)` that `include` picks, at most MAX_DEVICES_PER_TASK each. */
  masked(
    action: PlannedTask['action'],
    from: number,
    to: number,
    include: (index: number) => boolean,
    extra: Partial<NewTask>,
  ): void {
    let picked: number[] = [];
    const flush = () => {
      if (picked.length === 0) return;
      const start = picked[0] as number;
      const end = (picked.at(-1) as number) + 1;
      const mask = BitMask.of(
        end - start,
        picked.map((i) => i - start),
      ).encode();
      this.tasks.push({ action, from: start, to: end, mask, idempotencyKey: this.key(), ...extra });
      picked = [];
    };
    for (let i = from; i < to; i++) {
      if (!include(i)) continue;
      picked.push(i);
      if (picked.length === MAX_DEVICES_PER_TASK) flush();
    }
    flush();
  }
}

/** The tasks of a record's first (for a plain record: only) step. */
export function planTasks(recordId: string, record: InstallRecordValue): NewTask[] {
  const list = new TaskList(keyBase(recordId), 0);
  const installs = record.installSeats.length;
  const total = installs + record.uninstallSeats.length;
  const { replace } = record;
  if (!replace) list.range('INSTALL', 0, installs);
  else if (replace.order === 'INSTALL_FIRST') list.range('INSTALL', 0, replace.installedFrom, { step: 1 });
  else {
    for (const other of replace.others) {
      const seats = BitMask.decode(other.seats);
      list.masked('UNINSTALL', 0, installs, (i) => seats.has(i), { segmentId: other.segmentId, step: 1 });
    }
  }
  list.range('UNINSTALL', installs, total);
  return list.tasks;
}

/** Whether the record has a second step that has not been planned yet. */
export function needsSecondStep(record: InstallRecordValue): boolean {
  return record.replace !== undefined && record.plan !== undefined && !record.plan.secondStep;
}

/**
 * The second step's tasks, from the seats' states when the first step has ended: a seat the first
 * step failed takes no further part (its old version stays, or it never got the new one).
 */
export function planSecondStep(
  recordId: string,
  record: InstallRecordValue,
  taskCount: number,
  failed: (index: number) => boolean,
): NewTask[] {
  const { replace } = record;
  if (!replace) return [];
  const list = new TaskList(keyBase(recordId), taskCount);
  const installs = record.installSeats.length;
  if (replace.order === 'INSTALL_FIRST') {
    for (const other of replace.others) {
      const seats = BitMask.decode(other.seats);
      const include = (i: number) => seats.has(i) && !failed(i);
      list.masked('UNINSTALL', 0, installs, include, { segmentId: other.segmentId, step: 2 });
    }
  } else {
    list.masked('INSTALL', 0, replace.installedFrom, (i) => !failed(i), { step: 2 });
  }
  return list.tasks;
}

/** The seats of `[task.from, task.to)` the task acts on, by index in the record's seat order. */
export function taskSeats(task: Pick<PlannedTask, 'from' | 'to' | 'mask'>): number[] {
  const out: number[] = [];
  const mask = task.mask === undefined ? undefined : BitMask.decode(task.mask);
  for (let i = task.from; i < task.to; i++) if (!mask || mask.has(i - task.from)) out.push(i);
  return out;
}

export interface DeviceReport {
  state: SeatState;
  percent: number;
  error?: string;
}

/** Turns device reports of a record's tasks into its seats' log states. */
export class StepMap {
  private readonly others: { segmentId: string; seats: BitMask }[];

  constructor(private readonly record: InstallRecordValue) {
    this.others = (record.replace?.others ?? []).map((other) => ({
      segmentId: other.segmentId,
      seats: BitMask.decode(other.seats),
    }));
  }

  /** How many other versions the seat runs that this record removes. */
  otherCount(index: number): number {
    if (index >= this.record.installSeats.length) return 0;
    return this.others.filter((other) => other.seats.has(index)).length;
  }

  /** Whether the seat takes part in both steps (gets this version and loses others). */
  twoStep(index: number): boolean {
    const { replace } = this.record;
    return replace !== undefined && index < replace.installedFrom && this.otherCount(index) > 0;
  }

  seatProgress(
    task: Pick<PlannedTask, 'step' | 'segmentId'>,
    index: number,
    device: DeviceReport,
  ): SeatProgress {
    const step = task.step ?? 1;
    const two = this.twoStep(index);
    const scale = (p: number) => (two ? (step === 1 ? Math.floor(p / 2) : 50 + Math.floor(p / 2)) : p);
    if (device.state === 'FAILED') {
      return { state: 'FAILED', percent: scale(device.percent), error: this.explain(task, device.error) };
    }
    // With several versions removed from one seat in one step, the seat succeeds when all have:
    // it stays RUNNING until the record settles (see `settle`).
    const sharedStep = task.segmentId !== undefined && this.otherCount(index) > 1;
    const lastStep = !two || step === 2;
    if (device.state === 'SUCCEEDED' && lastStep && !sharedStep) return { state: 'SUCCEEDED', percent: 100 };
    const percent = scale(device.state === 'SUCCEEDED' ? 100 : device.percent);
    const state = two && step === 2 ? 'RUNNING' : device.state === 'SUCCEEDED' ? 'RUNNING' : device.state;
    return { state, percent };
  }

  private explain(task: Pick<PlannedTask, 'step' | 'segmentId'>, error = 'failed'): string {
    const order = this.record.replace?.order;
    if (task.segmentId !== undefined && order === 'INSTALL_FIRST')
      return `both versions present: removing ${task.segmentId} failed: ${error}`;
    if (task.segmentId !== undefined)
      return `removing ${task.segmentId} failed, so this version was not installed: ${error}`;
    if (order === 'UNINSTALL_FIRST' && task.step === 2)
      return `${error} (the other versions had already been removed)`;
    return error;
  }
}

/** The seats of the record's second step, by index. */
function secondStepSeats(record: InstallRecordValue, kind: 'INSTALL' | 'UNINSTALL'): Set<number> {
  const seats = new Set<number>();
  for (const task of record.plan?.tasks ?? []) {
    if (task.step === 2 && task.action === kind) for (const i of taskSeats(task)) seats.add(i);
  }
  return seats;
}

export interface SeatListChange {
  add: Set<string>;
  remove: Set<string>;
}

/**
 * What the ended record changed on the seats, per segment id: the seat lists follow what actually
 * happened. A seat losing two other versions where only one removal failed keeps both in the lists
 * (`refreshSegmentSeats` asks SDP for the truth).
 */
export function seatListChanges(
  record: InstallRecordValue,
  stateOf: (index: number) => SeatState,
): Map<string, SeatListChange> {
  const own: SeatListChange = { add: new Set(), remove: new Set() };
  const changes = new Map<string, SeatListChange>([[record.segmentId, own]]);
  const installs = record.installSeats.length;
  const succeeded = (i: number) => stateOf(i) === 'SUCCEEDED';
  record.uninstallSeats.forEach((name, j) => {
    if (succeeded(installs + j)) own.remove.add(name);
  });
  const { replace } = record;
  if (!replace) {
    record.installSeats.forEach((name, i) => {
      if (succeeded(i)) own.add.add(name);
    });
    return changes;
  }
  const map = new StepMap(record);
  const firstFirst = replace.order === 'INSTALL_FIRST';
  // INSTALL_FIRST: a two-step seat got this version iff it went on to the second step.
  const reached = secondStepSeats(record, firstFirst ? 'UNINSTALL' : 'INSTALL');
  const installed = (i: number) => (firstFirst && map.twoStep(i) ? reached.has(i) : succeeded(i));
  for (let i = 0; i < replace.installedFrom; i++)
    if (installed(i)) own.add.add(record.installSeats[i] as string);
  for (const other of replace.others) {
    const change: SeatListChange = { add: new Set(), remove: new Set() };
    const seats = BitMask.decode(other.seats);
    for (let i = 0; i < installs; i++) {
      if (!seats.has(i)) continue;
      // UNINSTALL_FIRST: a two-step seat lost the others iff it went on to install this version.
      const removed = !firstFirst && map.twoStep(i) ? reached.has(i) : succeeded(i);
      if (removed) change.remove.add(record.installSeats[i] as string);
    }
    changes.set(other.segmentId, change);
  }
  return changes;
}
