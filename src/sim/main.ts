import { createLogger } from '../logger.js';
import { orExit } from '../util/env.js';
import { loadSimConfig } from './sim-config.js';
import { faultSettingsFromConfig, startSdpSimulator } from './simulator.js';

/**
 * `npm run sdp-sim`: the SDP simulator on its own, for a seghub in another process
 * (SDP_DEPLOY_ADDR / SDP_STORE15S_ADDR) or another machine (SDP_SIM_HOST=0.0.0.0).
 */
const config = orExit(() => loadSimConfig(), 'sdp-sim');
const logger = createLogger({ level: config.logLevel });
const log = logger.child({ component: 'sdp-sim' });

let sim: Awaited<ReturnType<typeof startSdpSimulator>>;
try {
  sim = await startSdpSimulator({
    ...config.sim,
    faults: faultSettingsFromConfig(config.sim.faults),
    logger,
  });
} catch (err) {
  log.fatal({ err }, 'SDP simulator failed to start');
  process.exit(1);
}
const env = { SDP_DEPLOY_ADDR: sim.addresses.DEPLOY_PLATFORM, SDP_STORE15S_ADDR: sim.addresses.STORE_15S };
log.info({ addresses: sim.addresses, env, dataDir: config.sim.dataDir }, 'SDP simulator ready');

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) process.exit(1);
  stopping = true;
  log.info({ signal }, 'stopping SDP simulator');
  await sim.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
