import type { SdpConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import type { ReadinessProbe } from '../server/health.js';
import { SdpClient } from './sdp-client.js';
import type { SdpCallObserver } from './sdp-metrics.js';

/** One client per platform; which one a segment uses follows from its format. */
export type SdpClients = Readonly<Record<SdpTarget, SdpClient>>;

export function createSdpClients(
  addresses: Readonly<Record<SdpTarget, string>>,
  config: SdpConfig,
  logger: Logger,
  observe?: SdpCallObserver,
): SdpClients {
  const options = { callTimeoutMs: config.callTimeoutMs, streamIdleMs: config.streamIdleMs, logger, observe };
  return {
    DEPLOY_PLATFORM: new SdpClient('DEPLOY_PLATFORM', addresses.DEPLOY_PLATFORM, options),
    STORE_15S: new SdpClient('STORE_15S', addresses.STORE_15S, options),
  };
}

export function closeSdpClients(clients: SdpClients): void {
  for (const target of SDP_TARGETS) clients[target].close();
}

/** `/readyz` checks: each platform answers its health check with SERVING. */
export function sdpReadinessProbes(clients: SdpClients): ReadinessProbe[] {
  return SDP_TARGETS.map((target) => ({
    name: `sdp:${target}`,
    async check() {
      const client = clients[target];
      const status = await client.checkHealth({ signal: AbortSignal.timeout(1000) });
      if (status !== 'SERVING') throw new Error(`health check says ${status}`);
      return { address: client.address };
    },
  }));
}
