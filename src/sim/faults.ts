import { status } from '@grpc/grpc-js';
import type { Random } from './random.js';
import { SimStatusError } from './status.js';

/** Every RPC a simulated platform serves; fault settings name them as the proto does. */
export const SIM_METHODS = [
  'CreateSegment',
  'GetSegment',
  'DeleteSegment',
  'ListSegments',
  'DownloadSegment',
  'StartTask',
  'GetTask',
  'CancelTask',
  'ListInstalledDevices',
  'Check',
  'Watch',
] as const;
export type SimMethod = (typeof SIM_METHODS)[number];

/** A value per method; `*` applies to every method not named. */
export type PerMethod<T> = Partial<Record<SimMethod | '*', T>>;

export interface FaultSettings {
  /** Chance, 0 to 1, that a call fails with `errorCode` before the platform looks at it. */
  errorRate: PerMethod<number>;
  /** The status injected errors carry; UNAVAILABLE unless a test wants another. */
  errorCode: status;
  /** Added before the platform handles a call. */
  latencyMs: PerMethod<number>;
  /** Calls to these methods are accepted and never answered, until the caller gives up. */
  hang: PerMethod<boolean>;
  /** Every new call in this window (epoch ms) fails with UNAVAILABLE, as if the platform were down. */
  outage?: { from: number; until: number };
}

const NO_FAULTS: FaultSettings = {
  errorRate: {},
  errorCode: status.UNAVAILABLE,
  latencyMs: {},
  hang: {},
};

function pick<T>(table: PerMethod<T>, method: SimMethod): T | undefined {
  return table[method] ?? table['*'];
}

/**
 * The programmatic handle on a platform's faults. Settings apply to calls that start after the
 * change; a call already being handled is not interrupted (stopping the server is how a test cuts
 * calls in flight).
 */
export class FaultInjector {
  private settings: FaultSettings;
  private readonly injected = new Map<SimMethod, number>();

  constructor(
    settings: Partial<FaultSettings>,
    private readonly random: Random,
    private readonly clock: () => number = Date.now,
  ) {
    this.settings = { ...NO_FAULTS, ...settings };
  }

  /** Replaces the named settings, keeps the others. */
  set(changes: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...changes };
  }

  clear(): void {
    this.settings = { ...NO_FAULTS };
  }

  /** The platform is down from `inMs` from now, for `durationMs`. */
  startOutage(durationMs: number, inMs = 0): void {
    const from = this.clock() + inMs;
    this.set({ outage: { from, until: from + durationMs } });
  }

  endOutage(): void {
    this.set({ outage: undefined });
  }

  inOutage(): boolean {
    const { outage } = this.settings;
    const now = this.clock();
    return outage !== undefined && now >= outage.from && now < outage.until;
  }

  /** How many calls of each method were failed, delayed not counted. */
  injectedErrors(): Readonly<Partial<Record<SimMethod, number>>> {
    return Object.fromEntries(this.injected);
  }

  /**
   * Runs before a call is handled: resolves when the platform may handle it, rejects with the
   * injected status, or, for a hang, stays pending until `cancelled` fires.
   */
  async before(method: SimMethod, cancelled: AbortSignal): Promise<void> {
    const latency = pick(this.settings.latencyMs, method) ?? 0;
    if (latency > 0) await delay(latency, cancelled);
    if (this.inOutage()) throw this.count(method, new SimStatusError(status.UNAVAILABLE, 'platform is down'));
    if (pick(this.settings.hang, method)) {
      await new Promise<never>((_, reject) => {
        cancelled.addEventListener('abort', () => reject(new SimStatusError(status.CANCELLED, 'cancelled')));
      });
    }
    const rate = pick(this.settings.errorRate, method) ?? 0;
    if (rate > 0 && this.random() < rate) {
      throw this.count(method, new SimStatusError(this.settings.errorCode, `injected fault in ${method}`));
    }
  }

  private count(method: SimMethod, err: SimStatusError): SimStatusError {
    this.injected.set(method, (this.injected.get(method) ?? 0) + 1);
    return err;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new SimStatusError(status.CANCELLED, 'cancelled'));
    });
  });
}
