/**
 * Node CPU per message of the hot path, alone: the instant-database scenario of bench:pipeline
 * (one ROLE=all Charla process against bench/instant-mongo.ts, local Redis), run `--runs` times
 * (default 3) on fresh processes, printing each run's figures and the medians. CPU time is far
 * less sensitive to a shared machine's load than wall time, so before/after pairs of a change
 * are compared on `nodeCpuMsPerMessage`.
 *
 *   npx tsx bench/pipeline-cpu.ts [--runs 3] [--customers 20] [--messages 6] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` starts the Charla process with `node --cpu-prof --cpu-prof-dir DIR` (the
 * profile is written when it stops); `npx tsx bench/cpu-profile.ts DIR/<file>.cpuprofile`
 * aggregates it.
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { InstantMongo } from './instant-mongo.js';
import { Deliveries, runCustomers, startNode, type RunFigures } from './pipeline-load.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const RUNS = Number(opt('runs', '3'));
const CUSTOMERS = Number(opt('customers', '20'));
const MESSAGES = Number(opt('messages', '6'));
const PROFILE_DIR = opt('cpu-prof', '');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `charla-cpu-${Date.now().toString(36)}`;

async function oneRun(uri: string, n: number): Promise<RunFigures> {
  const prefix = `${RUN}-${n}`;
  const deliveries = new Deliveries();
  const u = new URL(uri);
  u.pathname = `/bench_cpu_${n}`;
  u.searchParams.set('monitorCommands', 'true');
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  const node = await startNode(
    { MONGODB_URI: u.toString(), REDIS_URL, QUEUE_PREFIX: prefix, ROLE: 'all' },
    deliveries.onSent,
    nodeArgs,
  );
  try {
    const base = { url: node.url, deliveries, nodes: [node] };
    await runCustomers({ ...base, runId: `${prefix}-warm`, customers: 5, messages: 3 });
    return await runCustomers({
      ...base,
      runId: `${prefix}-m`,
      customers: CUSTOMERS,
      messages: MESSAGES,
    });
  } finally {
    await node.stop();
    await dropPrefix(prefix);
  }
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const instant = new InstantMongo();
  const uri = await instant.listen();
  const runs: RunFigures[] = [];
  try {
    for (let n = 0; n < RUNS; n++) {
      const f = await oneRun(uri, n);
      if (f.timedOut > 0 || f.duplicateDeliveries > 0) {
        throw new Error(`run ${n}: ${f.timedOut} unanswered, ${f.duplicateDeliveries} twice`);
      }
      runs.push(f);
      console.log(
        `run ${n}: ${f.nodeCpuMsPerMessage} ms CPU/msg, ${f.messagesPerSecond} msg/s, reply p99 ${f.replyP99Ms} ms, ${f.mongoOpsPerMessage} Mongo ops/msg, ${f.redisRoundTripsPerMessage} Redis RT/msg`,
      );
    }
  } finally {
    await instant.close();
  }
  if (instant.unsupported.size > 0) console.log('instant-mongo refused:', [...instant.unsupported]);
  const med = (k: keyof RunFigures) => median(runs.map((r) => r[k] as number));
  console.log(
    `median of ${RUNS} (${CUSTOMERS} customers × ${MESSAGES} messages, load ${loadavg()[0]!.toFixed(2)}): ` +
      `${med('nodeCpuMsPerMessage')} ms CPU/msg, ${med('messagesPerSecond')} msg/s, reply p99 ${med('replyP99Ms')} ms, ` +
      `${med('mongoOpsPerMessage')} Mongo ops/msg, ${med('redisRoundTripsPerMessage')} Redis RT/msg`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
