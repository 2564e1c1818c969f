import { buildApp } from './app/app.js';
import { loadConfigOrExit } from './config/config.js';
import { createLogger } from './logger.js';
import { startIdleGc } from './util/idle-gc.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel });
const app = buildApp(config, { logger });

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) {
    logger.warn({ signal }, 'second signal: exiting without waiting');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  try {
    await app.stop();
    process.exit(0);
  } catch (err) {
    logger.fatal({ err }, 'shutdown failed');
    process.exit(1);
  }
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  process.exit(1);
});

try {
  await app.start();
  startIdleGc(logger.child({ component: 'process' }));
} catch (err) {
  logger.fatal({ err }, 'seghub failed to start');
  process.exit(1);
}
