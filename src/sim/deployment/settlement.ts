import { TaskAction } from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import type { InstalledSets } from './installed-sets.js';
import type { TaskTimeline } from './timeline.js';

interface OpenTask {
  timeline: TaskTimeline;
  /** How many of `timeline.successes` are already reflected in the installed sets. */
  appliedSuccesses: number;
  /** Kept open even once ended: its cancel is not on disk yet, so a restart might not know it ended. */
  held: boolean;
}

interface Finish {
  at: number;
  timeline: TaskTimeline;
  index: number;
}

/**
 * Folds finished devices into the installed sets, in the order they finished across all tasks, so
 * an install that finishes after an uninstall of the same device wins and vice versa. Only open
 * tasks are looked at: a task closes once it has ended and all its successes have been applied.
 */
export class Settlement {
  private readonly open = new Map<string, OpenTask>();

  constructor(readonly installed: InstalledSets) {}

  add(timeline: TaskTimeline, appliedSuccesses = 0): void {
    this.open.set(timeline.taskId, { timeline, appliedSuccesses, held: false });
  }

  /**
   * Swaps an open task's timeline for one that agrees with it up to the last settled time (a cancel
   * made then, or the original again), so the successes applied so far are a prefix of the new
   * timeline's too. `held` keeps the task open until it is swapped again with `held` false.
   */
  replace(timeline: TaskTimeline, held: boolean): void {
    const task = this.open.get(timeline.taskId);
    if (!task) throw new Error(`task ${timeline.taskId} is not open`);
    task.timeline = timeline;
    task.held = held;
  }

  /** Takes back a task whose start could not be made durable. */
  remove(taskId: string): void {
    this.open.delete(taskId);
  }

  get(taskId: string): TaskTimeline | undefined {
    return this.open.get(taskId)?.timeline;
  }

  /** Whether some task for the segment still has devices that have not finished. */
  hasOpenTask(segmentUid: string): boolean {
    for (const { timeline } of this.open.values()) {
      if (timeline.plan.segmentUid === segmentUid) return true;
    }
    return false;
  }

  /** Applies every success up to `time`; returns whether anything changed and the tasks that closed. */
  settleTo(time: number): { changed: boolean; closed: TaskTimeline[] } {
    const finishes = this.collect(time);
    for (const { timeline, index } of finishes) {
      const { plan } = timeline;
      if (plan.action === TaskAction.TASK_ACTION_INSTALL) {
        this.installed.add(plan.segmentUid, timeline.keys[index]!, plan.ips[index]!);
      } else {
        this.installed.remove(plan.segmentUid, timeline.keys[index]!);
      }
    }
    const closed: TaskTimeline[] = [];
    for (const [taskId, task] of this.open) {
      const { timeline } = task;
      if (!task.held && task.appliedSuccesses === timeline.successes.length && timeline.finishTime <= time) {
        this.open.delete(taskId);
        closed.push(timeline);
      }
    }
    return { changed: finishes.length > 0 || closed.length > 0, closed };
  }

  /** What to persist so a restart resumes exactly where this left off. */
  openEntries(): Array<{ taskId: string; appliedSuccesses: number }> {
    return [...this.open].map(([taskId, { appliedSuccesses }]) => ({ taskId, appliedSuccesses }));
  }

  private collect(time: number): Finish[] {
    const finishes: Finish[] = [];
    for (const task of this.open.values()) {
      const { timeline } = task;
      const { successes, endAt } = timeline;
      const createTime = timeline.plan.createTime;
      while (task.appliedSuccesses < successes.length) {
        const index = successes[task.appliedSuccesses]!;
        const at = createTime + endAt[index]!;
        if (at > time) break;
        finishes.push({ at, timeline, index });
        task.appliedSuccesses++;
      }
    }
    // Same millisecond: the task started later wins, as it would on a platform that queues work.
    return finishes.sort(
      (a, b) => a.at - b.at || a.timeline.plan.seq - b.timeline.plan.seq || a.index - b.index,
    );
  }
}
