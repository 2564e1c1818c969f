import type { Settlement } from './settlement.js';
import { writePlan } from './task-files.js';
import type { TaskTimeline } from './timeline.js';

/**
 * CancelTask's way to disk. A cancel takes effect in the settlement at once, so no device finishing
 * after the cancel time is ever folded into the installed sets; but the task stays open (busy), and
 * GetTask waits for `writing` before it reads the task, until the plan with the cancel time is on
 * disk. If that write fails, the cancel is taken back before any answer showed it.
 */
export class Cancellations {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly settlement: Settlement,
  ) {}

  /**
   * The cancel of the task on its way to disk, if any. Wait for it and ask again, and read the task
   * only once this answers undefined, in the same tick.
   */
  writing(taskId: string): Promise<void> | undefined {
    return this.writes.get(taskId)?.catch(() => undefined);
  }

  /** Waits for every cancel on its way to disk. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  /**
   * Cancels the open task at `time`, which is after every answer given so far and no earlier than
   * the settlement's last time, so both timelines agree on everything anyone has seen or applied.
   * Only StartTask's answer tells a task id, once the plan is on disk: this rewrite never races it.
   */
  async cancel(timeline: TaskTimeline, time: number): Promise<void> {
    const { taskId } = timeline;
    const cancelled = timeline.cancelledAt(time);
    this.settlement.replace(cancelled, true);
    const write = writePlan(this.dir, cancelled.plan);
    this.writes.set(taskId, write);
    try {
      await write;
      this.settlement.replace(cancelled, false);
    } catch (err) {
      this.settlement.replace(timeline, false);
      throw err;
    } finally {
      this.writes.delete(taskId);
    }
  }
}
