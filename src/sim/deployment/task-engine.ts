import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../logger.js';
import type {
  ListInstalledDevicesRequest,
  ListInstalledDevicesResponse,
  StartTaskRequest,
} from '../../sdp/generated/seghub/sdp/v1/deployment.js';
import { JsonDocument } from '../json-file.js';
import type { Random } from '../random.js';
import { invalidArgument, notFound } from '../status.js';
import { type DeviceBehaviour, DeviceKnobs, type DeviceOverride } from './behaviour.js';
import { Cancellations } from './cancellations.js';
import { EndedTasks } from './ended-tasks.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { decodePageToken, encodePageToken, pageSize } from './page-token.js';
import { planTask } from './plan.js';
import { type RestoredState, restoreState } from './restore.js';
import type { Settlement } from './settlement.js';
import { type EngineFile, engineFile, isTaskId, removePlan, writePlan } from './task-files.js';
import { TaskTimeline, type TaskView } from './timeline.js';
import { type ValidStartRequest, validateStartRequest } from './validate-request.js';

export interface TaskEngineOptions {
  /** Holds `deployment.json` and `tasks/<taskId>.json`. */
  dir: string;
  logger: Logger;
  /** Whether the platform holds the segment; StartTask and ListInstalledDevices answer NOT_FOUND if not. */
  segmentExists: (segmentUid: string) => boolean;
  behaviour?: Partial<DeviceBehaviour>;
  /** ms since the epoch; Date.now by default. */
  clock?: () => number;
  /** Draws every device's fate; Math.random by default, `seededRandom(seed)` for repeatable runs. */
  random?: Random;
  /** How often finished devices are folded into the installed sets without a read; 0: never. */
  settleIntervalMs?: number;
}

export interface StartTaskResult {
  task: TaskView;
  /** True when an earlier call with the same idempotency key started the task. */
  replayed: boolean;
}

/**
 * The simulated platform's batch tasks. Every device's fate is planned when its task starts, and
 * what a caller sees at any moment follows from the plan and the clock, so nothing runs in the
 * background except folding finished devices into the installed sets.
 */
export class TaskEngine {
  readonly logger: Logger;
  /** `started` once per task really started (not for replays), after it is durable: what tests count. */
  readonly events = new EventEmitter<{
    started: [{ taskId: string; idempotencyKey: string; devices: number }];
  }>();
  private readonly dir: string;
  private readonly knobs: DeviceKnobs;
  private readonly clock: () => number;
  private readonly random: Random;
  private readonly segmentExists: (segmentUid: string) => boolean;
  private readonly keys: IdempotencyKeys;
  private readonly settlement: Settlement;
  private lastRevision: number;
  private nextSeq: number;
  private readonly ended: EndedTasks;
  private readonly document: JsonDocument;
  private readonly cancellations: Cancellations;
  private timer: NodeJS.Timeout | undefined;

  private constructor(options: TaskEngineOptions, state: RestoredState) {
    this.dir = options.dir;
    this.logger = options.logger;
    this.knobs = new DeviceKnobs(options.behaviour ?? {});
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.segmentExists = options.segmentExists;
    this.keys = new IdempotencyKeys(state.keys);
    this.settlement = state.settlement;
    this.lastRevision = state.settledThrough;
    this.nextSeq = state.nextSeq;
    this.ended = new EndedTasks(options.dir);
    this.cancellations = new Cancellations(options.dir, this.settlement);
    this.document = new JsonDocument(engineFile(options.dir), () => this.snapshot());
  }

  /** Loads the state left in `dir` (if any), catches up with the clock, and starts settling. */
  static async open(options: TaskEngineOptions): Promise<TaskEngine> {
    const now = Math.floor((options.clock ?? Date.now)());
    const state = await restoreState(options.dir, options.logger, now);
    const engine = new TaskEngine(options, state);
    engine.settle(engine.now());
    // After settling, so a task that ended while the simulator was down is not dropped while open.
    await engine.dropTasks(state.expired.map((entry) => entry.taskId));
    engine.startTimer(options.settleIntervalMs ?? 250);
    return engine;
  }

  get behaviour(): DeviceBehaviour {
    return this.knobs.behaviour;
  }

  /** Changes how devices behave in tasks started from now on; RangeError for a value out of range. */
  setBehaviour(partial: Partial<DeviceBehaviour>): void {
    this.knobs.setBehaviour(partial);
  }

  /** Fixes one device's fate in tasks started from now on; undefined returns it to chance. */
  setDevice(ip: string, override: DeviceOverride | undefined): void {
    this.knobs.setDevice(ip, override);
  }

  /**
   * StartTask. The plan and the idempotency key are on disk before this resolves, so a crash right
   * after the answer loses nothing.
   */
  async start(request: StartTaskRequest): Promise<StartTaskResult> {
    const valid = validateStartRequest(request);
    const { idempotencyKey: key } = valid;
    // A concurrent call with the same key waits for the first to land, then replays it.
    for (let running = this.keys.starting(key); running; running = this.keys.starting(key)) await running;
    const earlier = this.keys.earlier(valid);
    if (earlier) return { task: await this.get(earlier.taskId, 0), replayed: true };
    if (!this.segmentExists(valid.segmentUid)) {
      throw notFound(`segment ${JSON.stringify(valid.segmentUid)} does not exist`);
    }
    return { task: await this.keys.start(key, this.create(valid)), replayed: false };
  }

