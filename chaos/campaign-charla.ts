/**
 * Charla as src/main.ts starts it, plus the campaign timings the chaos scenario shortens (the
 * recovery lease, the sweep's interval, the email rate) from CHAOS_CAMPAIGN_* variables, so a
 * run takes minutes rather than the production lease's 5 minutes per fault. Started by
 * chaos/campaign.ts through startChildCharla; logs "Charla is up on <url>" like main.ts.
 */
import { createCharla } from '../src/app/charla.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { createLogger } from '../src/kernel/logger.js';

const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, undefined, { format: config.logFormat });
  const email = num('CHAOS_CAMPAIGN_RATE');
  const charla = await createCharla(config, {
    logger,
    campaigns: {
      ...(email ? { ratePerSecond: { email } } : {}),
      leaseMs: num('CHAOS_CAMPAIGN_LEASE_MS'),
      sweepIntervalMs: num('CHAOS_CAMPAIGN_SWEEP_MS'),
    },
  });
  const url = await charla.listen();
  logger.info(`Charla is up on ${url}`);
  const shutdown = () => {
    charla
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
