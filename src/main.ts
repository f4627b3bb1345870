/** Process entry: parse config, start Charla, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './kernel/config/config.js';
import { createCharla } from './app/charla.js';
import { createLogger } from './kernel/logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, undefined, { format: config.logFormat });
  let charla;
  try {
    charla = await createCharla(config, { logger });
  } catch (err) {
    logger.fatal(
      { err },
      `Charla could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  }
  const url = await charla.listen();
  logger.info(`Charla is up on ${url}`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    charla
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
