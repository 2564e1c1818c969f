import { readPlan } from './task-files.js';
import { TaskTimeline } from './timeline.js';

/**
 * Ended tasks, read back from their plan files on demand. Callers may still poll a task for a while
 * after it ended, so the most recently used few stay in memory; the rest cost nothing until asked
 * for. A 20,000-device timeline takes about 1.5 MB, hence a small count.
 */
export class EndedTasks {
  private readonly cache = new Map<string, TaskTimeline>();
  private readonly loading = new Map<string, Promise<TaskTimeline | undefined>>();

  constructor(
    private readonly dir: string,
    private readonly capacity = 16,
  ) {}

  remember(timeline: TaskTimeline): void {
    this.cache.delete(timeline.taskId);
    this.cache.set(timeline.taskId, timeline);
    for (const taskId of this.cache.keys()) {
      if (this.cache.size <= this.capacity) break;
      this.cache.delete(taskId);
    }
  }

  forget(taskId: string): void {
    this.cache.delete(taskId);
  }

  /** The task, or undefined when it was never written. */
  async get(taskId: string): Promise<TaskTimeline | undefined> {
    const cached = this.cache.get(taskId);
    if (cached) {
      this.remember(cached);
      return cached;
    }
    let loading = this.loading.get(taskId);
    if (!loading) {
      loading = this.load(taskId).finally(() => this.loading.delete(taskId));
      this.loading.set(taskId, loading);
    }
    return loading;
  }

  private async load(taskId: string): Promise<TaskTimeline | undefined> {
    const plan = await readPlan(this.dir, taskId);
    if (!plan) return undefined;
    const timeline = new TaskTimeline(plan);
    this.remember(timeline);
    return timeline;
  }
}
