/**
 * End-to-end pipeline benchmark. Customers POST to a webhook of real Charla processes (forked,
 * see pipeline-node.ts) and write their next line when the bot answered; everything real (ingest
 * → inbound queue → engine → outbound queue → channel `send`) on local Redis. In one run:
 *
 *   (a) a bare fastify server answering the same POST with the same client (the HTTP ceiling);
 *   (b) the embedded default (FerretDB on embedded PostgreSQL) empty, and again with 100,000
 *       messages and 10,000 contacts seeded;
 *   (c) Charla against a MongoDB wire server that answers instantly (bench/instant-mongo.ts), so
 *       the Node side is measured apart from the database;
 *   (d) 20 and 200 concurrent customers;
 *   (e) per message: Node CPU ms, MongoDB commands, Redis round trips of the Charla processes;
 *   and scale-out: ROLE=web plus one, then two ROLE=worker processes on one database and Redis,
 *   every message answered once.
 *
 *   npm run bench:pipeline [-- --json] [--quick]
 *
 * `--json` prints `{"embedded": {"empty": {...}, "seeded": {...}}, "instantDb": {...},
 * "fastifyEchoRequestsPerSecond": n, ...}` as the last line. Uses its own QUEUE_PREFIX per
 * scenario and deletes those keys at the end; listens on 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';
import { InstantMongo } from './instant-mongo.js';
import {
  Deliveries,
  fastifyEcho,
  runCustomers,
  startNode,
  unansweredInDatabase,
  type CharlaNode,
  type RunFigures,
} from './pipeline-load.js';
import { seedDatabase, vacuumAnalyze } from './pipeline-seed.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const QUICK = args.includes('--quick');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `charla-bench-${Date.now().toString(36)}`;
const SEED = QUICK
  ? { messages: 10_000, contacts: 1_000 }
  : { messages: 100_000, contacts: 10_000 };
const log = (...m: unknown[]) => {
  if (!JSON_OUT) console.log(...m);
  else console.error(...m);
};

/** The database name in a MongoDB URI (and command monitoring for the per-message counts). */
function databaseUri(base: string, db: string): string {
  const u = new URL(base);
  u.pathname = `/${db}`;
  u.searchParams.set('monitorCommands', 'true');
  return u.toString();
}

const prefixes: string[] = [];
const LOAD_AT_START = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');

interface Scenario {
  name: string;
  mongoUri: string;
  workers: number; // 0: one ROLE=all process
  loads: Array<{ customers: number; messages: number }>;
  before?: () => Promise<void>;
}

