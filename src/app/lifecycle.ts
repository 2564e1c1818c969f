import type { Logger } from '../logger.js';

type Stop = () => Promise<void> | void;

/**
 * The parts of a running seghub in the order they started. Each part that starts registers how to
 * stop it; stopping runs those in reverse (what started last depends on what started before it), and
 * a start that fails part-way stops what had started, so a failed start leaves nothing open (the
 * embedded store's lock above all, which a retry or another process needs).
 */
export class Lifecycle {
  private readonly stops: { name: string; stop: Stop }[] = [];

  constructor(private readonly log: Logger) {}

  /** Starts one part and registers its stop. A part whose start throws registers nothing. */
  async start<T>(
    name: string,
    start: () => Promise<T> | T,
    stop: (part: T) => Promise<void> | void,
  ): Promise<T> {
    const part = await start();
    this.onStop(name, () => stop(part));
    return part;
  }

  /** Registers the stop of something already running (started outside `start`). */
  onStop(name: string, stop: Stop): void {
    this.stops.push({ name, stop });
  }

  /** Runs `steps`; if they throw, stops everything they started and rethrows the start's error. */
  async run<T>(steps: (lifecycle: this) => Promise<T>): Promise<T> {
    try {
      return await steps(this);
    } catch (error) {
      await this.stop().catch((err) => this.log.error({ err }, 'cleaning up after a failed start failed'));
      throw error;
    }
  }

  /**
   * Stops every registered part, newest first. A part that fails to stop is logged and the rest are
   * still stopped; the first failure is thrown at the end.
   */
  async stop(): Promise<void> {
    let failure: unknown;
    for (let part = this.stops.pop(); part; part = this.stops.pop()) {
      try {
        await part.stop();
      } catch (error) {
        this.log.error({ err: error, part: part.name }, 'stopping a part failed');
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
