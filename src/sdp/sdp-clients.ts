import type { Logger } from '../logger.js';
import { SDP_TARGETS, type SdpTarget } from '../model/targets.js';
import { SdpClient } from './sdp-client.js';
import type { SdpCallObserver } from './sdp-metrics.js';

/** One client per platform; which one a segment uses follows from its format. */
export type SdpClients = Readonly<Record<SdpTarget, SdpClient>>;

export interface SdpClientSettings {
  /** Deadline of every unary call. */
  readonly callTimeoutMs: number;
  /** A streaming call (upload, download) that moves no bytes for this long is cancelled. */
  readonly streamIdleMs: number;
}

export function createSdpClients(
  addresses: Readonly<Record<SdpTarget, string>>,
  config: SdpClientSettings,
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