async function runScenario(s: Scenario): Promise<RunFigures[]> {
  const prefix = `${RUN}-${s.name}`;
  prefixes.push(prefix);
  const deliveries = new Deliveries();
  const env = { MONGODB_URI: s.mongoUri, REDIS_URL, QUEUE_PREFIX: prefix };
  const nodes: CharlaNode[] = [];
  try {
    if (s.workers === 0) {
      nodes.push(await startNode({ ...env, ROLE: 'all' }, deliveries.onSent));
    } else {
      nodes.push(await startNode({ ...env, ROLE: 'web' }, deliveries.onSent));
      for (let w = 0; w < s.workers; w++) {
        nodes.push(await startNode({ ...env, ROLE: 'worker' }, deliveries.onSent));
      }
    }
    await s.before?.();
    const url = nodes[0]!.url;
    // Warm-up (JIT, connections, first index use), not measured.
    await runCustomers({
      url,
      runId: `${prefix}-warm`,
      customers: 5,
      messages: 3,
      deliveries,
      nodes,
    });
    const figures: RunFigures[] = [];
    for (const load of s.loads) {
      const f = await runCustomers({
        url,
        runId: `${prefix}-${load.customers}`,
        ...load,
        deliveries,
        nodes,
      });
      log(`${s.name} ${load.customers} customers:`, JSON.stringify(f));
      figures.push(f);
    }
    // Every inbound message answered? Checked in MongoDB once the queues drained.
    for (const f of figures) {
      f.unanswered = await unansweredInDatabase(s.mongoUri, f.conversationIds, deliveries);
    }
    const late = deliveries.duplicates - figures.reduce((n, f) => n + f.duplicateDeliveries, 0);
    if (late > 0) figures.at(-1)!.duplicateDeliveries += late;
    return figures;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

async function dropPrefixes(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

const pick = (f: RunFigures) => ({
  messagesPerSecond: f.messagesPerSecond,
  replyP50Ms: f.replyP50Ms,
  replyP99Ms: f.replyP99Ms,
  mongoOpsPerMessage: f.mongoOpsPerMessage,
  redisRoundTripsPerMessage: f.redisRoundTripsPerMessage,
  nodeCpuMsPerMessage: f.nodeCpuMsPerMessage,
});

async function main() {
  const small = { customers: 20, messages: 6 };
  const large = { customers: 200, messages: QUICK ? 2 : 3 };
  const echo20 = await fastifyEcho(20);
  const echo200 = await fastifyEcho(200);
  log('fastify echo req/s at 20 / 200 clients:', echo20, echo200);

  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const instant = new InstantMongo();
  const instantUri = await instant.listen();
  let seedSeconds = 0;
  try {
    const empty = await runScenario({
      name: 'empty',
      mongoUri: databaseUri(embedded.uri, 'bench_empty'),
      workers: 0,
      loads: [small, large],
    });
    const seededUri = databaseUri(embedded.uri, 'bench_seeded');
    const seeded = await runScenario({
      name: 'seeded',
      mongoUri: seededUri,
      workers: 0,
      loads: [small, large],
      before: async () => {
        const t = Date.now();
        await seedDatabase(seededUri, SEED);
        if (embedded.postgresUrl) await vacuumAnalyze(embedded.postgresUrl, 'bench_seeded');
        seedSeconds = (Date.now() - t) / 1000;
        log(`seeded ${SEED.messages} messages, ${SEED.contacts} contacts in ${seedSeconds} s`);
      },
    });
    const instantDb = await runScenario({
      name: 'instant',
      mongoUri: databaseUri(instantUri, 'bench_instant'),
      workers: 0,
      loads: [small, large],
    });
    if (instant.unsupported.size > 0) log('instant-mongo refused:', [...instant.unsupported]);
    const scale = [];
    for (const workers of [1, 2]) {
      const [f] = await runScenario({
        name: `scale${workers}`,
        mongoUri: databaseUri(embedded.uri, `bench_scale${workers}`),
        workers,
        loads: [large],
      });
      scale.push({ workers, ...f! });
    }
    report({
      echo20,
      echo200,
      empty,
      seeded,
      instantDb,
      scale,
      seedSeconds,
      backend: embedded.backend,
    });
  } finally {
    await dropPrefixes();
    await instant.close();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Results {
  echo20: number;
  echo200: number;
  empty: RunFigures[];
  seeded: RunFigures[];
  instantDb: RunFigures[];
  scale: Array<RunFigures & { workers: number }>;
  seedSeconds: number;
  backend: string | undefined;
}

function row(name: string, f: RunFigures): string {
  return `| ${name} | ${f.customers} | ${f.messages} | ${f.messagesPerSecond} | ${f.ingestP50Ms} / ${f.ingestP99Ms} | ${f.replyP50Ms} / ${f.replyP99Ms} | ${f.nodeCpuMsPerMessage} | ${f.mongoOpsPerMessage} | ${f.redisRoundTripsPerMessage} | ${f.unanswered} / ${f.duplicateDeliveries} (${f.timedOut} waited > 60 s) |`;
}

function report(r: Results): void {
  const all = [...r.empty, ...r.seeded, ...r.instantDb, ...r.scale];
  const answeredOnce = all.every((f) => f.unanswered === 0 && f.duplicateDeliveries === 0);
  const ratio = (a: RunFigures, b: RunFigures) =>
    Number((a.messagesPerSecond / b.messagesPerSecond).toFixed(2));
  const targets = [
    `seeded ≥ 0.8 × empty (20 customers): ${ratio(r.seeded[0]!, r.empty[0]!)} ×`,
    `embedded empty ≥ 100 msg/s with reply p99 ≤ 500 ms at 20 customers: ${r.empty[0]!.messagesPerSecond} msg/s, p99 ${r.empty[0]!.replyP99Ms} ms`,
    `instant database ≥ 500 msg/s with reply p99 ≤ 200 ms: ${r.instantDb[0]!.messagesPerSecond} msg/s, p99 ${r.instantDb[0]!.replyP99Ms} ms (20 customers); ${r.instantDb[1]!.messagesPerSecond} msg/s (200)`,
    `scale-out, 200 customers: ${r.scale.map((s) => `${s.workers} worker${s.workers > 1 ? 's' : ''} ${s.messagesPerSecond} msg/s`).join(', ')}`,
    `every message answered exactly once in every run: ${answeredOnce ? 'yes' : 'NO'}`,
    `Node CPU ceiling (1 core / CPU ms per message, instant database, 20 customers): ${Math.round(1000 / r.instantDb[0]!.nodeCpuMsPerMessage)} msg/s per core`,
  ];
  const table = [
    '| run | customers | messages | msg/s | ingest p50 / p99 ms | reply p50 / p99 ms | Node CPU ms/msg | MongoDB ops/msg | Redis round trips/msg | unanswered / twice |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...r.empty.map((f) => row('embedded, empty', f)),
    ...r.seeded.map((f) => row(`embedded, seeded`, f)),
    ...r.instantDb.map((f) => row('instant database', f)),
    ...r.scale.map((f) =>
      row(`web + ${f.workers} worker${f.workers > 1 ? 's' : ''} (embedded)`, f),
    ),
  ].join('\n');
  log(table);
  log(targets.join('\n'));
  writeBenchmarkSection(
    REPO,
    'pipeline',
    `## Message pipeline (\`npm run bench:pipeline\`)

Machine: ${machineLine()}; load average at start ${LOAD_AT_START}, at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} (the machine is shared: figures are noisy). Generated by bench/pipeline.bench.ts. Charla runs as real child
processes (ROLE=all, or ROLE=web + ROLE=worker), local Redis, FerretDB 1.24 on the embedded
PostgreSQL (${r.backend ?? '?'} backend) as \`npm start\` gets it. Each customer POSTs the next line of a
six-line script (greeting, FAQ, lead capture with name and email, thanks; 200-customer runs send
the first ${r.scale[0]?.messages && r.scale[0].customers ? Math.round(r.scale[0].messages / r.scale[0].customers) : 3}) to a webhook once the bot answered the previous one. *Ingest*: what the webhook
waits for (202). *Reply*: POST to the first reply handed to the channel. CPU, MongoDB commands
(driver command monitoring) and Redis round trips (ioredis commands, a pipeline counted once) are
summed over the Charla processes and divided by messages. *Seeded*: ${SEED.messages.toLocaleString('en')} messages and
${SEED.contacts.toLocaleString('en')} contacts inserted first, then VACUUM ANALYZE as autovacuum would (${r.seedSeconds} s). *Instant database*: a
MongoDB wire server answering from memory (bench/instant-mongo.ts). Bare fastify answering the same
POST with the same client: **${r.echo20.toLocaleString('en')} req/s** at 20 clients, ${r.echo200.toLocaleString('en')} at 200.

${table}

Targets (checked here, not in tests):

${targets.map((t) => `- ${t}`).join('\n')}`,
  );
  if (JSON_OUT) {
    console.log(
      JSON.stringify({
        embedded: {
          empty: { ...pick(r.empty[0]!), at200Customers: pick(r.empty[1]!) },
          seeded: { ...pick(r.seeded[0]!), at200Customers: pick(r.seeded[1]!) },
        },
        instantDb: { ...pick(r.instantDb[0]!), at200Customers: pick(r.instantDb[1]!) },
        fastifyEchoRequestsPerSecond: r.echo20,
        scaleOut: r.scale.map((s) => ({ workers: s.workers, ...pick(s) })),
        answeredOnce,
      }),
    );
  }
}

main().catch((err) => {
  console.error(err);
  void dropPrefixes().finally(() => process.exit(1));
});
