import { status } from '@grpc/grpc-js';

/**
 * A deadline on inactivity rather than total time: a multi-GiB transfer may take an hour and still
 * be healthy, but one that moves no bytes for `idleMs` is stuck (a hung platform, a dead link).
 */
export class IdleWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {}

  start(): void {
    this.last = Date.now();
    this.schedule(this.idleMs);
  }

  /** Progress was made. Cheap: called once per chunk. */
  touch(): void {
    this.last = Date.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The error a stuck stream fails with: gRPC's own code for a passed deadline. */
  timeoutError(): Error & { code: status; details: string } {
    const details = `no progress for ${this.idleMs} ms`;
    return Object.assign(new Error(details), { code: status.DEADLINE_EXCEEDED, details });
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = Date.now() - this.last;
      if (idle >= this.idleMs) this.onIdle();
      else this.schedule(this.idleMs - idle);
    }, ms);
    this.timer.unref();
  }
}
