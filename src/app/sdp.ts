import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import { closeSdpClients, createSdpClients, type SdpClients } from '../sdp/sdp-clients.js';
import { sdpCallMetrics } from '../sdp/sdp-metrics.js';

export interface SdpConnection {
  readonly clients: SdpClients;
  close(): Promise<void>;
}

/**
 * Clients for both platforms. A target without a configured address is served by an in-process
 * simulator on a free loopback port, so `npm start` works with nothing else running; the client
 * still talks to it over a real socket, exactly as it would to the real platform.
 */
export async function connectSdp(
  config: Pick<Config, 'sdp' | 'sim'>,
  logger: Logger,
  registry: Registry,
): Promise<SdpConnection> {
  const configured: Partial<Record<SdpTarget, string>> = {
    DEPLOY_PLATFORM: config.sdp.deployAddr,
    STORE_15S: config.sdp.store15sAddr,
  };
  const missing = SDP_TARGETS.filter((target) => configured[target] === undefined);
  const simulator = missing.length > 0 ? await startInProcessSimulator(config, missing, logger) : undefined;
  if (simulator) {
    logger
      .child({ component: 'server' })
      .warn(
        { targets: missing, dataDir: config.sim.dataDir },
        'no SDP address set: using the in-process SDP simulator',
      );
  }
  const addresses = Object.fromEntries(
    SDP_TARGETS.map((target) => [target, configured[target] ?? simulator?.addresses[target]]),
  ) as Record<SdpTarget, string>;
  const clients = createSdpClients(addresses, config.sdp, logger, sdpCallMetrics(registry));
  return {
    clients,
    async close() {
      closeSdpClients(clients);
      await simulator?.stop();
    },
  };
}

/** Loaded on demand: a deployment with real platforms never carries the simulator's code. */
async function startInProcessSimulator(config: Pick<Config, 'sim'>, targets: SdpTarget[], logger: Logger) {
  const { faultSettingsFromConfig, startSdpSimulator } = await import('../sim/simulator.js');
  return startSdpSimulator({
    ...config.sim,
    faults: faultSettingsFromConfig(config.sim.faults),
    host: '127.0.0.1',
    port: 0,
    targets,
    logger,
  });
}