  /** GetTask: every device when `sinceRevision` is 0, else those that changed since that answer. */
  async get(taskId: string, sinceRevision = 0): Promise<TaskView> {
    if (taskId === '') throw invalidArgument('task_id is required');
    for (let w = this.cancellations.writing(taskId); w; w = this.cancellations.writing(taskId)) await w;
    const timeline =
      this.settlement.get(taskId) ?? (isTaskId(taskId) ? await this.ended.get(taskId) : undefined);
    if (!timeline) throw notFound(`task ${JSON.stringify(taskId)} does not exist`);
    return this.observe(timeline, sinceRevision);
  }

  /**
   * CancelTask: every device not finished now fails with `cancelled` and the task ends; an ended
   * task is returned as it is. The cancel is on disk before this resolves.
   */
  async cancel(taskId: string): Promise<TaskView> {
    if (taskId === '') throw invalidArgument('task_id is required');
    for (let w = this.cancellations.writing(taskId); w; w = this.cancellations.writing(taskId)) await w;
    // A revision of its own: every answer so far still shows the task as it was before the cancel.
    const time = this.nextRevision();
    this.settle(time);
    const open = this.settlement.get(taskId);
    if (open && open.finishTime > time) await this.cancellations.cancel(open, time);
    return this.get(taskId);
  }

  /** ListInstalledDevices, paged in address order. */
  listInstalledDevices(request: ListInstalledDevicesRequest): ListInstalledDevicesResponse {
    const { segmentUid } = request;
    if (segmentUid === '') throw invalidArgument('segment_uid is required');
    const afterKey = decodePageToken(request.pageToken);
    if (!this.segmentExists(segmentUid)) {
      throw notFound(`segment ${JSON.stringify(segmentUid)} does not exist`);
    }
    this.settle(this.now());
    const page = this.settlement.installed.page(segmentUid, pageSize(request.pageSize), afterKey);
    return { deviceIps: page.ips, nextPageToken: encodePageToken(page.lastKey) };
  }

  /** Devices that have the segment now, in address order (IPv4 first). */
  installedDevices(segmentUid: string): string[] {
    this.settle(this.now());
    return this.settlement.installed.devices(segmentUid);
  }

  installedCount(segmentUid: string): number {
    this.settle(this.now());
    return this.settlement.installed.count(segmentUid);
  }

  /** Whether a task for the segment has devices that have not finished (stalled ones never do). */
  isBusy(segmentUid: string): boolean {
    this.settle(this.now());
    return this.settlement.hasOpenTask(segmentUid);
  }

  /** Drops the segment's installed set once the segment itself is gone; resolves when saved. */
  forgetSegment(segmentUid: string): Promise<void> {
    this.settle(this.now());
    this.settlement.installed.forget(segmentUid);
    return this.document.save();
  }

  /** Stops the timer and waits for starts in progress and the last save. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.keys.drain();
    await this.cancellations.drain();
    this.settle(this.now());
    await this.document.save();
  }

  private async create(valid: ValidStartRequest): Promise<TaskView> {
    const createTime = this.now();
    this.settle(createTime);
    const { segmentUid, idempotencyKey: key } = valid;
    const plan = planTask(valid, {
      taskId: `task-${randomUUID()}`,
      seq: this.nextSeq++,
      createTime,
      behaviour: this.knobs.behaviour,
      overrides: this.knobs.overrides,
      random: this.random,
      hasSegment: (device) => this.settlement.installed.has(segmentUid, device),
    });
    const timeline = new TaskTimeline(plan, valid.keys);
    // In memory at once, so DeleteSegment sees the segment busy while the files are written.
    this.settlement.add(timeline);
    this.keys.add({ key, taskId: plan.taskId, fingerprint: valid.fingerprint, at: createTime });
    try {
      await writePlan(this.dir, plan);
      await this.document.save();
    } catch (err) {
      this.settlement.remove(plan.taskId);
      this.ended.forget(plan.taskId);
      this.keys.forget(key);
      throw err;
    }
    const view = this.observe(timeline, 0);
    this.events.emit('started', { taskId: plan.taskId, idempotencyKey: key, devices: valid.ips.length });
    return view;
  }

  /** The task at a fresh revision: the observation time, made strictly increasing across answers. */
  private observe(timeline: TaskTimeline, sinceRevision: number): TaskView {
    const time = this.nextRevision();
    this.settle(time);
    return timeline.observe(time, sinceRevision);
  }

  private nextRevision(): number {
    this.lastRevision = Math.max(Math.floor(this.clock()), this.lastRevision + 1);
    return this.lastRevision;
  }

  /** The engine's time: the clock, but never before an answer already given. */
  private now(): number {
    return Math.max(Math.floor(this.clock()), this.lastRevision);
  }

  /** Removes ended tasks and their plan files; open ones stay until they end. */
  private async dropTasks(taskIds: string[]): Promise<void> {
    const ended = taskIds.filter((taskId) => !this.settlement.get(taskId));
    for (const taskId of ended) this.ended.forget(taskId);
    await Promise.all(ended.map((taskId) => removePlan(this.dir, taskId)));
  }

  private settle(time: number): void {
    const { changed, closed } = this.settlement.settleTo(time);
    for (const timeline of closed) this.ended.remember(timeline);
    if (changed) this.saveInBackground();
  }

  private saveInBackground(): void {
    this.document
      .save()
      .catch((err: unknown) => this.logger.error({ err }, 'saving deployment state failed'));
  }

  private startTimer(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      try {
        this.settle(this.now());
      } catch (err) {
        this.logger.error({ err }, 'settling finished devices failed');
      }
    }, intervalMs);
    this.timer.unref();
  }

  private snapshot(): EngineFile {
    return {
      format: 1,
      settledThrough: this.now(),
      nextSeq: this.nextSeq,
      keys: this.keys.list(),
      installed: this.settlement.installed.toJSON(),
      openTasks: this.settlement.openEntries(),
    };
  }
}
