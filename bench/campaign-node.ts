/**
 * The Charla process of bench:campaign (forked with IPC by campaign.bench.ts): ROLE=all from the
 * environment, the campaign email rate from CAMPAIGN_BENCH_RATE, and its memory on request (the
 * parent samples it over the send).
 */
import { createCharla } from '../src/app/charla.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { createLogger } from '../src/kernel/logger.js';

export type NodeRequest = { t: 'mem' } | { t: 'stop' };
export type NodeReply =
  | { t: 'ready'; url: string }
  | { t: 'mem'; rss: number; heapUsed: number; cpuMs: number }
  | { t: 'error'; message: string };

const send = (m: NodeReply) => process.send?.(m);

async function main() {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const rate = Number(process.env.CAMPAIGN_BENCH_RATE ?? 20);
  const charla = await createCharla(config, {
    logger: createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'),
    campaigns: { ratePerSecond: { email: rate } },
  });
  const url = await charla.listen();
  const stop = () => void charla.stop().finally(() => process.exit(0));
  process.on('message', (m: NodeRequest) => {
    if (m.t === 'mem') {
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({
        t: 'mem',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    } else if (m.t === 'stop') stop();
  });
  process.on('disconnect', stop);
  send({ t: 'ready', url });
}

main().catch((err: unknown) => {
  send({ t: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
