import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import type { SdpTarget } from '../model/targets.js';
import type { FaultSettings, PerMethod, SimMethod } from './faults.js';
import { type SimPlatform, startPlatform } from './platform.js';
import { seededRandom } from './random.js';
import type { SimConfig } from './sim-config.js';

export interface SdpSimulator {
  readonly platforms: Readonly<Partial<Record<SdpTarget, SimPlatform>>>;
  /** The platform serving a target; throws when this simulator does not serve it. */
  platform(target: SdpTarget): SimPlatform;
  /** `host:port` per served target. */
  readonly addresses: Readonly<Partial<Record<SdpTarget, string>>>;
  stop(options?: { graceful?: boolean }): Promise<void>;
}

export type SimulatorOptions = Omit<SimConfig, 'targets' | 'faults'> & {
  targets?: readonly SdpTarget[];
  /** From the environment: `faultSettingsFromConfig(config.sim.faults)`. */
  faults?: Partial<FaultSettings>;
  /** A port per target, overriding `port` (a restart on the same ports). */
  ports?: Partial<Record<SdpTarget, number>>;
  logger: Logger;
};

const DIR_OF: Readonly<Record<SdpTarget, string>> = {
  DEPLOY_PLATFORM: 'deploy-platform',
  STORE_15S: 'store-15s',
};

/**
 * Starts one simulated platform per target: the first on `port`, the next on `port + 1` (or each
 * on a free port when `port` is 0). Restarting with the same `dataDir` keeps segments, tasks and
 * idempotency keys.
 */
export async function startSdpSimulator(options: SimulatorOptions): Promise<SdpSimulator> {
  const targets = options.targets ?? ['DEPLOY_PLATFORM', 'STORE_15S'];
  const platforms: Partial<Record<SdpTarget, SimPlatform>> = {};
  try {
    for (const [i, target] of targets.entries()) {
      platforms[target] = await startPlatform({
        target,
        dir: path.join(options.dataDir, DIR_OF[target]),
        host: options.host,
        port: options.ports?.[target] ?? (options.port === 0 ? 0 : options.port + i),
        devices: options.devices,
        faults: options.faults ?? {},
        // Each platform its own sequence, so one target's traffic does not change the other's luck.
        random: seededRandom(options.seed === undefined ? undefined : options.seed + i),
        logger: options.logger,
      });
    }
  } catch (err) {
    await Promise.all(Object.values(platforms).map((p) => p.stop({ graceful: false })));
    throw err;
  }
  return {
    platforms,
    addresses: Object.fromEntries(Object.values(platforms).map((p) => [p.target, p.address])),
    platform(target) {
      const platform = platforms[target];
      if (!platform) throw new Error(`this simulator does not serve ${target}`);
      return platform;
    },
    async stop(stopOptions) {
      await Promise.all(Object.values(platforms).map((p) => p.stop(stopOptions)));
    },
  };
}

/** Fault settings from the environment's shape (names, an outage relative to start) to the injector's. */
export function faultSettingsFromConfig(
  faults: SimConfig['faults'],
  now = Date.now(),
): Partial<FaultSettings> {
  const hang: PerMethod<boolean> = Object.fromEntries(faults.hang.map((m) => [m as SimMethod, true]));
  return {
    errorRate: faults.errorRate,
    latencyMs: faults.latencyMs,
    errorCode: status[faults.errorCode as keyof typeof status] as status,
    hang,
    ...(faults.outage && {
      outage: {
        from: now + faults.outage.startMs,
        until: now + faults.outage.startMs + faults.outage.durationMs,
      },
    }),
  };
}
